package io.jmesos.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.actor.ManualClock;
import io.jmesos.agent.Agent;
import io.jmesos.dist.LocalCluster;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.master.Master;
import io.jmesos.scheduler.DriverOptions;
import io.jmesos.transport.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real master, real agents and real scheduler drivers in this JVM, over loopback sockets, all on one
 * {@link ManualClock}, with every internal message and scheduler event passing through taps a test can use
 * to wait for, drop, delay or repeat them (Mesos' {@code FUTURE_PROTOBUF} / {@code DROP_PROTOBUF}). The
 * taps are seams of the transport ({@code MessageTap}) and of the master's scheduler endpoint ({@code
 * SchedulerTap}): the production code runs on both sides of each connection.
 *
 * <pre>{@code
 * try (FaultCluster cluster = FaultCluster.builder().agents(1).build()) {
 *   RecordingScheduler scheduler = new RecordingScheduler();
 *   MesosSchedulerDriver driver = cluster.driver(scheduler, framework);
 *   CompletableFuture<RunTaskMessage> run = cluster.messages().future(RunTaskMessage.class, Direction.TO_AGENT);
 *   driver.start();
 *   ...
 *   cluster.advance(Duration.ofSeconds(10));  // timers fire step by step, the cluster settling after each
 * }
 * }</pre>
 *
 * <p>Time: the clock moves only through {@link #advance} (or the test's own {@code clock().advance}). Agents
 * run command tasks with the embedded command executor, so a task is a real {@code sh -c} process.
 *
 * <p>Threading: use a cluster from one test thread. Futures of {@link #messages()} and {@link #events()}
 * complete on the cluster's threads.
 */
public final class FaultCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultCluster.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock clock;
  private final Path workDir;
  private final Wire wire;
  private final Streams streams;
  private final LocalCluster cluster;
  private final HttpClient http = new HttpClient("fault-cluster");
  private final List<MesosSchedulerDriver> drivers = new CopyOnWriteArrayList<>();
  private final Map<SchedulerDriver, String> frameworkNames = new ConcurrentHashMap<>();
  private final Settler settler;
  private final RegistryFaults registry;
  private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
  private boolean closed;

  private FaultCluster(Builder b) throws IOException, InterruptedException {
    this.clock = b.clock;
    this.registry = b.durableRegistry ? new RegistryFaults() : null;
    this.workDir = Files.createTempDirectory("fault-cluster-");
    this.wire = new Wire(new Rules<>(clock));
    this.streams = new Streams(new Rules<>(clock));
    this.settler = new Settler(clock, Settler.BOUND, this::parts, () -> !drivers.isEmpty());
    LocalCluster.Builder local = LocalCluster.builder(workDir)
        .clock(clock)
        .resources(b.agentResources)
        .agentFlag("isolation", "posix/cpu,posix/mem")
        .agentFlag("command_executor", "embedded")
        .master(master -> {
          master.messageTap(wire.masterTap()).schedulerTap(streams).onFatal(fatal::add);
          if (registry != null) {
            master.registryStore(registry.handle());
          }
        })
        .agent((index, agent) -> agent.messageTap(wire.agentTap(index)));
    b.masterFlags.forEach(local::masterFlag);
    b.agentFlags.forEach(local::agentFlag);
    try {
      this.cluster = local.start();
    } catch (RuntimeException | InterruptedException e) {
      http.close();
      deleteTree(workDir);
      throw e;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Master master() {
    return cluster.master();
  }

  /** host:port of the master, as drivers are given it. */
  public String masterUrl() {
    return cluster.masterUrl();
  }

  /**
   * What masters' fatal hooks were called with (a failed handler, a registry that cannot be kept, too many
   * agents missing after a failover): {@code mesos-master} would exit; here the master is left running so that
   * the test can look at it.
   */
  public List<Throwable> fatalErrors() {
    return List.copyOf(fatal);
  }

  /** The registry that outlives masters ({@link Builder#durableRegistry()}); null without one. */
  public RegistryFaults registry() {
    return registry;
  }

  /**
   * Stops the master and starts a new one on the same address (a master failover; the new master remembers
   * what the registry keeps: nothing without {@link Builder#durableRegistry()}), then settles. Agents and
   * drivers come back on their own as the clock advances.
   */
  public Master restartMaster() throws InterruptedException {
    Master master = cluster.restartMaster();
    settle();
    return master;
  }

  public ManualClock clock() {
    return clock;
  }

  /** Every agent started, in start order (an agent's index), including stopped ones. */
  public List<Agent> agents() {
    return cluster.agents();
  }

  public Agent agent(int index) {
    return cluster.agents().get(index);
  }

  /** Starts one more agent with the cluster's settings and waits until the master registered it. */
  public Agent startAgent() throws InterruptedException {
    return startAgent(Map.of());
  }

  /**
   * Starts one more agent, {@code flags} (names without dashes) over the cluster's agent flags, and waits
   * until the master's SlaveRegisteredMessage reached it; then settles.
   */
  public Agent startAgent(Map<String, String> flags) throws InterruptedException {
    int index = cluster.agents().size();
    CompletableFuture<SlaveRegisteredMessage> registered =
        messages(index).future(SlaveRegisteredMessage.class, Direction.TO_AGENT);
    Agent agent = cluster.addAgent(flags);
    await(registered, "agent " + index + " to register");
    settle();
    return agent;
  }

  /**
   * Restarts agent {@code index} as SIGTERM and a new {@code mesos-agent} on the same work directory and port
   * would ({@link LocalCluster#restartAgent}): its executors keep running and the new agent recovers them, then
   * re-registers under the same agent id. Returns once the master's SlaveReregisteredMessage reached it (so
   * recovered HTTP executors must re-subscribe first, or the clock be advanced past the re-registration
   * timeout by another thread); then settles.
   */
  public Agent restartAgent(int index, Map<String, String> flags) throws InterruptedException {
    return restartAgent(index, flags, () -> { });
  }

  /**
   * {@link #restartAgent(int, Map)}, running {@code whileDown} (on the calling thread, then settling) between the
   * old agent's stop and the new one's start: what happens in the cluster while the agent is down. The new agent
   * waits a random backoff of at most {@code --registration_backoff_factor} (1 s) before it re-registers: the
   * clock is advanced by that much once it started.
   */
  public Agent restartAgent(int index, Map<String, String> flags, Runnable whileDown) throws InterruptedException {
    CompletableFuture<io.jmesos.internal.Messages.SlaveReregisteredMessage> reregistered =
        messages(index).future(io.jmesos.internal.Messages.SlaveReregisteredMessage.class, Direction.TO_AGENT);
    agent(index).detach();
    settle();
    whileDown.run();
    settle();
    Agent agent = cluster.restartAgent(index, flags);
    settle();
    advance(Duration.ofSeconds(1));
    await(reregistered, "agent " + index + " to re-register after its restart");
    settle();
    return agent;
  }

  /** Stops agent {@code index} as an operator would (it unregisters from the master), then settles. */
  public void stopAgent(int index) {
    agent(index).close();
    settle();
  }

  /**
   * Breaks agent {@code index}'s connection to the master from the agent's side, as a reset TCP connection
   * would, waits until the master's end has closed too, and settles. The master sees the agent disconnected (it
   * stays admitted; tasks of frameworks that do not checkpoint are lost, as in Mesos' {@code Master::exited});
   * the agent reconnects after a random backoff of at most {@code --registration_backoff_factor} on the
   * cluster's clock, and re-registers. Returns how many open connections were closed.
   *
   * @throws IllegalStateException if the master's end is still open after ~10 s
   */
  public int disconnectAgent(int index) {
    agent(index); // fails for an agent that was never started
    List<Connection> masterEnds = wire.closeAgentEnds(index);
    long deadline = System.nanoTime() + Settler.BOUND.toNanos();
    while (masterEnds.stream().anyMatch(Connection::isOpen)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("The master's end of agent " + index + "'s connection did not close");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    settle();
    return masterEnds.size();
  }

  /**
   * A scheduler driver for {@code framework} on the cluster's clock, with implicit acknowledgements; not
   * started, so that expectations can be set first. Stopped when the cluster closes.
   */
  public MesosSchedulerDriver driver(Scheduler scheduler, FrameworkInfo framework) {
    return driver(scheduler, framework, true);
  }

  /** As {@link #driver(Scheduler, FrameworkInfo)}, choosing implicit acknowledgements. */
  public MesosSchedulerDriver driver(Scheduler scheduler, FrameworkInfo framework, boolean implicitAcks) {
    MesosSchedulerDriver driver = new MesosSchedulerDriver(scheduler, framework, List.of(), masterUrl(),
        implicitAcks, null, DriverOptions.defaults().withClock(clock));
    drivers.add(driver);
    frameworkNames.put(driver, framework.getName());
    return driver;
  }

  /** Interception of internal messages between the master and every agent. */
  public MessageFaults messages() {
    return new MessageFaults(wire.rules(), -1);
  }

  /** Interception of internal messages between the master and agent {@code index} only. */
  public MessageFaults messages(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("No agent " + index);
    }
    return new MessageFaults(wire.rules(), index);
  }

  /** Interception of the scheduler events of every framework. */
  public EventFaults events() {
    return new EventFaults(streams, stream -> true);
  }

  /** Interception of the scheduler events of the framework of {@code driver} (one made by this cluster). */
  public EventFaults events(SchedulerDriver driver) {
    String name = frameworkNames.get(driver);
    if (name == null) {
      throw new IllegalArgumentException("Not a driver of this cluster: " + driver);
    }
    return new EventFaults(streams, stream -> stream.frameworkName.equals(name));
  }

  /** Ends the subscription stream of {@code driver}'s framework from the master's side; see EventFaults. */
  public int cutStream(SchedulerDriver driver) {
    return events(driver).cutStream();
  }

  /**
   * Returns once the cluster is quiet: the master's and the allocator's actors, every agent's actor and
   * blocking pool and every driver are idle, no internal message is in flight (written but not yet read by
   * its receiver, counted exactly at both ends of each connection; a connection whose receiving end has
   * closed holds none) and no released message is still being delivered. Scheduler API traffic over HTTP
   * is only partly visible (a driver's calls awaiting an answer and an unanswered SUBSCRIBE are; events on
   * their way to a driver are not), so while drivers exist the cluster must look quiet over several polls
   * about a millisecond apart. Held (delayed) messages and events are not in flight. Processes of running
   * tasks are not waited for.
   *
   * @throws IllegalStateException after ~10 s, naming what is still busy
   */
  public void settle() {
    settler.settle();
  }

  /**
   * Moves the clock forward by {@code by}, from one due timer to the next, settling after each step, so
   * periodic timers (heartbeats, pings, allocation runs) fire and are answered as in real time and no
   * watchdog fires merely because time jumped.
   */
  public void advance(Duration by) {
    settler.advance(by);
  }

  /**
   * Advances the clock half a second at a time until {@code done} holds, for at most a minute of the cluster's
   * clock.
   *
   * @throws AssertionError when it does not hold after that minute
   */
  public void advanceUntil(BooleanSupplier done) {
    for (int i = 0; i < 120 && !done.getAsBoolean(); i++) {
      advance(Duration.ofMillis(500));
    }
    if (!done.getAsBoolean()) {
      throw new AssertionError("Not reached within a minute of the cluster's clock");
    }
  }

  /** The master's {@code /state}, parsed. */
  public JsonNode masterState() {
    return getJson("/state");
  }

  /** Agent {@code index}'s {@code /state}, parsed. */
  public JsonNode agentState(int index) {
    return getJson(agent(index).address(), "/state");
  }

  /** The master's {@code /metrics/snapshot}, parsed. */
  public JsonNode metrics() {
    return getJson("/metrics/snapshot");
  }

  /** One value of the master's {@code /metrics/snapshot}; fails if it has no such metric. */
  public double metric(String name) {
    JsonNode value = metrics().get(name);
    if (value == null) {
      throw new AssertionError("No metric " + name);
    }
    return value.asDouble();
  }

  private JsonNode getJson(String path) {
    return getJson(cluster.masterAddress(), path);
  }

  private JsonNode getJson(java.net.InetSocketAddress address, String path) {
    HttpResponse response = await(http.get(address, path), "GET " + path);
    if (response.status() != 200) {
      throw new AssertionError("GET " + path + " answered " + response.status() + ": " + response.bodyText());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " is not JSON", e);
    }
  }

  private List<Settler.Part> parts() {
    List<Settler.Part> parts = new ArrayList<>();
    Master master = cluster.master();
    boolean countRegistry = registry == null || !registry.holding();
    parts.add(new Settler.Part("master", () -> master.isIdle(countRegistry) ? null
        : "master or allocator actor, or registrar"));
    List<Agent> agents = cluster.agents();
    for (int i = 0; i < agents.size(); i++) {
      Agent agent = agents.get(i);
      parts.add(new Settler.Part("agent " + i, () -> agent.isIdle() ? null : "actor or blocking pool"));
    }
    for (MesosSchedulerDriver driver : drivers) {
      parts.add(new Settler.Part("driver of '" + frameworkNames.get(driver) + "'",
          () -> driver.isIdle() ? null : "actor, call or SUBSCRIBE"));
    }
    parts.add(new Settler.Part("wire", wire::inFlight));
    return parts;
  }

  private static <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(Settler.BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Failed waiting for " + what, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out after " + Settler.BOUND.toSeconds() + "s waiting for " + what);
    }
  }

  /**
   * Stops the drivers (tearing their frameworks down while the master still runs), then the agents (their
   * tasks killed) and the master, and deletes the work directory. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      drivers.forEach(MesosSchedulerDriver::stop);
      try {
        settle();
      } catch (RuntimeException e) {
        LOG.warn("Cluster did not settle before closing: {}", e.getMessage());
      }
      cluster.close();
    } finally {
      http.close();
      deleteTree(workDir);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete {}: {}", root, e.toString());
    }
  }

  /** Settings of a {@link FaultCluster}: one agent with {@code cpus:2;mem:1024} unless told otherwise. */
  public static final class Builder {
    private ManualClock clock = new ManualClock();
    private int agents = 1;
    private String agentResources = "cpus:2;mem:1024";
    private final Map<String, String> masterFlags = new LinkedHashMap<>();
    private final Map<String, String> agentFlags = new LinkedHashMap<>();
    private boolean durableRegistry;

    private Builder() {}

    /**
     * Masters keep their registry in a {@link RegistryFaults} that outlives them (Mesos' tests set
     * {@code --registry=replicated_log} for that): a restarted master recovers the agents, weights and quotas.
     */
    public Builder durableRegistry() {
      this.durableRegistry = true;
      return this;
    }

    /** A master flag, name without dashes: {@code masterFlag("agent_ping_timeout", "1secs")}. */
    public Builder masterFlag(String name, String value) {
      masterFlags.put(name, value);
      return this;
    }

    /** A flag of every agent, name without dashes, over the cluster's defaults. */
    public Builder agentFlag(String name, String value) {
      agentFlags.put(name, value);
      return this;
    }

    /** How many agents {@link #build()} starts (and waits for). */
    public Builder agents(int count) {
      this.agents = count;
      return this;
    }

    /** Every agent's {@code --resources}. */
    public Builder agentResources(String resources) {
      this.agentResources = resources;
      return this;
    }

    /** The clock of every part of the cluster; a fresh {@link ManualClock} by default. */
    public Builder clock(ManualClock clock) {
      this.clock = clock;
      return this;
    }

    /** Starts the master and the agents, waits until every agent is registered, and settles. */
    public FaultCluster build() throws IOException, InterruptedException {
      FaultCluster cluster = new FaultCluster(this);
      try {
        for (int i = 0; i < agents; i++) {
          cluster.startAgent();
        }
        cluster.settle();
      } catch (RuntimeException | InterruptedException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    }
  }
}
