package io.jmesos.dist.bench;

import io.jmesos.dist.EmbeddedZooKeeper;
import io.jmesos.detector.MasterDetector;
import io.jmesos.flags.Durations;
import io.jmesos.zookeeper.MasterDetectors;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;

/**
 * Master failover at scale: how long after the leading master dies all agents have re-registered with the next
 * one. Runs a real ZooKeeper (embedded in this JVM, or {@code --zk=host:port}), two {@code mesos-master}s in JVMs of
 * their own ({@link MasterProcess}) contending through it with the registry in ZooKeeper ({@code
 * --registry=replicated_log --quorum=1}), and {@link SimulatedAgents} in this JVM registering N agents with the
 * leader over loopback. Each round stops the leader, by SIGTERM (it closes, ending its ZooKeeper session, so the
 * standby is elected at once) or with {@code --leader_death=kill} by SIGKILL (its session must expire first,
 * {@code --zk_session_timeout}), and times from that instant: the agents' detector reporting the new leader, its
 * election, registry fetch and recovery (its own log lines), and the agents' SlaveReregisteredMessages. The agents
 * report K running tasks of one framework each in their re-registration (never launched); the new leader re-adds
 * them and recovers the framework. After each round a fresh standby joins, so rounds repeat the same failover.
 *
 * <p>Masters run apart because each side of a loopback connection takes a file descriptor: one process for both
 * would need two per agent (the open-files limit bounds N; see {@link #checkFileDescriptors}).
 *
 * <p>Usage: {@code bin/mesos-bench failover AGENTS TASKS_PER_AGENT [--rounds=3] [--leader_death=term|kill]
 * [--zk=host:port] [--zk_session_timeout=10secs] [--io_threads=2] [--register_window=500] [--connect_window=256]
 * [--backoff_factor=1secs] [--agent_resources=cpus:8;mem:16384] [--task_resources=cpus:0.1;mem:32]
 * [--master_java_opts=-Xmx4g] [--agent_ping_timeout=10mins] [--timeout_secs=600]}.
 */
public final class FailoverBench {
  private static final Pattern METRIC = Pattern.compile("\"([^\"]+)\"\\s*:\\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");

  private final Map<String, String> options;
  private final Path work;
  private final String zkUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private int masters;

  private FailoverBench(Map<String, String> options, Path work, String zkUrl) {
    this.options = options;
    this.work = work;
    this.zkUrl = zkUrl;
  }

  public static void main(String[] args) throws Exception {
    List<Integer> numbers = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--") && arg.contains("=")) {
        options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        numbers.add(Integer.parseInt(arg));
      }
    }
    if (numbers.size() != 2) {
      System.err.println("Usage: bin/mesos-bench failover AGENTS TASKS_PER_AGENT [--rounds=3] "
          + "[--leader_death=term|kill] [--zk=host:port] [--zk_session_timeout=10secs] [--io_threads=2] "
          + "[--register_window=500] [--connect_window=256] [--backoff_factor=1secs] "
          + "[--agent_resources=cpus:8;mem:16384] [--task_resources=cpus:0.1;mem:32] [--master_java_opts=-Xmx4g] "
          + "[--agent_ping_timeout=10mins] [--timeout_secs=600]");
      System.exit(2);
    }
    Path work = Files.createTempDirectory("jmesos-bench-failover");
    EmbeddedZooKeeper embedded = null;
    try {
      String zk = options.get("zk");
      if (zk == null) {
        embedded = EmbeddedZooKeeper.start("127.0.0.1", 0, work.resolve("zookeeper"));
        zk = embedded.connectString();
      }
      String url = "zk://" + zk + "/jmesos-bench-" + UUID.randomUUID().toString().substring(0, 8);
      new FailoverBench(options, work, url).run(numbers.get(0), numbers.get(1));
    } finally {
      if (embedded != null) {
        embedded.close();
      }
      deleteRecursively(work);
    }
  }

  private void run(int agentCount, int tasksPerAgent) throws Exception {
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    boolean crash = options.getOrDefault("leader_death", "term").equals("kill");
    Duration timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout_secs", "600")));
    SimulatedAgents.Options agentOptions = new SimulatedAgents.Options(agentCount, tasksPerAgent,
        options.getOrDefault("agent_resources", "cpus:8;mem:16384"),
        options.getOrDefault("task_resources", "cpus:0.1;mem:32"),
        Integer.parseInt(options.getOrDefault("io_threads", "2")),
        Integer.parseInt(options.getOrDefault("register_window", "500")),
        Integer.parseInt(options.getOrDefault("connect_window", "256")),
        Durations.parse(options.getOrDefault("backoff_factor", "1secs")));
    checkFileDescriptors(agentCount);
    System.out.printf(Locale.ROOT, "Master failover: %d agents x %d tasks (%d tasks), ZooKeeper %s, leader %s, "
        + "%d rounds, %d CPUs%n", agentCount, tasksPerAgent, (long) agentCount * tasksPerAgent, zkUrl,
        crash ? "killed (SIGKILL: its ZooKeeper session expires)" : "terminated (SIGTERM: closes its session)",
        rounds, Runtime.getRuntime().availableProcessors());

    MasterProcess leader = startMaster(timeout);
    waitLeading(leader, timeout);
    MasterProcess standby = startStandby(timeout);

    FrameworkInfo framework = FrameworkInfo.newBuilder()
        .setId(FrameworkID.newBuilder().setValue("failover-bench-framework"))
        .setName("failover-bench")
        .setUser("bench")
        .addRoles("*")
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .setCheckpoint(true)
        .setFailoverTimeout(7 * 24 * 3600)
        .build();
    List<Map<String, Double>> results = new ArrayList<>();
    try (SimulatedAgents agents = new SimulatedAgents(agentOptions);
        MasterDetector detector = MasterDetectors.create(zkUrl, Duration.ofSeconds(10))) {
      long started = System.nanoTime();
      agents.registerAll(leader.address(), timeout);
      double registerSecs = (System.nanoTime() - started) / 1e9;
      Map<String, Double> before = metrics(leader);
      System.out.printf(Locale.ROOT, "registered %d agents with the first leader in %.1f s (%.0f/s); registry %.1f "
          + "MiB, store p50 %.0f ms max %.0f ms over the last %.0f stores%n", agentCount, registerSecs,
          agentCount / registerSecs, before.getOrDefault("registrar/registry_size_bytes", 0.0) / (1 << 20),
          before.getOrDefault("registrar/state_store_ms/p50", Double.NaN),
          before.getOrDefault("registrar/state_store_ms/max", Double.NaN),
          before.getOrDefault("registrar/state_store_ms/count", Double.NaN));
      agents.prepareReregistration(framework);
      agents.follow(detector, leader.id(), timeout);

      for (int round = 1; round <= rounds; round++) {
        agents.expectReregistration();
        long t0 = System.nanoTime();
        if (crash) {
          leader.kill();
        } else {
          leader.terminate();
        }
        boolean all = awaitReregistered(agents, agentCount, t0, timeout);
        long end = System.nanoTime();
        MasterProcess old = leader;
        leader = standby;
        standby = null;
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("old leader exited", ms(t0, old.exitedNanos()));
        r.put("leader detected by agents", ms(t0, agents.leaderDetectedNanos()));
        r.put("new leader elected", ms(t0, leader.at("elected")));
        r.put("registry fetched", ms(t0, leader.at("fetched")));
        r.put("registry recovered", ms(t0, leader.at("recovered")));
        long[] times = agents.reregisteredNanos();
        if (times.length > 0) {
          r.put("first agent re-registered", ms(t0, times[0]));
          r.put("50% re-registered", ms(t0, times[(times.length - 1) / 2]));
          r.put("90% re-registered", ms(t0, times[(int) Math.ceil(times.length * 0.9) - 1]));
          r.put("99% re-registered", ms(t0, times[(int) Math.ceil(times.length * 0.99) - 1]));
        }
        r.put("all re-registered", all ? ms(t0, times[times.length - 1]) : Double.NaN);
        double attempts = (double) agents.attempts() / agentCount;
        System.out.printf(Locale.ROOT, "round %d: %s%n", round, describe(r));
        Map<String, Double> m = metrics(leader);
        System.out.printf(Locale.ROOT, "  agents re-registered %d of %d (%.2f re-registration messages sent per "
            + "agent); new leader: master/slave_reregistrations %.0f, master/tasks_running %.0f, "
            + "master/frameworks_inactive %.0f, registrar/state_fetch_ms %.0f, registrar/registry_size_bytes %.0f, "
            + "registrar/state_store_ms p50 %.0f max %.0f (%.0f stores); waited %.0f ms%n",
            agents.reregistered(), agentCount, attempts, m.getOrDefault("master/slave_reregistrations", Double.NaN),
            m.getOrDefault("master/tasks_running", Double.NaN),
            m.getOrDefault("master/frameworks_inactive", Double.NaN),
            m.getOrDefault("registrar/state_fetch_ms", Double.NaN),
            m.getOrDefault("registrar/registry_size_bytes", Double.NaN),
            m.getOrDefault("registrar/state_store_ms/p50", Double.NaN),
            m.getOrDefault("registrar/state_store_ms/max", Double.NaN),
            m.getOrDefault("registrar/state_store_ms/count", Double.NaN), ms(t0, end));
        results.add(r);
        old.stop();
        if (!all) {
          System.out.printf(Locale.ROOT, "  stopped: not every agent re-registered within %s%n", timeout);
          break;
        }
        if (round < rounds) {
          standby = startStandby(timeout);
        }
      }
      summary(results, crash);
      System.out.printf(Locale.ROOT, "leader's heap used after a full GC: %d MiB; this JVM (agents, ZooKeeper): %d "
          + "MiB%n", leader.heapUsedMib(), heapUsedMib());
      System.out.printf(Locale.ROOT, "agents: %d pings answered, %d shutdowns, %d other messages; master logs in %s%n",
          agents.pings(), agents.shutdowns(), agents.unexpectedMessages(), work);
    } finally {
      leader.stop();
      if (standby != null) {
        standby.stop();
      }
    }
  }

  /** Waits for every agent to re-register, printing the count every 10 s. */
  private static boolean awaitReregistered(SimulatedAgents agents, int agentCount, long t0, Duration timeout)
      throws InterruptedException {
    long deadline = t0 + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (agents.awaitReregistered(Duration.ofMillis(Math.min(10_000, (deadline - System.nanoTime()) / 1_000_000)))) {
        return true;
      }
      System.out.printf(Locale.ROOT, "  %.0f s: %d of %d agents re-registered (%.2f messages sent per agent)%n",
          (System.nanoTime() - t0) / 1e9, agents.reregistered(), agentCount, (double) agents.attempts() / agentCount);
    }
    return agents.awaitReregistered(Duration.ZERO);
  }

  /** Each master JVM holds one descriptor per agent, this one one per agent as well, and a few hundred more. */
  private static void checkFileDescriptors(int agents) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      long max = os.getMaxFileDescriptorCount();
      if (agents + 500 > max) {
        throw new IllegalStateException("Each side needs one file descriptor per agent: " + agents + " agents need "
            + "more than the open-files limit of " + max + " (ulimit -n); raise it or simulate fewer agents");
      }
    }
  }

  private MasterProcess startMaster(Duration timeout) throws Exception {
    int n = ++masters;
    List<String> flags = new ArrayList<>(List.of("--ip=127.0.0.1", "--hostname=127.0.0.1", "--port=0",
        "--zk=" + zkUrl, "--quorum=1", "--registry=replicated_log",
        "--work_dir=" + work.resolve("master-" + n),
        "--agent_ping_timeout=" + options.getOrDefault("agent_ping_timeout", "10mins"),
        "--zk_session_timeout=" + options.getOrDefault("zk_session_timeout", "10secs")));
    List<String> javaOpts = List.of(options.getOrDefault("master_java_opts", "-Xmx4g").split("\\s+"));
    MasterProcess master = MasterProcess.start("master-" + n, work, flags, javaOpts);
    if (master.await("started", timeout.toMillis()) == null) {
      master.stop();
      throw new IllegalStateException("Master " + n + " did not start; see " + work.resolve("master-" + n + ".log"));
    }
    return master;
  }

  /** Starts a master and waits until it follows the current leader (it is in the group and watching). */
  private MasterProcess startStandby(Duration timeout) throws Exception {
    MasterProcess standby = startMaster(timeout);
    if (standby.await("following", timeout.toMillis()) == null) {
      standby.stop();
      throw new IllegalStateException("Standby master " + standby.name() + " saw no leader within " + timeout);
    }
    return standby;
  }

  private void waitLeading(MasterProcess master, Duration timeout) throws Exception {
    if (master.await("recovered", timeout.toMillis()) == null) {
      throw new IllegalStateException("Master " + master.name() + " did not lead within " + timeout);
    }
  }

  /**
   * The master's /metrics/snapshot (served on its actor, so it waits behind whatever the actor has queued); empty
   * if it does not answer within 10 minutes.
   */
  private Map<String, Double> metrics(MasterProcess master) throws InterruptedException {
    InetSocketAddress address = master.address();
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + address.getPort() + "/metrics/snapshot")).timeout(Duration.ofMinutes(10))
        .build();
    long started = System.nanoTime();
    String body;
    try {
      body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.io.IOException e) {
      System.out.printf(Locale.ROOT, "  no metrics from %s: %s%n", master.name(), e);
      return Map.of();
    }
    double waited = (System.nanoTime() - started) / 1e6;
    if (waited > 1000) {
      System.out.printf(Locale.ROOT, "  (%s answered /metrics/snapshot after %.0f ms)%n", master.name(), waited);
    }
    Map<String, Double> values = new LinkedHashMap<>();
    Matcher matcher = METRIC.matcher(body);
    while (matcher.find()) {
      values.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
    }
    return values;
  }

  private static void summary(List<Map<String, Double>> results, boolean crash) {
    if (results.isEmpty()) {
      return;
    }
    System.out.printf(Locale.ROOT, "%nms after the leader was sent %s, over %d rounds:%n", crash ? "SIGKILL" : "SIGTERM",
        results.size());
    System.out.printf(Locale.ROOT, "%-28s %9s %9s %9s%n", "", "min", "median", "max");
    for (String phase : results.get(0).keySet()) {
      double[] values = results.stream().mapToDouble(r -> r.getOrDefault(phase, Double.NaN)).sorted().toArray();
      System.out.printf(Locale.ROOT, "%-28s %9.0f %9.0f %9.0f%n", phase, values[0], values[(values.length - 1) / 2],
          values[values.length - 1]);
    }
  }

  private static String describe(Map<String, Double> r) {
    StringBuilder out = new StringBuilder();
    r.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(String.format(Locale.ROOT, "%.0f", v)));
    return out.append(" ms").toString();
  }

  private static double ms(long from, long to) {
    return to == 0 ? Double.NaN : (to - from) / 1e6;
  }

  private static double ms(long from, Long to) {
    return to == null || to == 0 ? Double.NaN : (to - from) / 1e6;
  }

  static long heapUsedMib() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("Could not delete " + root + ": " + e.getMessage());
    }
  }
}
