package io.jmesos.scheduler;

import io.jmesos.actor.Actor;
import io.jmesos.actor.Backoff;
import io.jmesos.actor.Clock;
import io.jmesos.detector.LeaderWatch;
import io.jmesos.detector.MasterDetector;
import io.jmesos.detector.MasterEndpoints;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;
import org.apache.mesos.scheduler.Protos.OfferConstraints;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process behind {@link org.apache.mesos.MesosSchedulerDriver}: follows the leading master its
 * {@link MasterDetector} reports (Mesos' {@code SchedulerProcess::detected}), owns the subscription with that
 * master (SUBSCRIBE, heartbeat watchdog, re-subscription with backoff), the framework's identity and the calls
 * made on the master. Events are turned into {@link Scheduler} callbacks by {@link EventHandlers}; driver
 * methods become calls in {@link DriverCalls}.
 *
 * <p>Fencing: events are heard only from the current subscription, the one opened with the leader last
 * detected (or a redirect's target); a leader change closes it first, and anything that still arrives from an
 * older subscription is dropped with a log line. Calls go to the current master with the current stream id.
 *
 * <p>Threading: all state is owned by one {@link Actor}, the driver thread, on which every scheduler
 * callback runs. The public methods may be called from any thread; they only enqueue. The {@code running}
 * flag is the one piece shared with the facade: once cleared, no further callback is delivered.
 */
public final class SchedulerProcess implements Subscription.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerProcess.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** How long stop(false) waits for the master to answer TEARDOWN before terminating anyway. */
  private static final Duration TEARDOWN_TIMEOUT = Duration.ofSeconds(10);

  final Actor actor;
  final SchedulerDriver driver;
  final Scheduler scheduler;
  final boolean implicitAcknowledgements;
  final Clock clock;
  private final Runnable onFinished;
  private final HttpClient http;
  private final Map<String, String> authHeaders;
  private final CallQueue calls;
  private final Backoff backoff;
  private final Duration defaultHeartbeat;
  private final int maxMissedHeartbeats;
  private final EventHandlers events;
  private final DriverCalls driverCalls;
  private final MasterDetector detector;
  private final LeaderWatch watch;

  private volatile boolean running = true;
  /** A SUBSCRIBE is on its way and the master has not answered it yet (read by {@link #isIdle}). */
  private volatile boolean subscribing;

  // Actor-confined state.
  FrameworkInfo framework;
  Set<String> suppressedRoles;
  OfferConstraints offerConstraints = OfferConstraints.getDefaultInstance();
  boolean connected;
  boolean sendUpdateFrameworkOnConnect;
  private boolean failover;
  private InetSocketAddress master; // the leader to subscribe with; null while no master is detected
  private InetSocketAddress detectedMaster; // the detector's leader; a failed attempt at a redirect goes back to it
  private Subscription subscription;
  private String streamId;
  private Duration heartbeatInterval;
  private long lastEventNanos;
  private Clock.Timer watchdog;
  private Clock.Timer registrationTimer;
  private boolean terminated;

  /**
   * @param driver the facade handed to callbacks, and aborted on errors
   * @param detector tells the leading master; closed when the driver terminates
   * @param authorization value of the {@code Authorization} header for every request, or null
   * @param onFinished run once stop or abort has been processed (releases {@code join()})
   */
  public SchedulerProcess(SchedulerDriver driver, Scheduler scheduler, FrameworkInfo framework,
      Collection<String> suppressedRoles, MasterDetector detector, boolean implicitAcknowledgements,
      String authorization, DriverOptions options, Runnable onFinished) {
    this.driver = Objects.requireNonNull(driver, "driver");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.framework = Objects.requireNonNull(framework, "framework");
    this.suppressedRoles = new TreeSet<>(suppressedRoles);
    this.detector = Objects.requireNonNull(detector, "detector");
    this.implicitAcknowledgements = implicitAcknowledgements;
    this.onFinished = Objects.requireNonNull(onFinished, "onFinished");
    this.clock = options.clock();
    this.failover = framework.hasId() && !framework.getId().getValue().isEmpty();
    String name = "scheduler-driver-" + INSTANCES.incrementAndGet();
    this.actor = new Actor(name, clock);
    this.http = new HttpClient(name, options.tls());
    this.authHeaders = authorization == null ? Map.of() : Map.of("Authorization", authorization);
    this.calls = new CallQueue(http, actor, authHeaders);
    this.backoff = registrationBackoff(framework, options.registrationBackoffFactor());
    this.defaultHeartbeat = DriverOptions.DEFAULT_HEARTBEAT_INTERVAL;
    this.maxMissedHeartbeats = options.maxMissedHeartbeats();
    this.heartbeatInterval = defaultHeartbeat;
    this.events = new EventHandlers(this);
    this.driverCalls = new DriverCalls(this);
    this.watch = new LeaderWatch(detector, actor, this::detected);
  }

  /** Mesos bounds the registration backoff by one minute and by a tenth of the failover timeout. */
  private static Backoff registrationBackoff(FrameworkInfo framework, Duration factor) {
    Duration cap = DriverOptions.REGISTRATION_RETRY_INTERVAL_MAX;
    if (framework.hasFailoverTimeout() && framework.getFailoverTimeout() > 0) {
      Duration tenth = Duration.ofNanos((long) (framework.getFailoverTimeout() * 1e9 / 10));
      if (tenth.compareTo(cap) < 0) {
        cap = tenth;
      }
    }
    Duration initial = factor.compareTo(cap) < 0 ? factor : cap;
    return new Backoff(initial, cap);
  }

  /** The driver's requests, to be run on the actor. */
  public DriverCalls calls() {
    return driverCalls;
  }

  /**
   * True when nothing is queued or running on the driver's thread, no call awaits the master's answer and no
   * SUBSCRIBE awaits its response (tests settle on it). Events the master has written but the driver has not
   * read yet are not visible here. Any thread; never blocks.
   */
  public boolean isIdle() {
    return actor.isIdle() && calls.isIdle() && !subscribing;
  }

  /** Runs {@code work} on the driver thread. */
  public void enqueue(Runnable work) {
    actor.execute(work);
  }

  // ---------------------------------------------------------------------------------------------------
  // Lifecycle, called by the facade.

  public void start() {
    actor.execute(() -> {
      LOG.info("Detecting the leading master for framework {}", frameworkId());
      watch.start();
    });
  }

  /** Stops callbacks at once; the rest of a stop or abort follows on the actor. */
  public void markNotRunning() {
    running = false;
  }

  boolean running() {
    return running;
  }

  public void stop(boolean failover) {
    actor.execute(() -> doStop(failover));
  }

  public void abort() {
    actor.execute(this::doAbort);
  }

  private void doStop(boolean failover) {
    LOG.info("Stopping framework {}{}", frameworkId(), failover ? " for failover" : "");
    cancelTimers();
    if (terminated) {
      return;
    }
    if (connected && !failover) {
      Clock.Timer bound = actor.delay(TEARDOWN_TIMEOUT, () -> {
        LOG.warn("Master {} did not answer TEARDOWN of framework {} within {}", master, frameworkId(),
            TEARDOWN_TIMEOUT);
        terminate();
      });
      calls.enqueue(master, streamId, Calls.teardown(framework.getId())).whenComplete((response, failure) -> {
        bound.cancel();
        if (failure != null) {
          LOG.warn("Failed to send TEARDOWN of framework {}: {}", frameworkId(), failure.getMessage());
        } else if (response.status() != 202) {
          LOG.warn("Master {} answered TEARDOWN of framework {} with {}: {}", master, frameworkId(),
              response.status(), response.bodyText());
        }
        terminate();
      });
    } else {
      terminate();
    }
  }

  /**
   * Mesos' v0 driver deactivates the framework on abort but stays able to tear it down on a later
   * {@code stop(false)}. The v1 API has no deactivation call, so the driver keeps the stream, ignores its
   * events and suppresses offers: the master sends the aborted framework nothing more to decline.
   */
  private void doAbort() {
    LOG.info("Aborting framework {}", frameworkId());
    cancelTimers();
    if (connected) {
      calls.enqueue(master, streamId, Calls.suppress(framework.getId(), Set.of()));
    }
    onFinished.run();
  }

  private void terminate() {
    if (terminated) {
      return;
    }
    terminated = true;
    connected = false;
    cancelTimers();
    closeSubscription();
    calls.clear();
    watch.close();
    onFinished.run();
    Thread closer = new Thread(() -> {
      detector.close();
      http.close();
      actor.close();
    }, actor.name() + "-close");
    closer.setDaemon(true);
    closer.start();
  }

  // ---------------------------------------------------------------------------------------------------
  // Detection and subscription.

  /**
   * The detector reports a new leader, or none: whatever the driver had with the previous master ends
   * ({@code disconnected} if it was subscribed), then it subscribes with the new leader or waits.
   */
  private void detected(Optional<MasterInfo> next) {
    if (!running || terminated) {
      LOG.debug("Ignoring the master change of framework {}: the driver is not running", frameworkId());
      return;
    }
    InetSocketAddress address = null;
    if (next.isPresent()) {
      try {
        address = MasterEndpoints.address(next.get());
      } catch (IllegalArgumentException e) {
        LOG.error("Cannot reach the detected master {}: {}", next.get().getId(), e.getMessage());
      }
    }
    if (connected) {
      connected = false;
      LOG.warn("Framework {} disconnected from master {}: {}", frameworkId(), master,
          next.isPresent() ? "a new leading master is detected" : "no master is detected");
      deliver("disconnected", () -> scheduler.disconnected(driver));
    }
    closeSubscription();
    calls.clear();
    cancelTimers();
    master = address;
    detectedMaster = address;
    if (address == null) {
      LOG.info("No master detected; framework {} waits for one", frameworkId());
      return;
    }
    LOG.info("New master detected at {}", next.get().getPid().isEmpty() ? address : next.get().getPid());
    backoff.reset();
    subscribe();
  }

  private void subscribe() {
    registrationTimer = null;
    if (!running || connected || terminated) {
      return;
    }
    if (master == null) {
      LOG.debug("Not subscribing framework {}: no master detected", frameworkId());
      return;
    }
    closeSubscription();
    Call call = Calls.subscribe(framework, suppressedRoles, offerConstraints);
    LOG.info("Subscribing framework {} with master {}", frameworkId(), master);
    subscribing = true;
    subscription = Subscription.open(http, master, authHeaders, call, actor, this);
    heartbeatInterval = defaultHeartbeat;
    lastEventNanos = clock.nanoTime();
    armWatchdog(watchdogTimeout());
  }

  @Override
  public void accepted(Subscription s, String streamId) {
    if (s != subscription) {
      return;
    }
    this.streamId = streamId;
    subscribing = false;
    lastEventNanos = clock.nanoTime();
    LOG.debug("Master {} accepted SUBSCRIBE of framework {} on stream {}", master, frameworkId(), streamId);
  }

  @Override
  public void event(Subscription s, Event event) {
    if (s != subscription) {
      LOG.warn("Ignoring {} event from master {}: not the subscription with the leading master {}",
          event.getType(), s.master(), master);
      return;
    }
    lastEventNanos = clock.nanoTime();
    if (!connected && event.getType() != Event.Type.SUBSCRIBED && event.getType() != Event.Type.ERROR) {
      // The master writes SUBSCRIBED first on every stream it accepts (then at once a heartbeat): anything else
      // first means SUBSCRIBED was lost, and this stream will never make the driver subscribed. Subscribe again
      // after the backoff, as Mesos' driver retries registration until it is registered.
      subscriptionLost("Received " + event.getType() + " before SUBSCRIBED");
      return;
    }
    events.handle(event);
  }

  /** An event that does not parse ends the subscription, as a stream that carries garbage. */
  @Override
  public void unparsable(Subscription s, String reason) {
    if (s != subscription) {
      return;
    }
    subscriptionLost(reason);
  }

  @Override
  public void rejected(Subscription s, int status, Map<String, String> headers, String body) {
    if (s != subscription) {
      return;
    }
    closeSubscription();
    switch (status) {
      case 307:
        redirect(headers.get("Location"));
        scheduleSubscribe();
        break;
      case 404:
      case 503:
        LOG.warn("Master {} answered SUBSCRIBE of framework {} with {} ({}); retrying", master, frameworkId(),
            status, body);
        backToDetected();
        scheduleSubscribe();
        break;
      default:
        error("Received unexpected '" + status + "' (" + body + ") for SUBSCRIBE");
    }
  }

  @Override
  public void broken(Subscription s, String reason) {
    if (s != subscription) {
      return;
    }
    subscriptionLost(reason);
  }

  private void redirect(String location) {
    if (location == null) {
      LOG.warn("Master {} redirected SUBSCRIBE without a Location header", master);
      return;
    }
    try {
      InetSocketAddress leader = Redirects.leader(location);
      LOG.info("Master {} is not the leader; following redirect to {}", master, leader);
      master = leader;
    } catch (IllegalArgumentException e) {
      LOG.warn("Master {} redirected SUBSCRIBE to unusable location '{}': {}", master, location, e.getMessage());
    }
  }

  /** Called when SUBSCRIBED arrives on the current stream. */
  /**
   * Records the subscription; returns true when the scheduler should hear {@code registered} (a new
   * framework, or a scheduler failing over) rather than {@code reregistered}.
   */
  boolean subscribed(FrameworkID frameworkId, double heartbeatSeconds) {
    if (heartbeatSeconds > 0) {
      heartbeatInterval = Duration.ofNanos((long) (heartbeatSeconds * 1e9));
      armWatchdog(watchdogTimeout());
    }
    boolean hadId = framework.hasId() && !framework.getId().getValue().isEmpty();
    if (hadId && !framework.getId().equals(frameworkId)) {
      LOG.warn("Master {} subscribed framework {} as {}", master, framework.getId().getValue(),
          frameworkId.getValue());
    }
    boolean first = !hadId || failover;
    framework = framework.toBuilder().setId(frameworkId).build();
    connected = true;
    failover = false;
    backoff.reset();
    LOG.info("Framework {} {} with master {}", frameworkId.getValue(), first ? "registered" : "reregistered",
        master);
    if (sendUpdateFrameworkOnConnect) {
      send(Calls.updateFramework(framework, suppressedRoles, offerConstraints));
    }
    sendUpdateFrameworkOnConnect = false;
    return first;
  }

  private void subscriptionLost(String reason) {
    closeSubscription();
    calls.clear();
    if (!running) {
      // The driver is stopping: the master closing the stream after TEARDOWN is expected, not a loss.
      connected = false;
      LOG.debug("Subscription of framework {} ended while stopping: {}", frameworkId(), reason);
      return;
    }
    if (connected) {
      connected = false;
      LOG.warn("Framework {} disconnected from master {}: {}", frameworkId(), master, reason);
      deliver("disconnected", () -> scheduler.disconnected(driver));
    } else {
      LOG.info("Subscription of framework {} with master {} failed: {}", frameworkId(), master, reason);
    }
    backToDetected();
    scheduleSubscribe();
  }

  /**
   * The next attempt goes to the detected leader again, not to where a redirect pointed: a master that has just
   * been elected may still redirect to its dead predecessor, and the detector, which already reported the new
   * leader, will not report it again (the driver would retry the dead master for ever).
   */
  private void backToDetected() {
    if (detectedMaster != null && !detectedMaster.equals(master)) {
      LOG.info("Framework {} subscribes with the detected master {} again rather than {}", frameworkId(),
          detectedMaster, master);
      master = detectedMaster;
    }
  }

  private void scheduleSubscribe() {
    if (!running || terminated || registrationTimer != null) {
      return;
    }
    Duration delay = backoff.next();
    LOG.debug("Framework {} will subscribe again in {}", frameworkId(), delay);
    registrationTimer = actor.delay(delay, this::subscribe);
  }

  private void closeSubscription() {
    subscribing = false;
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    streamId = null;
    if (watchdog != null) {
      watchdog.cancel();
      watchdog = null;
    }
  }

  private Duration watchdogTimeout() {
    return heartbeatInterval.multipliedBy(maxMissedHeartbeats);
  }

  private void armWatchdog(Duration after) {
    if (watchdog != null) {
      watchdog.cancel();
    }
    watchdog = actor.delay(after, this::checkWatchdog);
  }

  private void checkWatchdog() {
    watchdog = null;
    if (subscription == null || !running) {
      return;
    }
    Duration silent = Duration.ofNanos(clock.nanoTime() - lastEventNanos);
    Duration timeout = watchdogTimeout();
    if (silent.compareTo(timeout) >= 0) {
      subscriptionLost("No event from the master for " + silent.toSeconds() + "s (" + maxMissedHeartbeats
          + " heartbeat intervals of " + heartbeatInterval.toSeconds() + "s)");
    } else {
      armWatchdog(timeout.minus(silent));
    }
  }

  private void cancelTimers() {
    if (registrationTimer != null) {
      registrationTimer.cancel();
      registrationTimer = null;
    }
    if (watchdog != null) {
      watchdog.cancel();
      watchdog = null;
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Calls and callbacks.

  /** Sends a call on the current subscription; failures that Mesos treats as fatal become errors. */
  void send(Call call) {
    if (streamId == null) {
      LOG.debug("Dropping {} call of framework {}: no subscription", call.getType(), frameworkId());
      return;
    }
    String stream = streamId;
    calls.enqueue(master, stream, call).whenComplete((response, failure) -> {
      if (failure instanceof CancellationException) {
        LOG.debug("Dropped {} call of framework {}: {}", call.getType(), frameworkId(), failure.getMessage());
      } else if (failure != null) {
        // The stream will tell if the master is gone; as Mesos, only log here.
        LOG.error("Request for {} call of framework {} failed: {}", call.getType(), frameworkId(),
            failure.getMessage());
      } else {
        answered(call, stream, response);
      }
    });
  }

  private void answered(Call call, String stream, HttpResponse response) {
    int status = response.status();
    if (status == 202 || status == 200) {
      return;
    }
    if (status == 503 || status == 404 || status == 307 || !stream.equals(streamId)) {
      LOG.warn("Received '{}' ({}) for {} call of framework {}", status, response.bodyText(), call.getType(),
          frameworkId());
      return;
    }
    error("Received unexpected '" + status + "' (" + response.bodyText() + ") for " + call.getType());
  }

  /**
   * A fatal error, as Mesos handles it: the driver is aborted first, then the scheduler hears of it.
   */
  void error(String message) {
    if (!running) {
      LOG.debug("Ignoring error of framework {} because the driver is not running: {}", frameworkId(), message);
      return;
    }
    LOG.error("Framework {} got error: {}", frameworkId(), message);
    driver.abort();
    invoke("error", () -> scheduler.error(driver, message));
  }

  /** Runs a scheduler callback unless the driver has stopped or aborted. */
  void deliver(String callback, Runnable invocation) {
    if (!running) {
      LOG.debug("Ignoring {} for framework {} because the driver is not running", callback, frameworkId());
      return;
    }
    invoke(callback, invocation);
  }

  /** A callback that throws aborts the driver, as a Java exception does in Mesos' JNI bridge. */
  private void invoke(String callback, Runnable invocation) {
    actor.assertInActorThread();
    try {
      invocation.run();
    } catch (RuntimeException | LinkageError | AssertionError e) {
      LOG.error("Scheduler callback {} of framework {} threw; aborting the driver", callback, frameworkId(), e);
      driver.abort();
    }
  }

  String frameworkId() {
    return framework.hasId() && !framework.getId().getValue().isEmpty() ? framework.getId().getValue() : "(new)";
  }

  InetSocketAddress master() {
    return master;
  }
}
