package io.jmesos.dist;

import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import io.jmesos.flags.FlagsException;
import io.jmesos.master.Master;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mesos-local}: one master and {@code --num_agents} agents in one process, the embedded default
 * (no ZooKeeper). With {@code --zk}, a ZooKeeper server and three masters on consecutive ports contending in
 * it, so that a failover can be watched on one machine: each new leader is printed, and a line on standard
 * input (Enter) stops the leading master and starts it again as a follower. Runs until the process is stopped.
 */
public final class MesosLocal {
  private static final Logger LOG = LoggerFactory.getLogger(MesosLocal.class);
  /** How many masters {@code --zk} runs. */
  static final int HA_MASTERS = 3;
  private static final Duration CONSOLE_POLL = Duration.ofMillis(200);

  /** Flags of {@code mesos-local}. */
  public static final class LocalFlags extends Flags {
    public final Flag<String> ip = add(Flag.string("ip").defaultValue("127.0.0.1")
        .help("IP address the master and agents listen on"));
    public final Flag<Integer> port = add(Flag.integer("port").defaultValue(5050)
        .help("Port the master listens on (agents take free ports); with --zk the three masters listen on "
            + "--port, --port+1 and --port+2 (0: any free ports)"));
    public final Flag<Integer> numAgents = add(Flag.integer("num_agents").defaultValue(2)
        .deprecatedName("num_slaves")
        .help("Number of agents to run")
        .validator(n -> n >= 0 ? Optional.empty() : Optional.of("must not be negative")));
    public final Flag<String> workDir = add(Flag.string("work_dir").defaultValue("/tmp/mesos-local")
        .help("Directory under which the master and each agent keep their state and sandboxes"));
    public final Flag<String> resources = add(Flag.string("resources")
        .help("Resources of each agent, in Mesos' resource syntax (default: detected from the machine)"));
    public final Flag<Boolean> zk = add(Flag.bool("zk").defaultValue(false)
        .help("(jmesos only) High availability on one machine: run a ZooKeeper server in this process (its data "
            + "under --work_dir) and three masters contending under zk://IP:ZK_PORT/mesos with their registry in "
            + "it; agents follow the leader. Press Enter to restart the leading master and watch another one "
            + "take over"));
    public final Flag<Integer> zkPort = add(Flag.integer("zk_port").defaultValue(2181)
        .help("(jmesos only) Port of the ZooKeeper server of --zk (0: any free port)")
        .validator(n -> n >= 0 && n <= 65535 ? Optional.empty() : Optional.of("must be a port number")));
  }

  private MesosLocal() {}

  public static void main(String[] args) throws InterruptedException {
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.print(new LocalFlags().usage("mesos-local"));
      return;
    }
    LocalCluster cluster = start(args, System.getenv(), System.out, System.err);
    if (cluster == null) {
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "mesos-local-shutdown"));
    if (cluster.zooKeeperUrl().isPresent()) {
      boolean terminal = standardInputIsTerminal();
      Thread console = new Thread(() -> failOverOnEachLine(cluster, System.in, terminal, System.out),
          "mesos-local-console");
      console.setDaemon(true);
      console.start();
    }
    new CountDownLatch(1).await();
  }

  /**
   * For each line read from {@code in}: stops the leading master and starts it again, so that it contends
   * behind the two others and one of them takes over. Returns at the end of {@code in} (at once when standard
   * input is {@code /dev/null}). From a {@code terminal} it reads only in the foreground and once a line is
   * there: a read from the terminal would stop mesos-local when it runs in the background ({@code SIGTTIN});
   * checking for input does not.
   */
  static void failOverOnEachLine(LocalCluster cluster, InputStream in, boolean terminal, PrintStream out) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      while (true) {
        while (terminal && !(inForeground() && lines.ready())) {
          Thread.sleep(CONSOLE_POLL.toMillis());
        }
        if (lines.readLine() == null) {
          return;
        }
        Optional<Master> leader = cluster.leader();
        if (leader.isEmpty()) {
          out.println("mesos-local: none of mesos-local's masters leads right now (an election is under way, or "
              + "another process leads)");
          continue;
        }
        int index = cluster.masters().indexOf(leader.get());
        out.println("mesos-local: stopping the leading master " + address(cluster.masterAddresses().get(index))
            + " and starting it again as a follower");
        cluster.restartMaster(index);
      }
    } catch (IOException e) {
      LOG.warn("mesos-local stopped reading standard input: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("mesos-local failed to restart a master", e);
    }
  }

  /**
   * True when standard input is a terminal: on Linux, when {@code /proc/self/fd/0} is a tty or pseudo-terminal
   * (standard output may be redirected); elsewhere when Java sees a console.
   */
  private static boolean standardInputIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Paths.get("/proc/self/fd/0")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }

  /**
   * True unless this process is known to run in the background of its terminal: on Linux, unless its process
   * group differs from the terminal's foreground group ({@code /proc/self/stat} fields 5 and 8).
   */
  private static boolean inForeground() {
    try {
      String stat = Files.readString(Paths.get("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return fields[2].equals(fields[5]); // pgrp, tpgid (fields 3 and 4 are state and ppid)
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** Parses flags and starts the cluster; null (after printing why) when it should not run. */
  static LocalCluster start(String[] args, Map<String, String> env, PrintStream out, PrintStream err)
      throws InterruptedException {
    LocalFlags flags = new LocalFlags();
    try {
      flags.load(args, env);
    } catch (FlagsException e) {
      err.println(e.getMessage());
      err.println();
      err.print(flags.usage("mesos-local"));
      return null;
    }
    if (flags.helpRequested()) {
      out.print(flags.usage("mesos-local"));
      return null;
    }
    if (!flags.get(flags.zk)) {
      LocalCluster cluster = LocalCluster.start(flags.get(flags.ip), flags.get(flags.port),
          flags.get(flags.numAgents), Paths.get(flags.get(flags.workDir)), flags.find(flags.resources).orElse(null),
          Map.of());
      out.println("mesos-local: master at " + cluster.masterUrl() + " with " + cluster.agents().size()
          + " agent(s)");
      return cluster;
    }
    LeaderReports leaders = new LeaderReports(out);
    LocalCluster cluster = LocalCluster.builder(Paths.get(flags.get(flags.workDir)))
        .ip(flags.get(flags.ip))
        .port(flags.get(flags.port))
        .zooKeeper(flags.get(flags.zkPort))
        .masters(HA_MASTERS)
        .agents(flags.get(flags.numAgents))
        .resources(flags.find(flags.resources).orElse(null))
        .onLeader(leaders::report)
        .start();
    String url = cluster.zooKeeperUrl().orElseThrow();
    out.println("mesos-local: ZooKeeper server at " + url + " (data in " + Paths.get(flags.get(flags.workDir))
        .resolve("zookeeper") + ")");
    out.println("mesos-local: " + HA_MASTERS + " masters at " + cluster.masterAddresses().stream()
        .map(MesosLocal::address).collect(Collectors.joining(", ")) + " contending under " + url + ", with "
        + cluster.agents().size() + " agent(s) following the leader");
    out.println("mesos-local: give frameworks --master=" + url + "; press Enter to stop the leading master "
        + "and watch another one take over");
    leaders.open();
    return cluster;
  }

  /**
   * Prints each leader the cluster detects, holding back the reports that arrive before {@link #open()} so that
   * they come after the cluster's description. Reports arrive on the detector's thread.
   */
  private static final class LeaderReports {
    private final PrintStream out;
    private final List<Optional<MasterInfo>> held = new ArrayList<>();
    private boolean open;

    LeaderReports(PrintStream out) {
      this.out = out;
    }

    synchronized void report(Optional<MasterInfo> leader) {
      if (open) {
        print(leader);
      } else {
        held.add(leader);
      }
    }

    synchronized void open() {
      open = true;
      held.forEach(this::print);
      held.clear();
    }

    private void print(Optional<MasterInfo> leader) {
      out.println("mesos-local: " + leader.map(l -> "leading master is " + l.getAddress().getIp() + ":"
          + l.getPort() + " (id " + l.getId() + ")").orElse("no leading master (an election is under way)"));
    }
  }

  private static String address(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
