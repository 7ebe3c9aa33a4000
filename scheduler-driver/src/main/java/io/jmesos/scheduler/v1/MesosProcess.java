package io.jmesos.scheduler.v1;

import io.jmesos.actor.Actor;
import io.jmesos.detector.LeaderWatch;
import io.jmesos.detector.MasterDetector;
import io.jmesos.detector.MasterEndpoints;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpConnection;
import io.jmesos.http.HttpResponse;
import io.jmesos.protocol.SchedulerCallValidator;
import io.jmesos.scheduler.CallQueue;
import io.jmesos.scheduler.DriverOptions;
import io.jmesos.scheduler.Subscription;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' v1 scheduler library ({@code src/scheduler/scheduler.cpp}, {@code MesosProcess}) in pure Java, behind
 * {@link org.apache.mesos.v1.scheduler.V1Mesos}. It follows the leading master its detector reports; for each
 * leader it waits a random time up to {@link DriverOptions#connectionDelayMax()}, opens a persistent connection
 * and then tells the scheduler {@code connected}. The scheduler subscribes by sending SUBSCRIBE, which goes on
 * that connection; the answer is the event stream, every event of which is {@code received}. Other calls go to
 * the same master in order with the stream's {@code Mesos-Stream-Id}.
 *
 * <p>As Mesos: SUBSCRIBE is dropped unless connected and not yet subscribing; any other call is dropped unless
 * subscribed; an invalid call is dropped; a refused SUBSCRIBE (503, 404, 307) leaves the library connected for
 * the scheduler to retry, any other refusal, and any unexpected answer to a call, becomes an ERROR event. A lost
 * connection, the end of the event stream, a new leader or {@link #reconnect()} makes the scheduler hear
 * {@code disconnected}, then the library detects the leader again and connects anew. The library does not watch
 * heartbeats: the scheduler does, and calls {@link #reconnect()}.
 *
 * <p>Threading: all state is owned by one {@link Actor}; the public methods may be called from any thread and only
 * enqueue. Scheduler callbacks run on the {@link SchedulerCallbacks} thread.
 */
public final class MesosProcess implements Subscription.Listener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MesosProcess.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Mesos' {@code MesosProcess::State}. */
  enum State { DISCONNECTED, CONNECTING, CONNECTED, SUBSCRIBING, SUBSCRIBED }

  private final Actor actor;
  private final HttpClient http;
  private final MasterDetector detector;
  private final LeaderWatch watch;
  private final Map<String, String> authHeaders;
  private final CallQueue calls;
  private final Duration connectionDelayMax;
  private volatile SchedulerCallbacks callbacks;
  /** The futures {@link #call} returned that are not complete yet: {@link #close()} fails them. */
  private final Set<CompletableFuture<HttpResponse>> outstanding = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;

  // Actor-confined state.
  private State state = State.DISCONNECTED;
  /** Identifies the current (re-)connection attempt; 0 when there is none. Outcomes of older ones are ignored. */
  private long connectionId;
  private long connections;
  private InetSocketAddress master;
  private InetSocketAddress lastDetected;
  private HttpConnection connection;
  private Subscription subscription;
  private String streamId;
  private boolean closed;

  /**
   * @param detector tells the leading master; closed with the library
   * @param authorization value of the {@code Authorization} header of every request, or null
   */
  public MesosProcess(MasterDetector detector, String authorization, DriverOptions options) {
    String name = "scheduler-v1-" + INSTANCES.incrementAndGet();
    this.detector = Objects.requireNonNull(detector, "detector");
    this.actor = new Actor(name, options.clock());
    this.http = new HttpClient(name, options.tls());
    this.authHeaders = authorization == null ? Map.of() : Map.of("Authorization", authorization);
    this.calls = new CallQueue(http, actor, authHeaders);
    this.connectionDelayMax = options.connectionDelayMax();
    this.watch = new LeaderWatch(detector, actor, this::detected,
        failure -> error("Failed to detect a master: " + failure.getMessage()));
  }

  /** The name of the library's threads. */
  public String name() {
    return actor.name();
  }

  /** Starts detecting the leading master; {@code callbacks} hear of it. Call once. */
  public void start(SchedulerCallbacks callbacks) {
    this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
    actor.execute(watch::start);
  }

  /** Sends {@code call} to the master, or drops it (logged) if the library is not in a state to. */
  public void send(Call call) {
    Objects.requireNonNull(call, "call");
    actor.execute(() -> doSend(call));
  }

  /**
   * Sends a call other than SUBSCRIBE and completes with the master's answer; fails at once if the call is
   * invalid or the library is not subscribed (Mesos' {@code Mesos::call}).
   */
  public CompletableFuture<HttpResponse> call(Call call) {
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    outstanding.add(result);
    result.whenComplete((response, failure) -> outstanding.remove(result));
    if (stopped) {
      result.completeExceptionally(new IllegalStateException("The library is closed"));
      return result;
    }
    actor.execute(() -> {
      Optional<String> invalid = SchedulerCallValidator.validate(call);
      if (invalid.isPresent()) {
        result.completeExceptionally(new IllegalArgumentException(invalid.get()));
      } else if (call.getType() == Call.Type.SUBSCRIBE) {
        result.completeExceptionally(new IllegalArgumentException("This method doesn't support SUBSCRIBE calls"));
      } else if (state != State.SUBSCRIBED) {
        result.completeExceptionally(new IllegalStateException(
            "Cannot perform calls until subscribed. Current state: " + state));
      } else {
        LOG.debug("Sending {} call to {}", call.getType(), master);
        calls.enqueue(master, streamId, call).whenComplete((response, failure) -> {
          if (failure != null) {
            result.completeExceptionally(failure);
          } else {
            result.complete(response);
          }
        });
      }
    });
    return result;
  }

  /** Drops the connection and connects anew, unless disconnected already (then nothing happens). */
  public void reconnect() {
    actor.execute(() -> {
      if (state == State.DISCONNECTED) {
        LOG.debug("Ignoring reconnect request from scheduler since we are disconnected");
        return;
      }
      lost(connectionId, "Received reconnect request from scheduler");
    });
  }

  /** Disconnects and stops for good; no callback follows. Idempotent; any thread. */
  @Override
  public void close() {
    stopped = true;
    for (CompletableFuture<HttpResponse> call : outstanding) {
      call.completeExceptionally(new IllegalStateException("The library is closed"));
    }
    SchedulerCallbacks c = callbacks;
    if (c != null) {
      c.close();
    }
    actor.execute(() -> {
      if (closed) {
        return;
      }
      closed = true;
      watch.close();
      disconnect();
      Thread closer = new Thread(() -> {
        detector.close();
        http.close();
        actor.close();
      }, actor.name() + "-close");
      closer.setDaemon(true);
      closer.start();
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Detection and connection.

  private void detected(Optional<MasterInfo> leader) {
    if (closed) {
      return;
    }
    InetSocketAddress address = null;
    if (leader.isPresent()) {
      try {
        address = MasterEndpoints.address(leader.get());
      } catch (IllegalArgumentException e) {
        LOG.error("Cannot reach the detected master {}: {}", leader.get().getId(), e.getMessage());
      }
    }
    reset(address == null ? "Lost leading master" : null);
    if (address == null) {
      return;
    }
    master = address;
    if (address.equals(lastDetected)) {
      LOG.debug("Master detected at {}", address);
    } else {
      LOG.info("New master detected at {}", address);
    }
    lastDetected = address;
    long id = ++connections;
    connectionId = id;
    long bound = connectionDelayMax.toNanos();
    Duration delay = Duration.ofNanos(bound == 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    LOG.debug("Waiting for {} before initiating a (re-)connection attempt with the master", delay);
    actor.delay(delay, () -> connect(id));
  }

  /** What Mesos' {@code detected} does first: tells of the disconnection, if connected, and drops everything. */
  private void reset(String reason) {
    if (state == State.CONNECTED || state == State.SUBSCRIBING || state == State.SUBSCRIBED) {
      callbacks.disconnected();
    }
    disconnect();
    master = null;
    if (reason != null) {
      LOG.info(reason);
    }
  }

  private void connect(long id) {
    if (closed || id != connectionId) {
      LOG.debug("Ignoring connection attempt from stale connection");
      return;
    }
    state = State.CONNECTING;
    http.connect(master).whenComplete((c, failure) -> actor.execute(() -> connected(id, c, failure)));
  }

  private void connected(long id, HttpConnection c, Throwable failure) {
    if (closed || id != connectionId) {
      LOG.debug("Ignoring connection attempt from stale connection");
      if (c != null) {
        c.close();
      }
      return;
    }
    if (failure != null) {
      lost(id, "Failed to connect to " + master + ": " + describe(failure));
      return;
    }
    LOG.debug("Connected with the master at {}", master);
    state = State.CONNECTED;
    connection = c;
    c.disconnected().whenComplete((done, f) -> actor.execute(() -> lost(id, "Subscribe connection interrupted")));
    callbacks.connected();
  }

  /**
   * The connection {@code id} is gone: as Mesos discards its detection, the scheduler hears {@code disconnected}
   * (if it was connected) and the leader is detected afresh, to connect again.
   */
  private void lost(long id, String reason) {
    if (closed || id != connectionId) {
      LOG.debug("Ignoring disconnection attempt from stale connection");
      return;
    }
    LOG.debug("Connection with master {} lost: {}", master, reason);
    reset(null);
    LOG.debug("Re-detecting master");
    watch.restart();
  }

  private void disconnect() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    calls.clear();
    state = State.DISCONNECTED;
    connectionId = 0;
    streamId = null;
  }

  // ---------------------------------------------------------------------------------------------------
  // Calls.

  private void doSend(Call call) {
    Optional<String> invalid = SchedulerCallValidator.validate(call);
    if (invalid.isPresent()) {
      drop(call, invalid.get());
      return;
    }
    boolean subscribe = call.getType() == Call.Type.SUBSCRIBE;
    if (subscribe && state != State.CONNECTED || !subscribe && state != State.SUBSCRIBED) {
      drop(call, "Scheduler is in state " + state);
      return;
    }
    if (connection == null) {
      drop(call, "Connection to master interrupted");
      return;
    }
    LOG.debug("Sending {} call to {}", call.getType(), master);
    long id = connectionId;
    if (subscribe) {
      state = State.SUBSCRIBING;
      subscription = Subscription.open(connection, authHeaders, call, actor, this);
    } else {
      calls.enqueue(master, streamId, call).whenComplete((response, failure) -> answered(id, call, response,
          failure));
    }
  }

  private void answered(long id, Call call, HttpResponse response, Throwable failure) {
    if (id != connectionId) {
      return;
    }
    if (failure instanceof CancellationException) {
      LOG.debug("Dropped {} call: {}", call.getType(), failure.getMessage());
    } else if (failure != null) {
      // Mesos only logs: the broken connection or the lack of heartbeats will tell.
      LOG.error("Request for call type {} failed: {}", call.getType(), describe(failure));
    } else if (response.status() != 202 && response.status() != 200) {
      refused(call.getType(), response.status(), response.bodyText());
    }
  }

  /** A call or SUBSCRIBE answered with something else than success. */
  private void refused(Call.Type type, int status, String body) {
    String line = HttpResponse.statusLine(status);
    if (status == 503 || status == 404 || status == 307) {
      // The master is not the leader yet, still recovering, or not the leader any more.
      LOG.warn("Received '{}' ({}) for {}", line, body, type);
    } else {
      error("Received unexpected '" + line + "' (" + body + ") for " + type);
    }
  }

  private static void drop(Call call, String reason) {
    LOG.warn("Dropping {}: {}", call.getType(), reason);
  }

  // ---------------------------------------------------------------------------------------------------
  // The subscription.

  @Override
  public void accepted(Subscription s, String id) {
    if (s != subscription) {
      return;
    }
    state = State.SUBSCRIBED;
    streamId = id;
    LOG.debug("Subscribed with master {} on stream {}", master, id);
  }

  @Override
  public void event(Subscription s, Event event) {
    if (s != subscription) {
      LOG.debug("Ignoring event from old stale connection");
      return;
    }
    if (state != State.SUBSCRIBED) {
      LOG.warn("Ignoring {} event because we're no longer subscribed", event.getType());
      return;
    }
    callbacks.received(event);
  }

  @Override
  public void unparsable(Subscription s, String reason) {
    if (s == subscription) {
      error("Failed to de-serialize event: " + reason);
    }
  }

  @Override
  public void rejected(Subscription s, int status, Map<String, String> headers, String body) {
    if (s != subscription) {
      return;
    }
    // The connection stays: the scheduler may retry SUBSCRIBE (e.g. once the master has recovered).
    subscription = null;
    state = State.CONNECTED;
    refused(Call.Type.SUBSCRIBE, status, body);
  }

  @Override
  public void broken(Subscription s, String reason) {
    if (s == subscription) {
      LOG.error("Event stream from master {} ended: {}", master, reason);
      lost(connectionId, reason);
    }
  }

  /** An ERROR event made by the library itself: delivered whatever the state. */
  private void error(String message) {
    LOG.error("Injecting ERROR event: {}", message);
    callbacks.received(Event.newBuilder().setType(Event.Type.ERROR)
        .setError(Event.Error.newBuilder().setMessage(message)).build());
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
