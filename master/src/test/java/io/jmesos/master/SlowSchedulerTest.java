package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.state.SchedulerConnection;
import io.jmesos.master.testing.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A framework that never reads its event stream while it sends RECONCILE calls on another connection (each
 * answered by a TASK_LOST update per unknown task): the master keeps at most its bound of unread events for it,
 * then closes the stream as a slow consumer, says so in its log and counts it, and the framework is
 * disconnected. Mesos queued 4 million events (6 GB) for such a framework.
 */
@Timeout(120)
class SlowSchedulerTest {
  private static final int TASKS_PER_CALL = 1000;
  private final AtomicLong maxBacklog = new AtomicLong();
  private TestCluster cluster;
  private HttpClient http;

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aSchedulerThatDoesNotReadIsDisconnectedWithItsBacklogBounded() throws Exception {
    cluster = new TestCluster(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory")),
        (framework, connection) -> new Recording(connection));
    http = new HttpClient("slow-scheduler-test");
    try (Socket stream = new Socket()) {
      stream.setReceiveBufferSize(4096);
      stream.connect(cluster.address);
      stream.setSoTimeout(10_000);
      String subscribe =
          "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"slow\"}}}";
      stream.getOutputStream().write(request("", subscribe).getBytes(StandardCharsets.UTF_8));
      String head = readUntil(stream.getInputStream(), "\"framework_id\":{\"value\":\"");
      Matcher streamId = Pattern.compile("(?i)Mesos-Stream-Id: *([^\\r\\n]+)").matcher(head);
      assertThat(streamId.find()).isTrue();
      String frameworkId = readUntil(stream.getInputStream(), "\"");
      frameworkId = frameworkId.substring(0, frameworkId.length() - 1);
      // From here on the scheduler reads nothing.

      StringBuilder tasks = new StringBuilder();
      for (int i = 0; i < TASKS_PER_CALL; i++) {
        tasks.append(i == 0 ? "" : ",").append("{\"task_id\":{\"value\":\"t").append(i).append("\"}}");
      }
      byte[] reconcile = ("{\"framework_id\":{\"value\":\"" + frameworkId + "\"},\"type\":\"RECONCILE\","
          + "\"reconcile\":{\"tasks\":[" + tasks + "]}}").getBytes(StandardCharsets.UTF_8);
      int calls = 0;
      while (cluster.metrics().get("master/slow_scheduler_subscribers_disconnected").asDouble() == 0) {
        assertThat(calls).as("RECONCILE calls before the stream is closed").isLessThan(1000);
        for (int i = 0; i < 10; i++, calls++) {
          HttpResponse r = http.post(cluster.address, "/api/v1/scheduler", "application/json", reconcile,
              Map.of("Mesos-Stream-Id", streamId.group(1))).get(10, TimeUnit.SECONDS);
          if (r.status() != 202) {
            break; // the framework is no longer subscribed
          }
        }
        cluster.master.settle();
      }
      // The backlog reached the bound (16 MiB), then the next event closed the stream: never much more queued
      // (Netty counts a write queued from another thread with some overhead, and re-counts it when it runs).
      assertThat(maxBacklog.get()).isGreaterThan(16L << 20).isLessThan((16L << 20) + (256 << 10));
      assertThat(calls).isGreaterThan(20);
      assertThat(readsToTheEnd(stream.getInputStream())).isTrue();
    }
    await().atMost(Duration.ofSeconds(10))
        .until(() -> cluster.metrics().get("master/frameworks_disconnected").asDouble() == 1.0);
    assertThat(cluster.metrics().get("master/slow_scheduler_subscribers_disconnected").asDouble()).isEqualTo(1.0);
  }

  private static String request(String streamId, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Accept: application/json\r\n" + (streamId.isEmpty() ? "" : "Mesos-Stream-Id: " + streamId + "\r\n")
        + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
  }

  private static String readUntil(InputStream in, String marker) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith(marker)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Closed after " + sb);
      }
      sb.append((char) b);
    }
    return sb.toString();
  }

  /** True when the stream ends (closed or reset by the master) before the read timeout. */
  private static boolean readsToTheEnd(InputStream in) throws IOException {
    byte[] buffer = new byte[65536];
    try {
      while (in.read(buffer) >= 0) {
        // drain what the kernel still held
      }
      return true;
    } catch (SocketException e) {
      return true; // reset: the master dropped the unread events
    }
  }

  /**
   * The master's stream, recording its unread backlog before each event while it is open (after the abort, Netty
   * still re-counts the writes it had queued until the channel is closed on its event loop).
   */
  private final class Recording implements SchedulerConnection {
    private final SchedulerConnection inner;
    private volatile boolean aborted;

    Recording(SchedulerConnection inner) {
      this.inner = inner;
      // The backlog the stream itself saw when it gave up: a read here before each send can miss the last growth
      // (the I/O thread re-counts queued writes between this read and the stream's own).
      inner.onSlowConsumer(backlog -> {
        maxBacklog.accumulateAndGet(backlog, Math::max);
        aborted = true;
      });
    }

    @Override
    public String streamId() {
      return inner.streamId();
    }

    @Override
    public void send(Event event) {
      if (!aborted) {
        maxBacklog.accumulateAndGet(inner.pendingBytes(), Math::max);
      }
      inner.send(event);
    }

    @Override
    public void onClose(Runnable callback) {
      inner.onClose(callback);
    }

    @Override
    public void close() {
      inner.close();
    }

    @Override
    public long pendingBytes() {
      return inner.pendingBytes();
    }

    @Override
    public void onSlowConsumer(LongConsumer callback) {
      inner.onSlowConsumer(callback);
    }
  }
}
