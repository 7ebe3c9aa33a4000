package io.jmesos.dist;

import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import io.jmesos.agent.Agent;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.master.Master;
import io.jmesos.master.flags.MasterFlags;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master and N agents in one process, talking over loopback sockets exactly as separate daemons do: the
 * engine of {@code mesos-local} and of the in-process cluster tests (the fault-injection test cluster builds
 * on it with a manual clock and message taps). Not thread-safe; start, add agents and close from one thread.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

  private final Builder config;
  private Master master;
  private final List<Agent> agents = new ArrayList<>();
  private final InetSocketAddress masterAddress;

  private LocalCluster(Builder config, Master master, InetSocketAddress masterAddress) {
    this.config = config;
    this.master = master;
    this.masterAddress = masterAddress;
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
    flags.put("master", masterAddress.getHostString() + ":" + masterAddress.getPort());
    flags.put("ip", masterAddress.getHostString());
    flags.put("port", "0");
    if (config.resources != null) {
      flags.put("resources", config.resources);
    }
    flags.putAll(config.agentFlags);
    flags.putAll(overrides);
    Agent.Builder builder = Agent.builder(AgentFlags.parse(args(flags), env)).clock(config.clock);
    config.agentCustomizer.customize(agents.size(), builder);
    Agent agent = builder.build();
    agents.add(agent);
    agent.start();
    return agent;
  }

  private static List<String> args(Map<String, String> flags) {
    List<String> args = new ArrayList<>();
    flags.forEach((name, value) -> args.add("--" + name + "=" + value));
    return args;
  }

  public InetSocketAddress masterAddress() {
    return masterAddress;
  }

  /** host:port of the master, as frameworks are given it. */
  public String masterUrl() {
    return masterAddress.getHostString() + ":" + masterAddress.getPort();
  }

  public Master master() {
    return master;
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
    master.close();
    master = config.newMaster(masterAddress.getPort());
    master.start();
    LOG.info("Local cluster: master restarted at {}", masterAddress);
    return master;
  }

  @Override
  public void close() {
    for (Agent agent : agents) {
      agent.close();
    }
    agents.clear();
    master.close();
  }

  /** Customizes an agent's builder before it is built; {@code index} is its position in {@link #agents()}. */
  @FunctionalInterface
  public interface AgentCustomizer {
    void customize(int index, Agent.Builder builder);
  }

  /** Settings of a {@link LocalCluster}; defaults: 127.0.0.1, any free port, no agents, the system clock. */
  public static final class Builder {
    private final Path workDir;
    private String ip = "127.0.0.1";
    private int port;
    private int agents;
    private String resources;
    private Map<String, String> env = Map.of();
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

    public Builder port(int port) {
      this.port = port;
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

    /** A master (not started) with this cluster's flags, clock and customizer, on {@code masterPort}. */
    Master newMaster(int masterPort) {
      Map<String, String> flags = new LinkedHashMap<>();
      flags.put("ip", ip);
      flags.put("port", Integer.toString(masterPort));
      flags.put("work_dir", workDir.resolve("master").toString());
      // As Mesos' tests and mesos-local: the registry lives in memory unless the cluster asks for
      // --registry=replicated_log (kept in the master's work_dir, or in ZooKeeper with --zk).
      flags.put("registry", "in_memory");
      flags.putAll(masterFlags);
      Master.Builder builder = Master.builder()
          .flags(MasterFlags.parse(args(flags).toArray(new String[0]), env))
          .clock(clock);
      masterCustomizer.accept(builder);
      return builder.build();
    }

    /** Starts the master, then the agents; on failure whatever started is closed. */
    public LocalCluster start() throws InterruptedException {
      Master master = newMaster(port);
      InetSocketAddress bound;
      try {
        bound = master.start();
      } catch (RuntimeException | InterruptedException e) {
        master.close();
        throw e;
      }
      LocalCluster cluster = new LocalCluster(this, master, new InetSocketAddress(ip, bound.getPort()));
      try {
        for (int i = 0; i < agents; i++) {
          cluster.addAgent(Map.of());
        }
      } catch (RuntimeException | InterruptedException e) {
        cluster.close();
        throw e;
      }
      LOG.info("Local cluster running: master at {} with {} agent(s)", cluster.masterAddress, agents);
      return cluster;
    }
  }
}
