package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.transport.Limits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --rate_limits} on scheduler calls, the scenarios of Mesos' {@code rate_limiting_tests.cpp}: calls of a
 * throttled principal wait for the paused clock to give them a permit, principals are throttled apart, frameworks
 * of one principal share its bucket, a failed-over scheduler keeps its framework's bucket and counters, and a
 * call beyond the capacity is dropped with an ERROR event. Observed through the HTTP answers and Mesos'
 * {@code frameworks/<principal>/messages_*} metrics.
 */
@Timeout(60)
class FrameworkRateLimitingTest {
  private TestCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start(String rateLimits) throws Exception {
    Map<String, String> flags = new HashMap<>(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory"));
    if (rateLimits != null) {
      flags.put("rate_limits", rateLimits);
    }
    cluster = new TestCluster(MasterFlags.of(flags), Limits.DEFAULT);
  }

  private TestScheduler subscribe(String principal) throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    var info = TestScheduler.frameworkInfo();
    if (principal != null) {
      info.setPrincipal(principal);
    }
    assertThat(scheduler.subscribe(info.build()).getType()).isEqualTo(Event.Type.SUBSCRIBED);
    return scheduler;
  }

  private static Call.Builder revive() {
    return Call.newBuilder().setType(Call.Type.REVIVE);
  }

  private double received(String principal) throws Exception {
    return counter(principal, "messages_received");
  }

  private double processed(String principal) throws Exception {
    return counter(principal, "messages_processed");
  }

  private double counter(String principal, String name) throws Exception {
    JsonNode value = cluster.metrics().get("frameworks/" + principal + "/" + name);
    assertThat(value).as("frameworks/%s/%s", principal, name).isNotNull();
    return value.asDouble();
  }

  private void awaitReceived(String principal, double count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> received(principal) == count);
  }

  private static int status(CompletableFuture<HttpResponse> answer) throws Exception {
    return answer.get(10, TimeUnit.SECONDS).status();
  }

  @Test
  void noRateLimiting() throws Exception {
    start(null);
    TestScheduler foo = subscribe("foo");
    for (int i = 0; i < 3; i++) {
      assertThat(foo.call(revive()).status()).isEqualTo(202);
    }
    assertThat(received("foo")).isEqualTo(3.0);
    assertThat(processed("foo")).isEqualTo(3.0);
  }

  @Test
  void rateLimitingEnabled() throws Exception {
    start("{\"limits\": [{\"principal\": \"foo\", \"qps\": 1}]}");
    TestScheduler foo = subscribe("foo");
    assertThat(foo.call(revive()).status()).isEqualTo(202);
    CompletableFuture<HttpResponse> second = foo.callAsync(revive());
    CompletableFuture<HttpResponse> third = foo.callAsync(revive());
    awaitReceived("foo", 3);
    assertThat(processed("foo")).isEqualTo(1.0);

    cluster.advance(Duration.ofMillis(500));
    assertThat(processed("foo")).isEqualTo(1.0);
    assertThat(second).isNotDone();
    assertThat(third).isNotDone();

    cluster.advance(Duration.ofMillis(500));
    assertThat(processed("foo")).isEqualTo(2.0);
    assertThat(((HttpResponse) CompletableFuture.anyOf(second, third).get(10, TimeUnit.SECONDS)).status())
        .isEqualTo(202);
    assertThat(second.isDone() && third.isDone()).isFalse();

    cluster.advance(Duration.ofSeconds(1));
    assertThat(processed("foo")).isEqualTo(3.0);
    assertThat(status(second)).isEqualTo(202);
    assertThat(status(third)).isEqualTo(202);
  }

  @Test
  void differentPrincipalFrameworks() throws Exception {
    start("{\"limits\": [{\"principal\": \"foo\", \"qps\": 1}, {\"principal\": \"bar\"}]}");
    TestScheduler foo = subscribe("foo");
    TestScheduler bar = subscribe("bar");
    assertThat(foo.call(revive()).status()).isEqualTo(202);
    CompletableFuture<HttpResponse> held = foo.callAsync(revive());
    awaitReceived("foo", 2);

    // bar is listed without a qps: never throttled, even while foo waits.
    for (int i = 0; i < 3; i++) {
      assertThat(bar.call(revive()).status()).isEqualTo(202);
    }
    assertThat(received("bar")).isEqualTo(3.0);
    assertThat(processed("bar")).isEqualTo(3.0);
    assertThat(processed("foo")).isEqualTo(1.0);
    assertThat(held).isNotDone();

    cluster.advance(Duration.ofSeconds(1));
    assertThat(status(held)).isEqualTo(202);
    assertThat(processed("foo")).isEqualTo(2.0);
  }

  @Test
  void samePrincipalFrameworks() throws Exception {
    start("{\"limits\": [{\"principal\": \"foo\", \"qps\": 1}]}");
    TestScheduler first = subscribe("foo");
    TestScheduler second = subscribe("foo");
    assertThat(first.call(revive()).status()).isEqualTo(202);
    // The two frameworks share foo's bucket: the other one's call waits for the next permit.
    CompletableFuture<HttpResponse> held = second.callAsync(revive());
    awaitReceived("foo", 2);
    assertThat(processed("foo")).isEqualTo(1.0);
    assertThat(held).isNotDone();

    cluster.advance(Duration.ofSeconds(1));
    assertThat(status(held)).isEqualTo(202);
    assertThat(processed("foo")).isEqualTo(2.0);
  }

  @Test
  void aggregateDefaultThrottlesUnlistedPrincipalsTogether() throws Exception {
    start("{\"limits\": [{\"principal\": \"foo\", \"qps\": 1}], \"aggregate_default_qps\": 1}");
    TestScheduler qux = subscribe("qux");
    TestScheduler anonymous = subscribe(null);
    assertThat(qux.call(revive()).status()).isEqualTo(202);
    CompletableFuture<HttpResponse> held = anonymous.callAsync(revive());
    awaitReceived("qux", 1);
    cluster.advance(Duration.ofMillis(999));
    assertThat(held).isNotDone();

    cluster.advance(Duration.ofMillis(1));
    assertThat(status(held)).isEqualTo(202);
    // Counters exist only for principals.
    assertThat(cluster.metrics().fieldNames()).toIterable()
        .filteredOn(name -> name.startsWith("frameworks/"))
        .containsExactlyInAnyOrder("frameworks/qux/messages_received", "frameworks/qux/messages_processed");
  }

  @Test
  void schedulerFailover() throws Exception {
    start("{\"limits\": [{\"principal\": \"foo\", \"qps\": 1}]}");
    TestScheduler original = subscribe("foo");
    assertThat(original.call(revive()).status()).isEqualTo(202);
    FrameworkID id = original.frameworkId();

    TestScheduler failedOver = cluster.scheduler(true);
    assertThat(failedOver.subscribe(TestScheduler.frameworkInfo().setPrincipal("foo").setId(id).build())
        .getType()).isEqualTo(Event.Type.SUBSCRIBED);
    // The framework keeps its bucket (no permit yet) and its counters across the failover.
    CompletableFuture<HttpResponse> held = failedOver.callAsync(revive());
    awaitReceived("foo", 2);
    assertThat(processed("foo")).isEqualTo(1.0);

    cluster.advance(Duration.ofSeconds(1));
    assertThat(status(held)).isEqualTo(202);
    assertThat(processed("foo")).isEqualTo(2.0);
  }

  @Test
  void capacityReached() throws Exception {
    start("{\"limits\": [{\"principal\": \"foo\", \"qps\": 1, \"capacity\": 2}]}");
    TestScheduler foo = subscribe("foo");
    assertThat(foo.call(revive()).status()).isEqualTo(202);
    CompletableFuture<HttpResponse> second = foo.callAsync(revive());
    CompletableFuture<HttpResponse> third = foo.callAsync(revive());
    awaitReceived("foo", 3);

    HttpResponse refused = foo.call(revive());
    assertThat(refused.status()).isEqualTo(429);
    assertThat(new String(refused.body(), StandardCharsets.UTF_8))
        .isEqualTo("Message REVIVE dropped: capacity(2) exceeded");
    Event error = foo.expect(Event.Type.ERROR);
    assertThat(error.getError().getMessage()).isEqualTo("Message REVIVE dropped: capacity(2) exceeded");
    assertThat(received("foo")).isEqualTo(4.0);

    cluster.advance(Duration.ofSeconds(1));
    cluster.advance(Duration.ofSeconds(1));
    assertThat(status(second)).isEqualTo(202);
    assertThat(status(third)).isEqualTo(202);
    // The dropped call is received but never processed.
    assertThat(processed("foo")).isEqualTo(3.0);
  }
}
