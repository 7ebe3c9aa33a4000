package io.jmesos.agent.http;

import io.jmesos.protocol.Evolve;
import io.jmesos.agent.executors.ExecutorChannel;
import io.jmesos.http.EventStream;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.recordio.RecordIO;
import org.apache.mesos.executor.Protos.Event;

/**
 * An executor's event stream over a chunked HTTP response: each event is turned into its v1 form (same
 * bytes), encoded as JSON or protobuf as the executor asked, and framed with RecordIO. Thread-safe.
 */
final class HttpExecutorChannel implements ExecutorChannel {
  private final EventStream stream;
  private final boolean json;

  HttpExecutorChannel(EventStream stream, String mediaType) {
    this.stream = stream;
    this.json = MediaTypes.JSON.equals(mediaType);
  }

  @Override
  public void send(Event event) {
    org.apache.mesos.v1.executor.Protos.Event v1 =
        Evolve.evolve(event, org.apache.mesos.v1.executor.Protos.Event.parser());
    byte[] body = json ? MesosJson.printBytes(v1) : v1.toByteArray();
    stream.send(RecordIO.encode(body));
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
}
