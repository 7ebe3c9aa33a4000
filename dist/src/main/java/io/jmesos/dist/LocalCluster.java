package io.jmesos.dist;

import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import io.jmesos.agent.Agent;
import io.jmesos.agent.AgentBuilder;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.detector.MasterDetector;
import io.jmesos.master.Master;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.tls.TlsConfig;
import io.jmesos.tls.TlsContext;
import io.jmesos.zookeeper.MasterDetectors;
import io.jmesos.zookeeper.ZooKeeperClients;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.mesos.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master and N agents in one process, talking over loopback sockets exactly as separate daemons do: the
 * engine of {@code mesos-local} and of the in-process cluster tests (the fault-injection test cluster builds
 * on it with a manual clock and message taps).
 *
 * <p>With {@link Builder#zooKeeper(int)} it is a high-availability cluster: a ZooKeeper server in this process
 * ({@link EmbeddedZooKeeper}), several masters contending under {@code zk://<ip>:<port>/mesos} with their
 * registry in that ZooKeeper, agents following the leader, and a detector reporting the leader
 * ({@link #leader()}, {@link Builder#onLeader}).
 *
 * <p>Not thread-safe but for the masters: start and add agents from one thread. Stopping and restarting masters
 * and closing are synchronized and the masters are readable from any thread, so another thread (mesos-local's
 * console) may stop and restart masters.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  /** The znode path the masters of a high-availability cluster contend under, as in Mesos' examples. */
  public static final String ZOOKEEPER_PATH = "/mesos";

  private final Builder config;
  private final List<Master> masters;
  private final List<InetSocketAddress> masterAddresses;
  private final List<Agent> agents = new ArrayList<>();
  /** Each agent's flags and environment as it was started, by index, for restarts. */
  private final List<Map<String, String>> agentFlags = new ArrayList<>();
  private final List<Map<String, String>> agentEnvs = new ArrayList<>();
  private final InetSocketAddress masterAddress;
  private final EmbeddedZooKeeper zooKeeper;
  private final String zooKeeperUrl;
  private MasterDetector leaderDetector;
  private volatile Optional<MasterInfo> leader = Optional.empty();
  private boolean closed;

  private LocalCluster(Builder config, List<Master> masters, List<InetSocketAddress> masterAddresses,
      EmbeddedZooKeeper zooKeeper, String zooKeeperUrl) {
    this.config = config;
    this.masters = new CopyOnWriteArrayList<>(masters);
    this.masterAddresses = List.copyOf(masterAddresses);
    this.masterAddress = masterAddresses.get(0);
    this.zooKeeper = zooKeeper;
    this.zooKeeperUrl = zooKeeperUrl;
  }

  /**
   * Starts the master on {@code ip:port} (0 for any free port) and {@code numAgents} agents on free ports,
   * each with its own work directory under {@code workDir} and the given resources (null: detected).
   */
  public static LocalCluster start(String ip, int port, int numAgents, Path workDir, String resources,
      Map<String, String> env) throws InterruptedException {
    return builder(workDir).ip(ip).port(port).agents(numAgents).resources(resources).env(env).start();
  }

  /** A cluster whose master and agents keep their work directories under {@code workDir}. */
  public static Builder builder(Path workDir) {
    return new Builder(workDir);
  }

  /**
   * Starts one more agent against this cluster's master, with the cluster's clock, agent flags and agent
   * customizer, {@code --work_dir=workDir} and {@code --resources=resources} (null: the cluster's).
   */
  public Agent addAgent(Path workDir, String resources, Map<String, String> env) throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("work_dir", workDir.toString());
    if (resources != null) {
      flags.put("resources", resources);
    }
    return startAgent(flags, env);
  }

  /**
   * Starts one more agent with the cluster's settings, its work directory {@code <workDir>/agents/<index>}
   * (index: the number of agents started before it), then {@code flags} over the cluster's agent flags.
   */
  public Agent addAgent(Map<String, String> flags) throws InterruptedException {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("work_dir", config.workDir.resolve("agents").resolve(Integer.toString(agents.size())).toString());
    all.putAll(flags);
    return startAgent(all, config.env);
  }

  private Agent startAgent(Map<String, String> overrides, Map<String, String> env) throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("master", masterUrl());
    flags.put("ip", masterAddress.getHostString());
    flags.put("port", "0");
    if (config.resources != null) {
      flags.put("resources", config.resources);
    }
    flags.putAll(config.agentFlags);
    flags.putAll(overrides);
    AgentBuilder builder = Agent.builder(AgentFlags.parse(args(flags), env)).clock(config.clock)
        .tls(config.tls());
    config.agentCustomizer.customize(agents.size(), builder);
    Agent agent = builder.build();
    agents.add(agent);
    agentFlags.add(flags);
    agentEnvs.add(env);
    agent.start();
    return agent;
  }

  /**
   * Stops agent {@code index} as SIGTERM does ({@link Agent#detach()}: its executors keep running) unless it is
   * stopped already, and starts a new agent in its place on the same work directory and port, {@code overrides}
   * over its flags, so that it recovers the old one's executors. Returns the new agent once it started (it
   * re-registers with the master on its own once its recovery is over).
   */
  public Agent restartAgent(int index, Map<String, String> overrides) throws InterruptedException {
    Agent old = agents.get(index);
    old.detach();
    Map<String, String> flags = new LinkedHashMap<>(agentFlags.get(index));
    flags.put("port", Integer.toString(old.address().getPort()));
    flags.putAll(overrides);
    AgentBuilder builder = Agent.builder(AgentFlags.parse(args(flags), agentEnvs.get(index))).clock(config.clock)
        .tls(config.tls());
    config.agentCustomizer.customize(index, builder);
    Agent agent = builder.build();
    agents.set(index, agent);
    agentFlags.set(index, flags);
    agent.start();
    return agent;
  }

  private static List<String> args(Map<String, String> flags) {
    List<String> args = new ArrayList<>();
    flags.forEach((name, value) -> args.add("--" + name + "=" + value));
    return args;
  }

  /** The address of the (first) master. */
  public InetSocketAddress masterAddress() {
    return masterAddress;
  }

  /**
   * What frameworks and agents are given as {@code --master}: host:port of the master, or with ZooKeeper
   * {@code zk://<ip>:<port>/mesos}.
   */
  public String masterUrl() {
    return zooKeeperUrl != null ? zooKeeperUrl
        : masterAddress.getHostString() + ":" + masterAddress.getPort();
  }

  /** The (first) master; with ZooKeeper not necessarily the leader (see {@link #leader()}). */
  public Master master() {
    return masters.get(0);
  }

  /** Every master, by index (the last instance started at that index, possibly stopped since). */
  public List<Master> masters() {
    return List.copyOf(masters);
  }

  /** The address of each master, by index; a restarted master keeps its address. */
  public List<InetSocketAddress> masterAddresses() {
    return masterAddresses;
  }

  /** {@code zk://<ip>:<port>/mesos} when the cluster runs a ZooKeeper server, else empty. */
  public Optional<String> zooKeeperUrl() {
    return Optional.ofNullable(zooKeeperUrl);
  }

  /**
   * The master ZooKeeper says leads (the one agents and frameworks follow), as last detected; empty while there
   * is none. Without ZooKeeper, the only master.
   */
  public Optional<Master> leader() {
    if (zooKeeper == null) {
      return Optional.of(masters.get(0));
    }
    Optional<MasterInfo> info = leader;
    return masters.stream().filter(m -> info.isPresent() && m.id().equals(info.get().getId())).findFirst();
  }

  /** The clock of the master and every agent. */
  public Clock clock() {
    return config.clock;
  }

  /** Every agent started, in start order (an agent's index), including any closed since. */
  public List<Agent> agents() {
    return List.copyOf(agents);
  }

  /**
   * Stops the master and starts a new one, with the same flags and customizer, on the same address: a master
   * failover as agents and frameworks see it (they reconnect, re-register and re-subscribe on their own). The
   * new master knows only what its registry keeps (nothing, with {@code --registry=in_memory}).
   */
  public Master restartMaster() throws InterruptedException {
    return restartMaster(0);
  }

  /**
   * Stops master {@code index} (if running) and starts a new one, with the same flags, on the same address;
   * with ZooKeeper it contends again, behind the masters already contending.
   */
  public synchronized Master restartMaster(int index) throws InterruptedException {
    masters.get(index).close();
    InetSocketAddress address = masterAddresses.get(index);
    Master master = config.newMaster(index, address.getPort(), zooKeeperUrl);
    masters.set(index, master);
    master.start();
    LOG.info("Local cluster: master {} restarted at {}", index, address);
    return master;
  }

  /** Stops master {@code index}, as a master that crashed; with ZooKeeper another one takes over. Idempotent. */
  public synchronized void stopMaster(int index) {
    masters.get(index).close();
    LOG.info("Local cluster: master {} at {} stopped", index, masterAddresses.get(index));
  }

  /** Reports each change of the leader detected in ZooKeeper, until the cluster closes. */
  private void watchLeader(Optional<MasterInfo> previous) {
    leaderDetector.detect(previous).whenComplete((next, failure) -> {
      if (failure != null) {
        return; // The detector closed.
      }
      leader = next;
      config.leaderListener.accept(next);
      watchLeader(next);
    });
  }

  /** Stops the agents, then the masters (followers before the leader), then ZooKeeper. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (leaderDetector != null) {
      leaderDetector.close();
    }
    for (Agent agent : agents) {
      agent.close();
    }
    agents.clear();
    Optional<Master> leading = leader();
    masters.stream().filter(m -> leading.isEmpty() || m != leading.get()).forEach(Master::close);
    leading.ifPresent(Master::close);
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }

  /** Customizes an agent's builder before it is built; {@code index} is its position in {@link #agents()}. */
  @FunctionalInterface
  public interface AgentCustomizer {
    void customize(int index, AgentBuilder builder);
  }

  /**
   * Settings of a {@link LocalCluster}; defaults: 127.0.0.1, any free port, one master, no ZooKeeper, no agents,
   * the system clock.
   */
  public static final class Builder {
    private final Path workDir;
    private String ip = "127.0.0.1";
    private int port;
    private Integer zooKeeperPort;
    private Integer masterCount;
    private Consumer<Optional<MasterInfo>> leaderListener = leader -> { };
    private int agents;
    private String resources;
    private Map<String, String> env = Map.of();
    private TlsContext tls;
    private Clock clock = SystemClock.get();
    private final Map<String, String> masterFlags = new LinkedHashMap<>();
    private final Map<String, String> agentFlags = new LinkedHashMap<>();
    private Consumer<Master.Builder> masterCustomizer = b -> { };
    private AgentCustomizer agentCustomizer = (index, b) -> { };

    private Builder(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    public Builder ip(String ip) {
      this.ip = Objects.requireNonNull(ip, "ip");
      return this;
    }

    /** The master's port; with several masters, the first one's, the others on the next ports (0: any free). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Runs a ZooKeeper server in this process on {@code port} (0: any free port), its data under
     * {@code <workDir>/zookeeper}. The masters ({@link #masters}, three unless set) contend under
     * {@code zk://<ip>:<port>/mesos} with {@code --registry=replicated_log} (the registry in ZooKeeper) and a
     * majority {@code --quorum}, their work directories {@code <workDir>/masters/<index>}; agents are given the
     * same URL as {@code --master}.
     */
    public Builder zooKeeper(int port) {
      this.zooKeeperPort = port;
      return this;
    }

    /** How many masters {@link #start()} starts; more than one needs {@link #zooKeeper(int)}. */
    public Builder masters(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("A cluster needs at least one master, not " + count);
      }
      this.masterCount = count;
      return this;
    }

    /**
     * Called with each leader ZooKeeper reports (empty while there is none), on the detector's thread; must not
     * block. Only with {@link #zooKeeper(int)}.
     */
    public Builder onLeader(Consumer<Optional<MasterInfo>> listener) {
      this.leaderListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** How many agents {@link #start()} starts. */
    public Builder agents(int count) {
      this.agents = count;
      return this;
    }

    /** Every agent's {@code --resources}; null (the default) detects the machine's. */
    public Builder resources(String resources) {
      this.resources = resources;
      return this;
    }

    /** The environment flags are also read from ({@code MESOS_*}). */
    public Builder env(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    /** The clock of the master and every agent; tests pass a {@link io.jmesos.actor.ManualClock}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A master flag (name without dashes), over the defaults and {@code --ip}/{@code --port}. */
    public Builder masterFlag(String name, String value) {
      masterFlags.put(name, value);
      return this;
    }

    /** A flag of every agent (name without dashes), over the cluster's defaults. */
    public Builder agentFlag(String name, String value) {
      agentFlags.put(name, value);
      return this;
    }

    /** Customizes the master's builder (e.g. message taps) before it is built. */
    public Builder master(Consumer<Master.Builder> customizer) {
      this.masterCustomizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /** Customizes each agent's builder before it is built, this cluster's first agents and later ones. */
    public Builder agent(AgentCustomizer customizer) {
      this.agentCustomizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /**
     * Master {@code index} (not started) with this cluster's flags, clock and customizer, on {@code masterPort},
     * contending under {@code zooKeeperUrl} unless it is null.
     */
    Master newMaster(int index, int masterPort, String zooKeeperUrl) {
      Map<String, String> flags = new LinkedHashMap<>();
      flags.put("ip", ip);
      flags.put("port", Integer.toString(masterPort));
      if (zooKeeperUrl == null) {
        flags.put("work_dir", workDir.resolve("master").toString());
        // As Mesos' tests and mesos-local: the registry lives in memory unless the cluster asks for
        // --registry=replicated_log (kept in the master's work_dir, or in ZooKeeper with --zk).
        flags.put("registry", "in_memory");
      } else {
        flags.put("work_dir", workDir.resolve("masters").resolve(Integer.toString(index)).toString());
        flags.put("zk", zooKeeperUrl);
        flags.put("registry", "replicated_log");
        flags.put("quorum", Integer.toString(masterCount() / 2 + 1));
      }
      flags.putAll(masterFlags);
      Master.Builder builder = Master.builder()
          .flags(MasterFlags.parse(args(flags).toArray(new String[0]), env))
          .tls(tls())
          .clock(clock);
      masterCustomizer.accept(builder);
      return builder.build();
    }

    /** The TLS of every master and agent, from the {@code LIBPROCESS_SSL_*} variables of the environment. */
    TlsContext tls() {
      if (tls == null) {
        tls = TlsContext.create(TlsConfig.fromEnvironment(env));
      }
      return tls;
    }

    private int masterCount() {
      return masterCount != null ? masterCount : zooKeeperPort != null ? 3 : 1;
    }

    /** Starts ZooKeeper (if asked for), the masters, then the agents; on failure whatever started is closed. */
    public LocalCluster start() throws InterruptedException {
      if (masterCount() > 1 && zooKeeperPort == null) {
        throw new IllegalStateException(masterCount() + " masters need ZooKeeper to elect a leader");
      }
      EmbeddedZooKeeper zooKeeper = zooKeeperPort == null ? null
          : EmbeddedZooKeeper.start(ip, zooKeeperPort, workDir.resolve("zookeeper"));
      String zooKeeperUrl = zooKeeper == null ? null : "zk://" + zooKeeper.connectString() + ZOOKEEPER_PATH;
      List<Master> masters = new ArrayList<>();
      List<InetSocketAddress> addresses = new ArrayList<>();
      try {
        for (int i = 0; i < masterCount(); i++) {
          Master master = newMaster(i, port == 0 ? 0 : port + i, zooKeeperUrl);
          masters.add(master);
          addresses.add(new InetSocketAddress(ip, master.start().getPort()));
        }
      } catch (RuntimeException | InterruptedException e) {
        masters.forEach(Master::close);
        if (zooKeeper != null) {
          zooKeeper.close();
        }
        throw e;
      }
      LocalCluster cluster = new LocalCluster(this, masters, addresses, zooKeeper, zooKeeperUrl);
      try {
        if (zooKeeperUrl != null) {
          cluster.leaderDetector = MasterDetectors.create(zooKeeperUrl, ZooKeeperClients.DEFAULT_SESSION_TIMEOUT);
          cluster.watchLeader(Optional.empty());
        }
        for (int i = 0; i < agents; i++) {
          cluster.addAgent(Map.of());
        }
      } catch (RuntimeException | InterruptedException e) {
        cluster.close();
        throw e;
      }
      LOG.info("Local cluster running: master(s) at {}{} with {} agent(s)", addresses,
          zooKeeperUrl == null ? "" : " contending under " + zooKeeperUrl, agents);
      return cluster;
    }
  }
}
