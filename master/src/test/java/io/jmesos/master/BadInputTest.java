package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.transport.Limits;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BadInputTest {
  private TestCluster cluster;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory")),
        Limits.DEFAULT.withMaxHttpBodyBytes(64 * 1024));
    http = new HttpClient("bad-input");
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    cluster.close();
  }

  private HttpResponse post(String contentType, byte[] body, Map<String, String> headers) throws Exception {
    return http.post(cluster.address, TestScheduler.PATH, contentType, body, headers).get(10, TimeUnit.SECONDS);
  }

  @Test
  void garbageOnThePortGets400AndTheMasterKeepsServing() throws Exception {
    try (Socket socket = new Socket(cluster.address.getAddress(), cluster.address.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write("\u0001\u0002garbage that is neither HTTP nor JMI1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      socket.setSoTimeout(5000);
      InputStream in = socket.getInputStream();
      String reply = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
      assertThat(reply).startsWith("HTTP/1.1 400");
    }
    assertThat(http.get(cluster.address, "/health").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void malformedJsonIs400() throws Exception {
    HttpResponse r = post("application/json", "{\"type\": ".getBytes(StandardCharsets.UTF_8), Map.of());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).startsWith("Failed to parse body into Call protobuf");
  }

  @Test
  void malformedProtobufIs400() throws Exception {
    HttpResponse r = post("application/x-protobuf", new byte[] {(byte) 0xff, 0x01, 0x02}, Map.of());
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void invalidCallIs400WithAMessage() throws Exception {
    HttpResponse r = post("application/json", "{\"type\":\"ACCEPT\"}".getBytes(StandardCharsets.UTF_8), Map.of());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).isEqualTo(
        "Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    byte[] big = new byte[128 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpResponse r = post("application/json", big, Map.of());
    assertThat(r.status()).isEqualTo(413);
  }

  @Test
  void unsupportedContentTypeIs415AndMissingIs400() throws Exception {
    assertThat(post("text/plain", "x".getBytes(StandardCharsets.UTF_8), Map.of()).status()).isEqualTo(415);
    HttpResponse missing = http.request(cluster.address, "POST", TestScheduler.PATH, Map.of(),
        "{}".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    assertThat(missing.status()).isEqualTo(400);
  }

  @Test
  void otherMethodsAre405() throws Exception {
    assertThat(http.get(cluster.address, TestScheduler.PATH).get(10, TimeUnit.SECONDS).status()).isEqualTo(405);
  }

  @Test
  void unacceptableAcceptIs406() throws Exception {
    Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
        .setFrameworkInfo(TestScheduler.frameworkInfo())).build();
    HttpResponse r = post("application/x-protobuf", subscribe.toByteArray(), Map.of("Accept", "text/html"));
    assertThat(r.status()).isEqualTo(406);
  }

  @Test
  void unknownFrameworkIs400() throws Exception {
    Call revive = Call.newBuilder().setType(Call.Type.REVIVE)
        .setFrameworkId(FrameworkID.newBuilder().setValue("nobody")).build();

    HttpResponse r = post("application/x-protobuf", revive.toByteArray(), Map.of("Mesos-Stream-Id", "any"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).isEqualTo("Framework cannot be found");
  }

  @Test
  void subscribeWithAStreamIdIs400() throws Exception {
    Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
        .setFrameworkInfo(TestScheduler.frameworkInfo())).build();

    HttpResponse r = post("application/x-protobuf", subscribe.toByteArray(),
        Map.of("Accept", "application/x-protobuf", "Mesos-Stream-Id", "some-stream"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).isEqualTo("Subscribe calls should not include the 'Mesos-Stream-Id' header");
  }

  @Test
  void missingOrWrongStreamIdIs400() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    Call revive = Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(scheduler.frameworkId()).build();

    HttpResponse missing = scheduler.post(revive, Map.of());
    HttpResponse wrong = scheduler.post(revive, Map.of("Mesos-Stream-Id", "not-the-stream"));
    HttpResponse right = scheduler.post(revive, Map.of("Mesos-Stream-Id", scheduler.streamId()));

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.bodyText()).contains("Mesos-Stream-Id");
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(right.status()).isEqualTo(202);
  }

  @Test
  @SuppressWarnings("deprecation")
  void invalidFrameworkInfoGetsAnErrorEvent() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    var event = scheduler.subscribe(TestScheduler.frameworkInfo().setRole("bad role").build());
    assertThat(event.getType()).isEqualTo(org.apache.mesos.v1.scheduler.Protos.Event.Type.ERROR);
    org.awaitility.Awaitility.await().until(scheduler::streamClosed);
  }
}
