package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.FrameworkToExecutorMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.Protos.ExecutorID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor that subscribes and then never reads its event stream while its framework sends it messages: the
 * agent closes the stream once 16 MiB wait unread, logs it and counts it, rather than holding every message.
 */
@Timeout(60)
class SlowExecutorTest {
  @TempDir
  Path workDir;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void anExecutorThatDoesNotReadIsDisconnected() throws Exception {
    h = new AgentHarness(workDir).start();
    h.register();
    h.runTask(AgentHarness.customExecutorTask("t1", "e1", "sleep 30")); // the test plays executor e1
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.state().get("frameworks").size() == 1);
    try (Socket stream = new Socket()) {
      stream.setReceiveBufferSize(4096);
      stream.connect(h.agent.address());
      stream.setSoTimeout(10_000);
      String body = "{\"type\":\"SUBSCRIBE\",\"framework_id\":{\"value\":\"" + AgentHarness.FRAMEWORK_ID.getValue()
          + "\"},\"executor_id\":{\"value\":\"e1\"},\"subscribe\":{}}";
      stream.getOutputStream().write(("POST /api/v1/executor HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
          + "\r\nAccept: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.UTF_8));
      readUntil(stream.getInputStream(), "SUBSCRIBED");
      // From here on the executor reads nothing; its framework sends it 64 KiB messages.
      FrameworkToExecutorMessage message = FrameworkToExecutorMessage.newBuilder()
          .setSlaveId(AgentHarness.SLAVE_ID).setFrameworkId(AgentHarness.FRAMEWORK_ID)
          .setExecutorId(ExecutorID.newBuilder().setValue("e1")).setData(ByteString.copyFrom(new byte[65536]))
          .build();
      int sent = 0;
      while (h.metrics().get("slave/slow_executor_subscribers_disconnected").asDouble() == 0) {
        assertThat(sent).as("messages before the stream is closed").isLessThan(2000);
        for (int i = 0; i < 20; i++, sent++) {
          h.master.send(message);
        }
        h.flushToMaster();
        h.settle();
      }
      // 16 MiB of JSON (base64 data: ~87 KiB an event) is some 190 events, plus what the sockets held.
      assertThat(sent).isGreaterThan(150);
      assertThat(readsToTheEnd(stream.getInputStream())).isTrue();
    }
    assertThat(h.metrics().get("slave/slow_executor_subscribers_disconnected").asDouble()).isEqualTo(1.0);
  }

  private static void readUntil(InputStream in, String marker) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith(marker)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Closed after " + sb);
      }
      sb.append((char) b);
    }
  }

  private static boolean readsToTheEnd(InputStream in) throws IOException {
    byte[] buffer = new byte[65536];
    try {
      while (in.read(buffer) >= 0) {
        // drain what the kernel still held
      }
      return true;
    } catch (SocketException e) {
      return true;
    }
  }
}
