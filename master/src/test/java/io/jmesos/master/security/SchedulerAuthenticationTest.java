package io.jmesos.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.transport.Limits;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler API with {@code --authenticate_http_frameworks}, as Mesos 1.11: calls must authenticate in the
 * {@code mesos-master-scheduler} realm; a SUBSCRIBE naming another principal than the authenticated one is a
 * 400, one naming none gets the authenticated one; later calls must come from the framework's principal.
 */
@Timeout(60)
class SchedulerAuthenticationTest {
  @TempDir
  Path dir;
  private TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory",
        "credentials", Credentials.write(dir).toString(), "authenticate_http_frameworks", "true",
        "http_framework_authenticators", "basic")), Limits.DEFAULT);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static Call subscribe(String principal) {
    var info = TestScheduler.frameworkInfo();
    if (principal != null) {
      info.setPrincipal(principal);
    }
    return Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
  }

  private JsonNode frameworks() throws Exception {
    try (HttpClient http = new HttpClient("authn-state")) {
      return new ObjectMapper().readTree(http.get(cluster.address, "/frameworks").get(10, TimeUnit.SECONDS).body())
          .get("frameworks");
    }
  }

  @Test
  void subscribeWithoutGoodCredentialsIsUnauthorized() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    for (String authorization : new String[] {null, Credentials.WRONG, Credentials.MALFORMED}) {
      HttpResponse refused = scheduler.authorization(authorization).post(subscribe("ops"), Map.of());
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo("Basic realm=\"mesos-master-scheduler\"");
    }
    assertThat(frameworks()).isEmpty();
  }

  @Test
  void subscribeNamingAnotherPrincipalIsRefusedAsMesosDoes() throws Exception {
    HttpResponse refused = cluster.scheduler(false).authorization(Credentials.ALICE).post(subscribe("bob"), Map.of());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.bodyText()).isEqualTo("Failed to validate scheduler::Call: Authenticated principal 'alice' "
        + "does not match principal 'bob' set in `FrameworkInfo`");
    assertThat(frameworks()).isEmpty();
  }

  @Test
  void subscribeNamingItsOwnPrincipalIsAccepted() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true).authorization(Credentials.ALICE);
    assertThat(scheduler.subscribe(TestScheduler.frameworkInfo().setPrincipal("alice").build()).getType())
        .isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(frameworks().get(0).get("principal").asText()).isEqualTo("alice");
  }

  @Test
  void subscribeWithoutPrincipalGetsTheAuthenticatedOne() throws Exception {
    TestScheduler scheduler = cluster.scheduler(false).authorization(Credentials.BOB);
    assertThat(scheduler.subscribe(TestScheduler.frameworkInfo().build()).getType())
        .isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(frameworks().get(0).get("principal").asText()).isEqualTo("bob");
  }

  @Test
  void laterCallsMustAuthenticateAsTheFrameworksPrincipal() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true).authorization(Credentials.ALICE);
    scheduler.subscribe(TestScheduler.frameworkInfo().setPrincipal("alice").build());
    Call.Builder revive = Call.newBuilder().setType(Call.Type.REVIVE);
    assertThat(scheduler.call(revive).status()).isEqualTo(202);

    scheduler.authorization(Credentials.BOB);
    HttpResponse other = scheduler.call(revive);
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.bodyText()).isEqualTo("Authenticated principal 'bob' does not match principal 'alice' set in "
        + "`FrameworkInfo`");

    scheduler.authorization(null);
    assertThat(scheduler.call(revive).status()).isEqualTo(401);
  }

  @Test
  void theOtherRealmsStayOpen() throws Exception {
    assertThat(frameworks()).as("/frameworks answered without credentials").isEmpty();
  }
}
