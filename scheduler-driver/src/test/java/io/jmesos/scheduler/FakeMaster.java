package io.jmesos.scheduler;

import org.awaitility.Awaitility;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.http.EventStream;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.http.MediaTypes;
import io.jmesos.recordio.RecordIO;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MesosServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * An in-process stand-in for the master's scheduler API: answers SUBSCRIBE with a RecordIO event stream
 * (and, unless told otherwise, a SUBSCRIBED event), answers other calls 202 when they carry the current
 * stream id, and records every call. Tests push events with {@link #send(Event)}. Thread-safe.
 */
final class FakeMaster implements AutoCloseable {
  static final String FRAMEWORK_ID = "fw-0001";
  static final Duration WAIT = Duration.ofSeconds(10);

  private final HttpRouter router;
  private volatile MesosServer server;
  private final InetSocketAddress address;
  private final List<Recorded> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private final AtomicInteger closedStreams = new AtomicInteger();
  private final Map<Call.Type, Integer> callStatus = new ConcurrentHashMap<>();
  private volatile EventStream stream;
  private volatile String streamId;
  private volatile boolean autoSubscribed = true;
  private volatile double heartbeatSeconds = 15;
  private volatile HttpResponse subscribeAnswer;

  /** A recorded call and the headers it came with. */
  static final class Recorded {
    final Call call;
    final String streamId;
    final String contentType;
    final String authorization;

    Recorded(Call call, String streamId, String contentType, String authorization) {
      this.call = call;
      this.streamId = streamId;
      this.contentType = contentType;
      this.authorization = authorization;
    }
  }

  FakeMaster() throws InterruptedException {
    router = new HttpRouter().route(this::handle, Subscription.PATH);
    server = new MesosServer("fake-master", new InetSocketAddress("127.0.0.1", 0), router, null, Limits.DEFAULT);
    address = server.start();
  }

  /** Goes away, as a master that dies: the event stream and every connection close, the port refuses. */
  void stop() {
    EventStream s = stream;
    if (s != null) {
      s.close();
    }
    stream = null;
    server.close();
  }

  /** Comes back on the same port after {@link #stop()}. */
  void restart() throws InterruptedException {
    server = new MesosServer("fake-master", address, router, null, Limits.DEFAULT);
    server.start();
  }

  String url() {
    return "127.0.0.1:" + address.getPort();
  }

  InetSocketAddress address() {
    return address;
  }

  /** Whether SUBSCRIBE is answered with SUBSCRIBED at once (default) or left waiting. */
  FakeMaster autoSubscribed(boolean value) {
    autoSubscribed = value;
    return this;
  }

  FakeMaster heartbeatSeconds(double seconds) {
    heartbeatSeconds = seconds;
    return this;
  }

  /** Answers later SUBSCRIBEs with {@code response} instead of a stream (null restores streams). */
  FakeMaster answerSubscribe(HttpResponse response) {
    subscribeAnswer = response;
    return this;
  }

  /** Answers later calls of {@code type} with {@code status} instead of 202. */
  FakeMaster answer(Call.Type type, int status) {
    callStatus.put(type, status);
    return this;
  }

  private void handle(HttpRequest request, HttpResponder responder) {
    if (!request.method().equals("POST")) {
      responder.respond(HttpResponse.text(405, "Expecting POST"));
      return;
    }
    Call call;
    try {
      call = Call.parseFrom(request.body());
    } catch (InvalidProtocolBufferException e) {
      responder.respond(HttpResponse.text(400, "Failed to parse body into Call protobuf: " + e.getMessage()));
      return;
    }
    calls.add(new Recorded(call, request.header(Subscription.STREAM_ID_HEADER), request.contentType(),
        request.header("Authorization")));
    if (call.getType() == Call.Type.SUBSCRIBE) {
      subscribe(call, responder);
      return;
    }
    String id = request.header(Subscription.STREAM_ID_HEADER);
    if (id == null || !id.equals(streamId)) {
      responder.respond(HttpResponse.text(400, "The stream ID '" + id + "' included in this request didn't match"));
      return;
    }
    Integer status = callStatus.get(call.getType());
    responder.respond(status == null ? HttpResponse.accepted() : HttpResponse.text(status, "Refused by test"));
  }

  private void subscribe(Call call, HttpResponder responder) {
    HttpResponse answer = subscribeAnswer;
    if (answer != null) {
      responder.respond(answer);
      return;
    }
    String id = UUID.randomUUID().toString();
    EventStream previous = stream;
    EventStream es = responder.stream(200, Map.of("Content-Type", MediaTypes.PROTOBUF,
        Subscription.STREAM_ID_HEADER, id));
    es.onClose(closedStreams::incrementAndGet);
    streamId = id;
    stream = es;
    if (previous != null) {
      previous.close();
    }
    subscriptions.incrementAndGet();
    if (autoSubscribed) {
      FrameworkID fid = call.hasFrameworkId() ? call.getFrameworkId()
          : FrameworkID.newBuilder().setValue(FRAMEWORK_ID).build();
      send(subscribed(fid));
    }
  }

  Event subscribed(FrameworkID fid) {
    return Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder()
            .setFrameworkId(fid)
            .setHeartbeatIntervalSeconds(heartbeatSeconds)
            .setMasterInfo(MasterInfo.newBuilder().setId("master-1").setIp(0x0100007f).setPort(address.getPort())
                .setHostname("localhost")))
        .build();
  }

  /** Sends an event on the current stream. */
  void send(Event event) {
    stream.send(RecordIO.encode(event.toByteArray()));
  }

  /** Sends {@code record} on the current stream as it is, e.g. bytes that are no event. */
  void sendRecord(byte[] record) {
    stream.send(RecordIO.encode(record));
  }

  /** Ends the current event stream, as a master failing over would. */
  void dropStream() {
    stream.close();
  }

  String currentStreamId() {
    return streamId;
  }

  int subscriptions() {
    return subscriptions.get();
  }

  int closedStreams() {
    return closedStreams.get();
  }

  List<Call> calls(Call.Type type) {
    return calls.stream().filter(r -> r.call.getType() == type).map(r -> r.call).collect(Collectors.toList());
  }

  List<Recorded> recorded() {
    return List.copyOf(calls);
  }

  /** Non-SUBSCRIBE call types in arrival order. */
  List<Call.Type> callTypes() {
    return calls.stream().map(r -> r.call.getType()).filter(t -> t != Call.Type.SUBSCRIBE)
        .collect(Collectors.toList());
  }

  /** Waits for the {@code n}th (1-based) call of {@code type}. */
  Call await(Call.Type type, int n) {
    Awaitility.await().atMost(WAIT).until(() -> calls(type).size() >= n);
    return calls(type).get(n - 1);
  }

  Call await(Call.Type type) {
    return await(type, 1);
  }

  Recorded awaitRecorded(Call.Type type) {
    Awaitility.await().atMost(WAIT).until(() -> calls.stream().anyMatch(r -> r.call.getType() == type));
    return calls.stream().filter(r -> r.call.getType() == type).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    EventStream s = stream;
    if (s != null) {
      s.close();
    }
    server.close();
  }
}
