package io.jmesos.scheduler;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpConnection;
import io.jmesos.http.MediaTypes;
import io.jmesos.recordio.RecordIO;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SUBSCRIBE request to the master and the RecordIO stream of {@link Event}s that answers it.
 *
 * Shared by the v0 driver (a connection of its own per SUBSCRIBE) and the v1 library (SUBSCRIBE on the
 * persistent connection it opened first).
 *
 * <p>Threading: the HTTP client's I/O thread only frames and parses; every outcome is handed to the
 * {@link Listener} through the owner's executor (the driver's actor), in order. After {@link #close()} no
 * further outcome is delivered. A subscription is used once: the owner opens a new one to re-subscribe.
 */
public final class Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
  public static final String PATH = "/api/v1/scheduler";
  public static final String STREAM_ID_HEADER = "Mesos-Stream-Id";
  /** The largest event accepted; offers for many agents can be large. */
  static final int MAX_EVENT_BYTES = 64 << 20;
  private static final int MAX_ERROR_BODY_BYTES = 64 << 10;

  /** The outcomes of a subscription, delivered on the owner's executor. */
  public interface Listener {
    /** The master answered 200 and the event stream begins. */
    void accepted(Subscription subscription, String streamId);

    void event(Subscription subscription, Event event);

    /**
     * A record of the stream did not parse as an {@link Event}; the stream goes on. The owner may close the
     * subscription (the v0 driver does) or report the error and keep reading (Mesos' v1 library does).
     */
    void unparsable(Subscription subscription, String reason);

    /** The master answered something other than 200; the subscription is over. */
    void rejected(Subscription subscription, int status, Map<String, String> headers, String body);

    /** The connection failed, or the stream ended or carried garbage; the subscription is over. */
    void broken(Subscription subscription, String reason);
  }

  private final Executor owner;
  private final Listener listener;
  private final InetSocketAddress master;
  private volatile boolean closed;
  private HttpClient.Stream stream;

  private Subscription(Executor owner, Listener listener, InetSocketAddress master) {
    this.owner = owner;
    this.listener = listener;
    this.master = master;
  }

  /** Sends SUBSCRIBE to {@code master} on a new connection; {@code extraHeaders} carry e.g. authentication. */
  static Subscription open(HttpClient http, InetSocketAddress master, Map<String, String> extraHeaders,
      Call subscribe, Executor owner, Listener listener) {
    return open(master, (headers, body, reader) -> http.stream(master, "POST", PATH, headers, body, reader),
        extraHeaders, subscribe, owner, listener);
  }

  /** Sends SUBSCRIBE on {@code connection}; closing the subscription closes the connection. */
  public static Subscription open(HttpConnection connection, Map<String, String> extraHeaders, Call subscribe,
      Executor owner, Listener listener) {
    return open(connection.target(), (headers, body, reader) -> connection.stream("POST", PATH, headers, body,
        reader), extraHeaders, subscribe, owner, listener);
  }

  /** Starts the streaming request of a SUBSCRIBE. */
  private interface Opener {
    HttpClient.Stream open(Map<String, String> headers, byte[] body, HttpClient.StreamListener reader);
  }

  private static Subscription open(InetSocketAddress master, Opener opener, Map<String, String> extraHeaders,
      Call subscribe, Executor owner, Listener listener) {
    Subscription s = new Subscription(owner, listener, master);
    Map<String, String> headers = new HashMap<>(extraHeaders);
    headers.put("Content-Type", MediaTypes.PROTOBUF);
    headers.put("Accept", MediaTypes.PROTOBUF);
    HttpClient.Stream stream = opener.open(headers, subscribe.toByteArray(), s.new Reader());
    synchronized (s) {
      s.stream = stream;
    }
    if (s.closed) {
      stream.close();
    }
    return s;
  }

  public InetSocketAddress master() {
    return master;
  }

  /** Closes the connection; no outcome is delivered afterwards. Idempotent; any thread. */
  public void close() {
    closed = true;
    HttpClient.Stream s;
    synchronized (this) {
      s = stream;
    }
    if (s != null) {
      s.close();
    }
  }

  private void deliver(Runnable outcome) {
    owner.execute(() -> {
      if (!closed) {
        outcome.run();
      }
    });
  }

  /** Runs on the HTTP client's I/O thread; keeps no state shared with the owner. */
  private final class Reader implements HttpClient.StreamListener {
    private final RecordIO.Decoder decoder = new RecordIO.Decoder(MAX_EVENT_BYTES);
    private final ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
    private int status = -1;
    private Map<String, String> headers = Map.of();
    private boolean over;

    @Override
    public void onHeaders(int status, Map<String, String> headers) {
      this.status = status;
      this.headers = headers;
      if (status == 200) {
        String streamId = headers.get(STREAM_ID_HEADER);
        if (streamId == null || streamId.isEmpty()) {
          fail("Missing '" + STREAM_ID_HEADER + "' header in the SUBSCRIBE response");
          return;
        }
        deliver(() -> listener.accepted(Subscription.this, streamId));
      }
    }

    @Override
    public void onData(byte[] chunk) {
      if (over) {
        return;
      }
      if (status != 200) {
        int room = MAX_ERROR_BODY_BYTES - errorBody.size();
        errorBody.write(chunk, 0, Math.max(0, Math.min(room, chunk.length)));
        return;
      }
      List<byte[]> records;
      try {
        records = decoder.feed(chunk);
      } catch (RecordIO.DecodingException e) {
        fail("Failed to decode the event stream: " + e.getMessage());
        return;
      }
      for (byte[] record : records) {
        Event event;
        try {
          event = Event.parseFrom(record);
        } catch (InvalidProtocolBufferException e) {
          String reason = "Failed to parse an event of " + record.length + " bytes: " + e.getMessage();
          deliver(() -> listener.unparsable(Subscription.this, reason));
          continue;
        }
        owner.execute(() -> {
          if (closed) {
            LOG.info("Ignoring {} event from master {}: its subscription is closed", event.getType(), master);
          } else {
            listener.event(Subscription.this, event);
          }
        });
      }
    }

    @Override
    public void onClosed(Throwable cause) {
      if (over) {
        return;
      }
      over = true;
      if (status == -1) {
        String reason = "Failed to connect to " + master + ": " + describe(cause);
        deliver(() -> listener.broken(Subscription.this, reason));
      } else if (status != 200) {
        int code = status;
        Map<String, String> h = headers;
        String body = new String(errorBody.toByteArray(), StandardCharsets.UTF_8);
        deliver(() -> listener.rejected(Subscription.this, code, h, body));
      } else {
        String reason = cause == null ? "Event stream ended" : "Event stream broke: " + describe(cause);
        deliver(() -> listener.broken(Subscription.this, reason));
      }
    }

    private void fail(String reason) {
      over = true;
      deliver(() -> listener.broken(Subscription.this, reason));
      close();
    }
  }

  private static String describe(Throwable cause) {
    if (cause == null) {
      return "connection closed";
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
