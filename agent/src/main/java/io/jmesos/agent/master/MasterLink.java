package io.jmesos.agent.master;

import com.google.protobuf.Message;
import io.jmesos.actor.Actor;
import io.jmesos.actor.Backoff;
import io.jmesos.actor.Clock;
import io.jmesos.actor.MessageDispatcher;
import io.jmesos.detector.LeaderWatch;
import io.jmesos.detector.MasterDetector;
import io.jmesos.detector.MasterEndpoints;
import io.jmesos.internal.Messages.AuthenticationCompletedMessage;
import io.jmesos.internal.Messages.AuthenticationErrorMessage;
import io.jmesos.internal.Messages.AuthenticationFailedMessage;
import io.jmesos.internal.Messages.AuthenticationMechanismsMessage;
import io.jmesos.internal.Messages.AuthenticationStepMessage;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.ShutdownMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.UnregisterSlaveMessage;
import io.jmesos.security.SaslClientSession;
import io.jmesos.tls.TlsContext;
import io.jmesos.transport.Connection;
import io.jmesos.transport.ConnectionHandler;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MessageClient;
import io.jmesos.transport.MessageTap;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.SlaveID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's connection to the leading master: follows the {@link MasterDetector} (Mesos' {@code
 * Slave::detected}), connects to the leader it reports, (re-)registers with backoff until that master answers,
 * answers pings, and treats a master that stops pinging (ping interval times max missed pings) or a closed
 * connection as lost, reconnecting to the same leader and re-registering. With no leader it waits. When the
 * leader changes it drops the connection to the old one at once and registers anew with the new one (a
 * re-registration with its tasks and executors once the agent has an id).
 *
 * <p>Fencing (Mesos' "not the expected master" checks): the agent only hears the master through the connection
 * it opened to the leader it last detected. Its own port takes no internal messages, so a master cannot reach
 * it any other way; a connection opened to an earlier leader (or an earlier attempt) is closed, and anything
 * read from it that reaches the actor afterwards is dropped with a log line. Other messages from the current
 * connection are dispatched to the agent's handlers once registered.
 *
 * <p>Authentication (Mesos' {@code Slave::authenticate}): with a credential, the agent authenticates (SASL
 * CRAM-MD5) on each new connection before it registers on it. An attempt that errs or does not finish within a
 * timeout drawn from {@code [min, min + factor * 2^n]} (at most {@code --authentication_timeout_max}) is retried
 * on the same connection; a master that refuses the credential stops the agent ({@link
 * Listener#authenticationRefused}).
 *
 * <p>Netty threads only enqueue onto the agent's actor; every method except the {@link ConnectionHandler}
 * callbacks runs on that actor.
 */
public final class MasterLink implements ConnectionHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterLink.class);

  /** Mesos' cap on the registration retry interval. */
  public static final Duration REGISTER_RETRY_INTERVAL_MAX = Duration.ofMinutes(1);
  /** Used until the master tells us its own ping settings (Mesos' defaults: 15s times 5). */
  static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(15);
  static final int DEFAULT_MAX_MISSED_PINGS = 5;

  /** What the link needs from the agent. Called on the actor. */
  public interface Listener {
    /** The RegisterSlaveMessage or ReregisterSlaveMessage to send now. */
    Message registration();

    /** The master accepted us; {@code reregistered} is false on the first registration. */
    void registered(SlaveID slaveId, boolean reregistered, SlaveReregisteredMessage details);

    /** The connection to the master is gone; we are reconnecting. */
    void disconnected();

    /** The master refused us for good (ShutdownMessage). */
    void shutdown(String message);

    /** The master refused our credential: Mesos' agent exits (keeping its executors). */
    default void authenticationRefused(String message) {
      shutdown(message);
    }
  }

  /** Link states; registration happens anew on every connection. DISCONNECTED also while no leader is known. */
  public enum State { DISCONNECTED, CONNECTING, AUTHENTICATING, REGISTERING, REGISTERED, CLOSED }

  private final Actor actor;
  private final LeaderWatch watch;
  private final Listener listener;
  private final MessageDispatcher<Connection> agentHandlers;
  private final MessageDispatcher<Connection> linkHandlers = new MessageDispatcher<>("agent link");
  private final MessageClient client;
  private final Backoff registrationBackoff;
  private final Backoff connectBackoff;
  private final LinkAuthentication authentication;

  private State state = State.DISCONNECTED;
  private Optional<MasterInfo> leader = Optional.empty();
  private InetSocketAddress master; // the leader's address; null while no leader is known
  private long attempt; // each connection attempt and each leader change supersede the earlier attempts
  private Connection connection;
  private Clock.Timer registrationTimer;
  private Clock.Timer reconnectTimer;
  private Clock.Timer pingTimer;
  private Duration pingTimeout = DEFAULT_PING_INTERVAL.multipliedBy(DEFAULT_MAX_MISSED_PINGS);
  private SaslClientSession session; // the authentication in progress, if any
  private Clock.Timer authenticationTimer;

  /**
   * @param detector tells the leading master; its owner closes it after this link
   * @param agentHandlers the agent's dispatch table for everything but the link's own messages
   * @param backoffFactor Mesos' {@code --registration_backoff_factor}
   */
  public MasterLink(Actor actor, MasterDetector detector, Limits limits, Duration backoffFactor,
      Listener listener, MessageDispatcher<Connection> agentHandlers) {
    this(actor, detector, limits, backoffFactor, listener, agentHandlers, MessageTap.NONE);
  }

  /**
   * As above, with every message to and from the master passing through {@code tap} (fault-injection tests).
   */
  public MasterLink(Actor actor, MasterDetector detector, Limits limits, Duration backoffFactor,
      Listener listener, MessageDispatcher<Connection> agentHandlers, MessageTap tap) {
    this(actor, detector, limits, backoffFactor, listener, agentHandlers, tap, LinkAuthentication.NONE,
        TlsContext.disabled());
  }

  /** As above, authenticating to each master before registering when {@code authentication} has a credential. */
  public MasterLink(Actor actor, MasterDetector detector, Limits limits, Duration backoffFactor,
      Listener listener, MessageDispatcher<Connection> agentHandlers, MessageTap tap,
      LinkAuthentication authentication) {
    this(actor, detector, limits, backoffFactor, listener, agentHandlers, tap, authentication,
        TlsContext.disabled());
  }

  /** As above, connecting to the master over TLS when {@code tls} is enabled. */
  public MasterLink(Actor actor, MasterDetector detector, Limits limits, Duration backoffFactor,
      Listener listener, MessageDispatcher<Connection> agentHandlers, MessageTap tap, TlsContext tls) {
    this(actor, detector, limits, backoffFactor, listener, agentHandlers, tap, LinkAuthentication.NONE, tls);
  }

  /** The full constructor: authentication as {@code authentication} says, over TLS when {@code tls} is enabled. */
  public MasterLink(Actor actor, MasterDetector detector, Limits limits, Duration backoffFactor,
      Listener listener, MessageDispatcher<Connection> agentHandlers, MessageTap tap,
      LinkAuthentication authentication, TlsContext tls) {
    this.authentication = Objects.requireNonNull(authentication, "authentication");
    this.actor = Objects.requireNonNull(actor, "actor");
    this.watch = new LeaderWatch(Objects.requireNonNull(detector, "detector"), actor, this::detected);
    this.listener = Objects.requireNonNull(listener, "listener");
    this.agentHandlers = Objects.requireNonNull(agentHandlers, "agentHandlers");
    Duration initial = backoffFactor.isZero() ? Duration.ofMillis(1) : backoffFactor;
    this.registrationBackoff = new Backoff(initial, max(initial, REGISTER_RETRY_INTERVAL_MAX));
    this.connectBackoff = new Backoff(initial, max(initial, REGISTER_RETRY_INTERVAL_MAX));
    this.client = new MessageClient(actor.name(), limits, this, tap, tls);
    linkHandlers
        .install(SlaveRegisteredMessage.getDefaultInstance(), this::slaveRegistered)
        .install(SlaveReregisteredMessage.getDefaultInstance(), this::slaveReregistered)
        .install(PingSlaveMessage.getDefaultInstance(), this::ping)
        .install(ShutdownMessage.getDefaultInstance(), this::shutdownMessage)
        .install(AuthenticationMechanismsMessage.getDefaultInstance(), (c, m) -> authenticating(s -> s.mechanisms(m)))
        .install(AuthenticationStepMessage.getDefaultInstance(), (c, m) -> authenticating(s -> s.step(m)))
        .install(AuthenticationCompletedMessage.getDefaultInstance(), (c, m) -> authenticating(s -> s.completed()))
        .install(AuthenticationFailedMessage.getDefaultInstance(), (c, m) -> authenticating(s -> s.failed()))
        .install(AuthenticationErrorMessage.getDefaultInstance(), (c, m) -> authenticating(s -> s.error(m)));
  }

  /** Starts detecting the leader; connects to it once known. */
  public void start() {
    actor.assertInActorThread();
    LOG.info("Detecting the leading master");
    watch.start();
  }

  public State state() {
    return state;
  }

  public boolean isRegistered() {
    return state == State.REGISTERED;
  }

  /** The leading master's address as last detected; empty while no leader is known. */
  public Optional<InetSocketAddress> master() {
    return Optional.ofNullable(master);
  }

  /** The leading master as last detected. */
  public Optional<MasterInfo> leader() {
    return leader;
  }

  /** Sends to the master if registered; otherwise drops the message (callers retry what must arrive). */
  public boolean send(Message message) {
    actor.assertInActorThread();
    if (state != State.REGISTERED || connection == null) {
      LOG.debug("Not registered with a master; dropping {}", message.getDescriptorForType().getName());
      return false;
    }
    connection.send(message);
    return true;
  }

  // ---- ConnectionHandler: Netty threads, enqueue only.

  @Override
  public void onConnect(Connection c) {
    // Taken up through the connect future, which knows the attempt the connection belongs to.
    LOG.debug("Connection {} opened", c);
  }

  @Override
  public void onMessage(Connection c, Envelope envelope) {
    actor.execute(() -> received(c, envelope));
  }

  @Override
  public void onDisconnect(Connection c) {
    actor.execute(() -> lost(c, "connection closed"));
  }

  // ---- Actor.

  /** The detector reports a new leader, or none (Mesos' {@code Slave::detected}). */
  private void detected(Optional<MasterInfo> next) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasRegistered = state == State.REGISTERED;
    dropConnection();
    leader = next;
    master = null;
    if (next.isPresent()) {
      try {
        master = MasterEndpoints.address(next.get());
      } catch (IllegalArgumentException e) {
        LOG.error("Cannot reach the detected master {}: {}; waiting for another", next.get().getId(),
            e.getMessage());
      }
    }
    if (master != null) {
      LOG.info("New master detected at {}", next.get().getPid().isEmpty() ? master : next.get().getPid());
    } else if (next.isEmpty()) {
      LOG.warn("Lost leading master: no master detected; waiting for one to be elected");
    }
    if (wasRegistered) {
      listener.disconnected();
    }
    if (master != null) {
      connectBackoff.reset();
      connect();
    }
  }

  /** Forgets the current connection and attempt: closes it and cancels every timer tied to it. */
  private void dropConnection() {
    attempt++;
    discardAuthentication();
    cancel(registrationTimer);
    cancel(reconnectTimer);
    cancel(pingTimer);
    if (connection != null) {
      LOG.info("Closing the connection to master {}", master);
      connection.close();
      connection = null;
    }
    state = State.DISCONNECTED;
  }

  private void connect() {
    if (state == State.CLOSED || master == null) {
      return;
    }
    state = State.CONNECTING;
    long current = ++attempt;
    InetSocketAddress target = master;
    LOG.info("Connecting to master {}", target);
    client.connect(target).whenComplete((c, error) -> actor.execute(() -> {
      if (error != null) {
        connectFailed(current, target, error);
      } else {
        connected(current, c);
      }
    }));
  }

  private void connectFailed(long current, InetSocketAddress target, Throwable error) {
    if (current != attempt || state != State.CONNECTING) {
      return;
    }
    state = State.DISCONNECTED;
    Duration wait = connectBackoff.next();
    LOG.warn("Cannot connect to master {}: {}; retrying in {}", target, error.getMessage(), wait);
    reconnectTimer = actor.delay(wait, this::connect);
  }

  private void connected(long current, Connection c) {
    if (current != attempt || state != State.CONNECTING) {
      LOG.info("Closing {}: opened for a master that is no longer the one to register with", c);
      c.close();
      return;
    }
    if (!c.isOpen()) {
      connectFailed(current, master, new IllegalStateException("connection closed at once"));
      return;
    }
    connection = c;
    connectBackoff.reset();
    registrationBackoff.reset();
    if (authentication.credential().isPresent()) {
      Duration min = authentication.timeoutMin();
      authenticate(min, min(min.plus(authentication.backoffFactor().multipliedBy(2)), authentication.timeoutMax()));
    } else {
      LOG.info("No credentials provided. Attempting to register without authentication");
      state = State.REGISTERING;
      register();
    }
  }

  /** Mesos' {@code Slave::authenticate}: one attempt, timed out after a random time in [min, max]. */
  private void authenticate(Duration minTimeout, Duration maxTimeout) {
    discardAuthentication();
    state = State.AUTHENTICATING;
    LOG.info("Authenticating with master {} as '{}'", master, authentication.credential().get().getPrincipal());
    Connection current = connection;
    String serverName = master.getHostString();
    SaslClientSession attempt = new SaslClientSession(authentication.credential().get(), serverName,
        current::send);
    session = attempt;
    long spread = maxTimeout.minus(minTimeout).toNanos();
    Duration timeout = minTimeout.plusNanos(spread <= 0 ? 0 : ThreadLocalRandom.current().nextLong(spread + 1));
    authenticationTimer = actor.delay(timeout, () -> {
      if (session == attempt) {
        LOG.warn("Authentication with master {} timed out after {}", master, timeout);
        attempt.discard();
      }
    });
    attempt.authenticate(authentication.pid()).whenComplete((ok, error) -> {
      // Completed on the actor, by a message from the master or the timeout.
      if (session == attempt) {
        authenticated(minTimeout, maxTimeout, ok, error);
      }
    });
  }

  /** Mesos' {@code Slave::_authenticate}: register, retry with a longer timeout, or give up when refused. */
  private void authenticated(Duration minTimeout, Duration maxTimeout, Boolean ok, Throwable error) {
    session = null;
    cancel(authenticationTimer);
    if (error != null) {
      LOG.warn("Failed to authenticate with master {}: {}", master, error.getMessage());
      Duration grown = minTimeout.plus(maxTimeout.minus(minTimeout).multipliedBy(2));
      authenticate(minTimeout, min(grown, authentication.timeoutMax()));
      return;
    }
    if (!ok) {
      String refused = "Master " + master.getHostString() + ":" + master.getPort() + " refused authentication";
      LOG.error("Master {}:{} refused authentication", master.getHostString(), master.getPort());
      state = State.DISCONNECTED;
      listener.authenticationRefused(refused);
      return;
    }
    LOG.info("Successfully authenticated with master {}", master);
    state = State.REGISTERING;
    register();
  }

  /** Hands a message of the master's authenticator to the attempt in progress; dropped when none is. */
  private void authenticating(java.util.function.Consumer<SaslClientSession> step) {
    if (state != State.AUTHENTICATING || session == null) {
      LOG.warn("Ignoring an authentication message from master {}: not authenticating", master);
      return;
    }
    step.accept(session);
  }

  /** Forgets the attempt in progress, if any, without retrying it. */
  private void discardAuthentication() {
    cancel(authenticationTimer);
    SaslClientSession current = session;
    session = null;
    if (current != null) {
      current.discard();
    }
  }

  private void register() {
    if (state != State.REGISTERING) {
      return;
    }
    Message registration = listener.registration();
    LOG.info("Sending {} to master {}", registration.getDescriptorForType().getName(), master);
    connection.send(registration);
    registrationTimer = actor.delay(registrationBackoff.next(), this::register);
  }

  private void received(Connection c, Envelope envelope) {
    if (c != connection) {
      LOG.warn("Ignoring {} from {} because it is not the expected master: {}", envelope.getType(), c,
          leader.map(MasterInfo::getPid).orElse("none detected"));
      return;
    }
    if (linkHandlers.handles(envelope.getType())) {
      linkHandlers.dispatch(c, envelope);
    } else if (state == State.REGISTERED) {
      agentHandlers.dispatch(c, envelope);
    } else {
      LOG.warn("Dropping {} from master {}: not registered yet", envelope.getType(), master);
    }
  }

  private void slaveRegistered(Connection c, SlaveRegisteredMessage message) {
    accepted(message.getSlaveId(), false, null, message.hasPingIntervalSeconds()
        ? message.getPingIntervalSeconds() : 0, message.getMaxMissedPings());
  }

  private void slaveReregistered(Connection c, SlaveReregisteredMessage message) {
    accepted(message.getSlaveId(), true, message, message.hasPingIntervalSeconds()
        ? message.getPingIntervalSeconds() : 0, message.getMaxMissedPings());
  }

  private void accepted(SlaveID slaveId, boolean reregistered, SlaveReregisteredMessage details,
      double pingIntervalSeconds, int maxMissedPings) {
    if (state != State.REGISTERING) {
      LOG.debug("Ignoring duplicate registration answer from master {}", master);
      return;
    }
    cancel(registrationTimer);
    state = State.REGISTERED;
    if (pingIntervalSeconds > 0 && maxMissedPings > 0) {
      pingTimeout = Duration.ofNanos((long) (pingIntervalSeconds * 1e9)).multipliedBy(maxMissedPings);
    }
    resetPingTimer();
    LOG.info("{} with master {} as agent {}", reregistered ? "Re-registered" : "Registered", master,
        slaveId.getValue());
    listener.registered(slaveId, reregistered,
        details == null ? SlaveReregisteredMessage.newBuilder().setSlaveId(slaveId).build() : details);
  }

  private void ping(Connection c, PingSlaveMessage message) {
    if (state == State.REGISTERED) {
      resetPingTimer();
    }
    c.send(PongSlaveMessage.getDefaultInstance());
  }

  private void shutdownMessage(Connection c, ShutdownMessage message) {
    LOG.error("Master {} asked agent to shut down: {}", master, message.getMessage());
    listener.shutdown(message.getMessage());
  }

  private void resetPingTimer() {
    cancel(pingTimer);
    Connection current = connection;
    pingTimer = actor.delay(pingTimeout, () -> {
      if (connection == current && current != null) {
        LOG.warn("No pings from master {} within {}; reconnecting", master, pingTimeout);
        current.close();
        lost(current, "no pings within " + pingTimeout);
      }
    });
  }

  private void lost(Connection c, String why) {
    if (c != connection || state == State.CLOSED) {
      return;
    }
    boolean wasRegistered = state == State.REGISTERED;
    LOG.warn("Lost master {}: {}", master, why);
    connection = null;
    cancel(registrationTimer);
    cancel(pingTimer);
    discardAuthentication();
    state = State.DISCONNECTED;
    if (wasRegistered) {
      listener.disconnected();
    }
    Duration wait = connectBackoff.next();
    reconnectTimer = actor.delay(wait, this::connect);
  }

  /**
   * Tells the master this agent is shutting down for good (UnregisterSlaveMessage, as Mesos' agent does on
   * a shutdown the master did not ask for), so it removes the agent at once instead of after missed pings.
   * Only when registered on a live connection; never blocks: the write is queued on the connection's event
   * loop ahead of the close that {@link #close()} queues after it.
   */
  public void unregister(SlaveID slaveId) {
    actor.assertInActorThread();
    if (state != State.REGISTERED || connection == null || !connection.isOpen()) {
      LOG.info("Not unregistering from master {}: not connected and registered", master);
      return;
    }
    LOG.info("Unregistering agent {} from master {}", slaveId.getValue(), master);
    connection.send(UnregisterSlaveMessage.newBuilder().setSlaveId(slaveId).build());
  }

  /** Stops detecting and reconnecting and closes the connection. Must run on the actor. */
  @Override
  public void close() {
    watch.close();
    state = State.CLOSED;
    discardAuthentication();
    cancel(registrationTimer);
    cancel(reconnectTimer);
    cancel(pingTimer);
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  /** Releases the client's threads; call after {@link #close()} from any thread. */
  public void shutdownClient() {
    client.close();
  }

  private static void cancel(Clock.Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
