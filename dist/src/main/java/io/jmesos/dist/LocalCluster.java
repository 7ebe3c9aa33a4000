package io.jmesos.dist;

import io.jmesos.agent.Agent;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.master.Master;
import io.jmesos.master.flags.MasterFlags;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master and N agents in one process, talking over loopback sockets exactly as separate daemons do: the
 * engine of {@code mesos-local} and of the in-process cluster tests. Not thread-safe; start and close from
 * one thread.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

  private final Master master;
  private final List<Agent> agents = new ArrayList<>();
  private final InetSocketAddress masterAddress;

  private LocalCluster(Master master, InetSocketAddress masterAddress) {
    this.master = master;
    this.masterAddress = masterAddress;
  }

  /**
   * Starts the master on {@code ip:port} (0 for any free port) and {@code numAgents} agents on free ports,
   * each with its own work directory under {@code workDir} and the given resources (null: detected).
   */
  public static LocalCluster start(String ip, int port, int numAgents, Path workDir, String resources,
      Map<String, String> env) throws InterruptedException {
    MasterFlags masterFlags = MasterFlags.parse(new String[] {"--ip=" + ip, "--port=" + port,
        "--work_dir=" + workDir.resolve("master")}, env);
    Master master = Master.builder().flags(masterFlags).build();
    InetSocketAddress bound = master.start();
    LocalCluster cluster = new LocalCluster(master, new InetSocketAddress(ip, bound.getPort()));
    try {
      for (int i = 0; i < numAgents; i++) {
        cluster.addAgent(workDir.resolve("agents").resolve(Integer.toString(i)), resources, env);
      }
    } catch (RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
    LOG.info("Local cluster running: master at {} with {} agent(s)", cluster.masterAddress, numAgents);
    return cluster;
  }

  /** Starts one more agent against this cluster's master. */
  public Agent addAgent(Path workDir, String resources, Map<String, String> env) throws InterruptedException {
    List<String> args = new ArrayList<>(List.of(
        "--master=" + masterAddress.getHostString() + ":" + masterAddress.getPort(),
        "--ip=" + masterAddress.getHostString(),
        "--port=0",
        "--work_dir=" + workDir));
    if (resources != null) {
      args.add("--resources=" + resources);
    }
    Agent agent = Agent.builder(AgentFlags.parse(args, env)).build();
    agent.start();
    agents.add(agent);
    return agent;
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

  public List<Agent> agents() {
    return List.copyOf(agents);
  }

  @Override
  public void close() {
    for (Agent agent : agents) {
      agent.close();
    }
    agents.clear();
    master.close();
  }
}
