package io.jmesos.master.http;

import io.jmesos.http.EventStream;
import io.jmesos.json.MesosJson;
import io.jmesos.master.state.EncodedEvent;
import io.jmesos.master.state.SchedulerConnection;
import io.jmesos.recordio.RecordIO;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A SUBSCRIBE response: events RecordIO-framed, each as JSON or protobuf per the request's Accept header.
 * Beyond Mesos, a scheduler that reads too slowly cannot make the master hold ever more: once its unread
 * backlog passes {@link #MAX_BACKLOG_BYTES} (or twice the largest event sent on the stream, if larger) the
 * stream is aborted and the slow-consumer callbacks hear of it (the master logs the framework and counts it,
 * then treats it as any disconnection). Thread-safe (the underlying stream is); sent to from the master's actor.
 */
final class HttpSchedulerConnection implements SchedulerConnection {
  /** The unread backlog beyond which a scheduler's event stream is closed, as the operator stream's. */
  static final long MAX_BACKLOG_BYTES = OperatorSubscribers.MAX_BACKLOG_BYTES;

  private final String streamId;
  private final EventStream stream;
  private final boolean json;
  private final long maxBacklogBytes;
  private final List<LongConsumer> slowCallbacks = new CopyOnWriteArrayList<>();
  private volatile long largestEvent;

  HttpSchedulerConnection(String streamId, EventStream stream, boolean json) {
    this(streamId, stream, json, MAX_BACKLOG_BYTES);
  }

  /** With another backlog bound (tests). */
  HttpSchedulerConnection(String streamId, EventStream stream, boolean json, long maxBacklogBytes) {
    this.streamId = streamId;
    this.stream = stream;
    this.json = json;
    this.maxBacklogBytes = maxBacklogBytes;
  }

  @Override
  public String streamId() {
    return streamId;
  }

  @Override
  public void send(Event event) {
    if (stream.isOpen() && !tooSlow()) {
      write(json ? MesosJson.printBytes(event) : event.toByteArray());
    }
  }

  /** A protobuf stream writes the event's bytes as they are; a JSON one prints the parsed v1 event. */
  @Override
  public void send(EncodedEvent event) {
    if (stream.isOpen() && !tooSlow()) {
      write(json ? MesosJson.printBytes(event.event()) : event.bytes());
    }
  }

  /** Aborts the stream (and tells the slow-consumer callbacks) when the scheduler left too much unread. */
  private boolean tooSlow() {
    long backlog = stream.pendingBytes();
    if (backlog <= Math.max(maxBacklogBytes, 2 * largestEvent)) {
      return false;
    }
    stream.abort();
    for (LongConsumer callback : slowCallbacks) {
      callback.accept(backlog);
    }
    return true;
  }

  private void write(byte[] event) {
    byte[] record = RecordIO.encode(event);
    largestEvent = Math.max(largestEvent, record.length);
    stream.send(record);
  }

  @Override
  public long pendingBytes() {
    return stream.pendingBytes();
  }

  @Override
  public void onSlowConsumer(LongConsumer callback) {
    slowCallbacks.add(callback);
  }

  @Override
  public void onClose(Runnable callback) {
    stream.onClose(callback);
  }

  @Override
  public void close() {
    stream.close();
  }

  @Override
  public String toString() {
    return "stream " + streamId;
  }
}
