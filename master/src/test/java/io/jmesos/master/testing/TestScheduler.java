package io.jmesos.master.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.recordio.RecordIO;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A raw HTTP scheduler for tests: subscribes over {@code /api/v1/scheduler} (JSON or protobuf), decodes the
 * RecordIO event stream into a queue and posts calls with the stream id. Thread-safe.
 */
public final class TestScheduler implements AutoCloseable {
  public static final String PATH = "/api/v1/scheduler";

  private final HttpClient http = new HttpClient("test-scheduler");
  private final InetSocketAddress master;
  private final boolean json;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Map<String, String>> headers = new CompletableFuture<>();
  private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
  private volatile int status;
  private HttpClient.Stream stream;
  private String streamId;
  private FrameworkID frameworkId;
  private volatile String authorization;

  public TestScheduler(InetSocketAddress master, boolean json) {
    this.master = master;
    this.json = json;
  }

  /** Sends {@code value} as the {@code Authorization} header of every later request (null: none). */
  public TestScheduler authorization(String value) {
    this.authorization = value;
    return this;
  }

  public static FrameworkInfo.Builder frameworkInfo() {
    return FrameworkInfo.newBuilder().setUser("tester").setName("test-framework");
  }

  /** Subscribes and waits for SUBSCRIBED; returns it. */
  public Event subscribe(FrameworkInfo info) throws Exception {
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
    if (info.hasId()) {
      call.setFrameworkId(info.getId());
    }
    open(call.build());
    Event subscribed = next();
    if (subscribed.getType() == Event.Type.SUBSCRIBED) {
      frameworkId = subscribed.getSubscribed().getFrameworkId();
    }
    return subscribed;
  }

  /** Opens the SUBSCRIBE stream without waiting for anything. */
  public void open(Call subscribe) throws Exception {
    String type = json ? MediaTypes.JSON : MediaTypes.PROTOBUF;
    Map<String, String> h = new HashMap<>(Map.of("Content-Type", type, "Accept", type));
    if (authorization != null) {
      h.put("Authorization", authorization);
    }
    RecordIO.Decoder decoder = new RecordIO.Decoder(64 << 20);
    stream = http.stream(master, "POST", PATH, h, encode(subscribe), new HttpClient.StreamListener() {
      @Override
      public void onHeaders(int code, Map<String, String> responseHeaders) {
        status = code;
        headers.complete(responseHeaders);
      }

      @Override
      public void onData(byte[] chunk) {
        for (byte[] record : decoder.feed(chunk)) {
          try {
            events.add(json ? MesosJson.parse(record, Event.newBuilder()).build() : Event.parseFrom(record));
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
          }
        }
      }

      @Override
      public void onClosed(Throwable cause) {
        closed.complete(cause);
        headers.complete(Map.of());
      }
    });
    Map<String, String> got = headers.get(10, TimeUnit.SECONDS);
    streamId = caseInsensitive(got).get("mesos-stream-id");
  }

  private static Map<String, String> caseInsensitive(Map<String, String> h) {
    Map<String, String> lower = new HashMap<>();
    h.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
    return lower;
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() throws Exception {
    return caseInsensitive(headers.get(10, TimeUnit.SECONDS));
  }

  public String streamId() {
    return streamId;
  }

  public FrameworkID frameworkId() {
    return frameworkId;
  }

  public boolean streamClosed() {
    return closed.isDone();
  }

  /** The next event, HEARTBEATs included; fails after 10 s. */
  public Event next() throws InterruptedException {
    Event e = events.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("No event within 10s");
    }
    return e;
  }

  /** The next event of {@code type}, skipping HEARTBEATs and others. */
  public Event expect(Event.Type type) throws InterruptedException {
    while (true) {
      Event e = next();
      if (e.getType() == type) {
        return e;
      }
    }
  }

  /** The next event that is not a HEARTBEAT, or null if none arrives within {@code millis}. */
  public Event poll(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (e == null || e.getType() != Event.Type.HEARTBEAT) {
        return e;
      }
    }
  }

  /** Posts a call with this subscription's framework id and stream id. */
  public HttpResponse call(Call.Builder call) throws Exception {
    call.setFrameworkId(frameworkId);
    Map<String, String> h = new HashMap<>();
    h.put("Mesos-Stream-Id", streamId);
    return post(call.build(), h);
  }

  /** As {@link #call}, without waiting for the answer (a call the master holds back, e.g. --rate_limits). */
  public java.util.concurrent.CompletableFuture<HttpResponse> callAsync(Call.Builder call) {
    call.setFrameworkId(frameworkId);
    Map<String, String> h = new HashMap<>();
    h.put("Mesos-Stream-Id", streamId);
    if (authorization != null) {
      h.put("Authorization", authorization);
    }
    return http.post(master, PATH, json ? MediaTypes.JSON : MediaTypes.PROTOBUF, encode(call.build()), h);
  }

  public HttpResponse post(Call call, Map<String, String> extraHeaders) throws Exception {
    Map<String, String> h = new HashMap<>(extraHeaders);
    if (authorization != null) {
      h.putIfAbsent("Authorization", authorization);
    }
    return http.post(master, PATH, json ? MediaTypes.JSON : MediaTypes.PROTOBUF, encode(call), h)
        .get(10, TimeUnit.SECONDS);
  }

  private byte[] encode(Call call) {
    return json ? MesosJson.printBytes(call) : call.toByteArray();
  }

  public void disconnect() {
    if (stream != null) {
      stream.close();
    }
  }

  @Override
  public void close() {
    disconnect();
    http.close();
  }
}
