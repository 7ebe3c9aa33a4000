package io.jmesos.agent.http;

import io.jmesos.agent.executors.ExecutorChannel;
import io.jmesos.http.EventStream;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.protocol.Evolve;
import io.jmesos.recordio.RecordIO;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.apache.mesos.executor.Protos.Event;

/**
 * An executor's event stream over a chunked HTTP response: each event is turned into its v1 form (same
 * bytes), encoded as JSON or protobuf as the executor asked, and framed with RecordIO. Beyond Mesos, an executor
 * that reads too slowly cannot make the agent hold ever more: once its unread backlog passes
 * {@link #MAX_BACKLOG_BYTES} (or twice the largest event sent, if larger) the stream is aborted and the
 * slow-consumer callbacks hear of it. Thread-safe.
 */
final class HttpExecutorChannel implements ExecutorChannel {
  /** The unread backlog beyond which an executor's event stream is closed, as the master's streams. */
  static final long MAX_BACKLOG_BYTES = 16L << 20;

  private final EventStream stream;
  private final boolean json;
  private final long maxBacklogBytes;
  private final List<LongConsumer> slowCallbacks = new CopyOnWriteArrayList<>();
  private volatile long largestEvent;

  HttpExecutorChannel(EventStream stream, String mediaType) {
    this(stream, mediaType, MAX_BACKLOG_BYTES);
  }

  /** With another backlog bound (tests). */
  HttpExecutorChannel(EventStream stream, String mediaType, long maxBacklogBytes) {
    this.stream = stream;
    this.json = MediaTypes.JSON.equals(mediaType);
    this.maxBacklogBytes = maxBacklogBytes;
  }

  @Override
  public void send(Event event) {
    long backlog = stream.pendingBytes();
    if (backlog > Math.max(maxBacklogBytes, 2 * largestEvent)) {
      if (stream.isOpen()) {
        stream.abort();
        for (LongConsumer callback : slowCallbacks) {
          callback.accept(backlog);
        }
      }
      return;
    }
    org.apache.mesos.v1.executor.Protos.Event v1 =
        Evolve.evolve(event, org.apache.mesos.v1.executor.Protos.Event.parser());
    byte[] record = RecordIO.encode(json ? MesosJson.printBytes(v1) : v1.toByteArray());
    largestEvent = Math.max(largestEvent, record.length);
    stream.send(record);
  }

  @Override
  public boolean isOpen() {
    return stream.isOpen();
  }

  @Override
  public void close() {
    stream.close();
  }

  @Override
  public void onClose(Runnable callback) {
    stream.onClose(callback);
  }

  @Override
  public void onSlowConsumer(LongConsumer callback) {
    slowCallbacks.add(callback);
  }
}
