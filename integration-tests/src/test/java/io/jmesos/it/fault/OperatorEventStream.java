package io.jmesos.it.fault;

import io.jmesos.json.MesosJson;
import io.jmesos.recordio.RecordIO;
import io.jmesos.testing.FaultCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.master.Protos.Event;

/**
 * A subscriber to the master's operator event stream ({@code SUBSCRIBE} on {@code /api/v1}), as an operator's
 * tool reads it: RecordIO records decoded on a thread of its own into a queue, in JSON or protobuf.
 */
final class OperatorEventStream implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  final HttpResponse<InputStream> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean ended;

  OperatorEventStream(FaultCluster cluster, boolean json) throws IOException, InterruptedException {
    String type = json ? "application/json" : "application/x-protobuf";
    byte[] body = json ? "{\"type\":\"SUBSCRIBE\"}".getBytes(StandardCharsets.UTF_8)
        : org.apache.mesos.v1.master.Protos.Call.newBuilder()
            .setType(org.apache.mesos.v1.master.Protos.Call.Type.SUBSCRIBE).build().toByteArray();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + cluster.masterUrl() + "/api/v1"))
        .header("Content-Type", type)
        .header("Accept", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    reader = new Thread(() -> read(json), "operator-event-stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(boolean json) {
    RecordIO.Decoder decoder = new RecordIO.Decoder(64 << 20);
    byte[] buffer = new byte[8192];
    try (InputStream in = response.body()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (byte[] record : decoder.feed(buffer, 0, n)) {
          events.add(json ? MesosJson.parse(record, Event.newBuilder()).build() : Event.parseFrom(record));
        }
      }
    } catch (IOException e) {
      // The stream ended.
    } finally {
      ended = true;
    }
  }

  /** The next event other than HEARTBEAT, within 10 s. */
  Event next() throws InterruptedException {
    while (true) {
      Event event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        throw new AssertionError("No operator event within " + WAIT + (ended ? " (the stream ended)" : ""));
      }
      if (event.getType() != Event.Type.HEARTBEAT) {
        return event;
      }
    }
  }

  /** The next event, heartbeats included, within 10 s. */
  Event nextAny() throws InterruptedException {
    Event event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null) {
      throw new AssertionError("No operator event within " + WAIT);
    }
    return event;
  }

  /** Events already received (heartbeats included), without waiting. */
  int buffered() {
    return events.size();
  }

  /** Whether the master ended the stream, within 10 s. */
  boolean awaitEnd() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!ended && System.nanoTime() < deadline) {
      reader.join(50);
    }
    return ended;
  }

  @Override
  public void close() {
    reader.interrupt();
    try {
      response.body().close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }
}
