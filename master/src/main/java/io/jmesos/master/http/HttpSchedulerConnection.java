package io.jmesos.master.http;

import io.jmesos.http.EventStream;
import io.jmesos.json.MesosJson;
import io.jmesos.master.state.SchedulerConnection;
import io.jmesos.recordio.RecordIO;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A SUBSCRIBE response: events RecordIO-framed, each as JSON or protobuf per the request's Accept header.
 * Thread-safe (the underlying stream is).
 */
final class HttpSchedulerConnection implements SchedulerConnection {
  private final String streamId;
  private final EventStream stream;
  private final boolean json;

  HttpSchedulerConnection(String streamId, EventStream stream, boolean json) {
    this.streamId = streamId;
    this.stream = stream;
    this.json = json;
  }

  @Override
  public String streamId() {
    return streamId;
  }

  @Override
  public void send(Event event) {
    stream.send(RecordIO.encode(json ? MesosJson.printBytes(event) : event.toByteArray()));
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
