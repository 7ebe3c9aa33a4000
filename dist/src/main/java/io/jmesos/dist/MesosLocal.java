package io.jmesos.dist;

import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import io.jmesos.flags.FlagsException;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mesos-local}: one master and {@code --num_agents} agents in one process, the embedded default
 * (no ZooKeeper). Runs until the process is stopped.
 */
public final class MesosLocal {

  /** Flags of {@code mesos-local}. */
  public static final class LocalFlags extends Flags {
    public final Flag<String> ip = add(Flag.string("ip").defaultValue("127.0.0.1")
        .help("IP address the master and agents listen on"));
    public final Flag<Integer> port = add(Flag.integer("port").defaultValue(5050)
        .help("Port the master listens on (agents take free ports)"));
    public final Flag<Integer> numAgents = add(Flag.integer("num_agents").defaultValue(2)
        .deprecatedName("num_slaves")
        .help("Number of agents to run")
        .validator(n -> n >= 0 ? Optional.empty() : Optional.of("must not be negative")));
    public final Flag<String> workDir = add(Flag.string("work_dir").defaultValue("/tmp/mesos-local")
        .help("Directory under which the master and each agent keep their state and sandboxes"));
    public final Flag<String> resources = add(Flag.string("resources")
        .help("Resources of each agent, in Mesos' resource syntax (default: detected from the machine)"));
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
    new CountDownLatch(1).await();
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
    LocalCluster cluster = LocalCluster.start(flags.get(flags.ip), flags.get(flags.port), flags.get(flags.numAgents),
        Paths.get(flags.get(flags.workDir)), flags.find(flags.resources).orElse(null), Map.of());
    out.println("mesos-local: master at " + cluster.masterUrl() + " with " + cluster.agents().size() + " agent(s)");
    return cluster;
  }
}
