package io.jmesos.it.ha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.agent.Agent;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.detector.ZooKeeperUrl;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.Master;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.http.SchedulerTap;
import io.jmesos.scheduler.DriverOptions;
import io.jmesos.transport.MessageTap;
import io.jmesos.zookeeper.ZooKeeperClients;
import io.jmesos.zookeeper.ZooKeeperMasterContender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Scheduler;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Masters, agents and scheduler drivers in this JVM, on the system clock, finding the leading master through a
 * real in-JVM ZooKeeper under one path. The masters do not contend by themselves yet: a test elects one by
 * starting a {@link ZooKeeperMasterContender} for it (its {@code MasterInfo} in a {@code json.info_} znode, as
 * Mesos masters publish it) and hands leadership on by withdrawing that candidacy; the master itself stays up,
 * as a master cut off from ZooKeeper would. Agents and drivers are given {@code --master=zk://...}.
 *
 * <p>Use from the test thread; {@link #close()} stops drivers, agents, candidacies and masters in that order.
 */
final class HaCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HaCluster.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(15);

  private final String connectString;
  private final String path;
  private final Path workDir;
  private final HttpClient http = new HttpClient("ha-cluster");
  private final List<MesosSchedulerDriver> drivers = new CopyOnWriteArrayList<>();
  private final List<Agent> agents = new ArrayList<>();
  private final List<Candidacy> candidacies = new ArrayList<>();
  private final List<Master> masters = new ArrayList<>();

  /** A cluster whose masters contend under {@code path} of {@code zooKeeper} (one path per test). */
  HaCluster(TestingServer zooKeeper, String path) throws IOException {
    this(zooKeeper.getConnectString(), path);
  }

  /** A cluster on the ZooKeeper ensemble at {@code connectString} ({@code host:port,...}). */
  HaCluster(String connectString, String path) throws IOException {
    this.connectString = connectString;
    this.path = path;
    this.workDir = Files.createTempDirectory("ha-cluster-");
  }

  /** The {@code --master} value agents and drivers are given. */
  String zkUrl() {
    return "zk://" + connectString + path;
  }

  Master startMaster() throws InterruptedException {
    return startMaster(SchedulerTap.NONE);
  }

  /** A started master (in-memory registry, quick allocations) whose scheduler streams pass through {@code tap}. */
  Master startMaster(SchedulerTap tap) throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("ip", "127.0.0.1");
    flags.put("port", "0");
    flags.put("work_dir", workDir.resolve("master-" + masters.size()).toString());
    flags.put("registry", "in_memory");
    flags.put("allocation_interval", "50ms");
    Master master = Master.builder().flags(MasterFlags.of(flags)).schedulerTap(tap).build();
    masters.add(master);
    master.start();
    return master;
  }

  /**
   * A started master that contends by itself ({@code --zk}) and keeps its registry in ZooKeeper
   * ({@code --registry=replicated_log}); its fatal hook (lost leadership, a registry it cannot keep) records the
   * failure in {@code fatal} and closes it, as {@code mesos-master} exits.
   */
  Master startContendingMaster(List<Throwable> fatal, Map<String, String> extra) throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("ip", "127.0.0.1");
    flags.put("port", "0");
    flags.put("work_dir", workDir.resolve("master-" + masters.size()).toString());
    flags.put("zk", zkUrl());
    flags.put("quorum", "1");
    flags.put("registry", "replicated_log");
    flags.put("zk_session_timeout", "4secs");
    flags.put("allocation_interval", "50ms");
    flags.putAll(extra);
    Master[] self = new Master[1];
    Master master = Master.builder().flags(MasterFlags.of(flags)).onFatal(failure -> {
      fatal.add(failure);
      CompletableFuture.runAsync(self[0]::close);
    }).build();
    self[0] = master;
    masters.add(master);
    master.start();
    return master;
  }

  /** The {@code /metrics/snapshot} value {@code name} of a master, or NaN when it does not answer. */
  double metric(Master master, String name) {
    try {
      HttpResponse response = http.get(master.address(), "/metrics/snapshot").get(WAIT.toSeconds(),
          TimeUnit.SECONDS);
      return JSON.readTree(response.body()).path(name).asDouble(Double.NaN);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /** Starts contending for {@code master}; the candidacy's {@link Candidacy#close()} withdraws it. */
  Candidacy contend(Master master) throws InterruptedException {
    CuratorFramework client = ZooKeeperClients.newClient(ZooKeeperUrl.parse(zkUrl()), Duration.ofSeconds(10));
    client.start();
    if (!client.blockUntilConnected(Math.toIntExact(WAIT.toSeconds()), TimeUnit.SECONDS)) {
      client.close();
      throw new IllegalStateException("No ZooKeeper connection for the contender");
    }
    Candidacy candidacy = new Candidacy(client, path, master);
    candidacies.add(candidacy);
    candidacy.contender.start();
    return candidacy;
  }

  /** A started agent with {@code --master=master}, its internal messages passing through {@code tap}. */
  Agent startAgent(String master, MessageTap tap) throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("master", master);
    flags.put("ip", "127.0.0.1");
    flags.put("port", "0");
    flags.put("work_dir", workDir.resolve("agent-" + agents.size()).toString());
    flags.put("resources", "cpus:2;mem:1024");
    flags.put("isolation", "posix/cpu,posix/mem");
    flags.put("command_executor", "embedded");
    flags.put("registration_backoff_factor", "10ms");
    Agent agent = Agent.builder(AgentFlags.of(flags)).messageTap(tap).build();
    agents.add(agent);
    agent.start();
    return agent;
  }

  /** A driver (not started) for {@code framework} with {@code --master=zk://...}; stopped on close. */
  MesosSchedulerDriver driver(Scheduler scheduler, FrameworkInfo framework) {
    MesosSchedulerDriver driver = new MesosSchedulerDriver(scheduler, framework, List.of(), zkUrl(), true, null,
        DriverOptions.defaults().withRegistrationBackoffFactor(Duration.ofMillis(50)));
    drivers.add(driver);
    return driver;
  }

  /** The agent's id once it has registered with some master (bounded wait). */
  static SlaveID awaitId(Agent agent) {
    CompletableFuture<SlaveID> id = new CompletableFuture<>();
    Awaitility.await().atMost(WAIT).until(() -> {
      SlaveID now = agent.slaveId().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return now != null && id.complete(now);
    });
    return id.join();
  }

  JsonNode state(Master master) {
    return state(master.address());
  }

  JsonNode state(Agent agent) {
    return state(agent.address());
  }

  private JsonNode state(InetSocketAddress address) {
    try {
      HttpResponse response = http.get(address, "/state").get(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (response.status() != 200) {
        throw new IllegalStateException("GET /state of " + address + " answered " + response.status() + ": "
            + response.bodyText());
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("GET /state of " + address + " failed", e);
    }
  }

  /** The ids of the agents a master's {@code /state} lists as active. */
  List<String> activeAgents(Master master) {
    List<String> ids = new ArrayList<>();
    for (JsonNode agent : state(master).path("slaves")) {
      if (agent.path("active").asBoolean()) {
        ids.add(agent.path("id").asText());
      }
    }
    return ids;
  }

  /** The state of task {@code taskId} anywhere in a {@code /state} document, or null. */
  static String taskState(JsonNode node, String taskId) {
    if (node.isObject() && node.path("id").asText().equals(taskId) && node.has("state")) {
      return node.path("state").asText();
    }
    for (JsonNode child : node) {
      String found = taskState(child, taskId);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  @Override
  public void close() {
    for (MesosSchedulerDriver driver : drivers) {
      driver.stop();
      driver.join();
    }
    agents.forEach(Agent::close);
    candidacies.forEach(Candidacy::close);
    masters.forEach(Master::close);
    http.close();
    try (Stream<Path> paths = Files.walk(workDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete {}: {}", workDir, e.toString());
    }
  }

  /** One master's candidacy: elected once it leads; closing withdraws it (its znode is deleted). */
  static final class Candidacy implements AutoCloseable {
    private final CuratorFramework client;
    private final ZooKeeperMasterContender contender;
    private final CompletableFuture<Void> elected = new CompletableFuture<>();

    private Candidacy(CuratorFramework client, String path, Master master) {
      this.client = client;
      this.contender = new ZooKeeperMasterContender(client, path, master.info(), new Listener());
    }

    void awaitElected() throws Exception {
      elected.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    boolean isElected() {
      return elected.isDone() && !elected.isCompletedExceptionally();
    }

    /** Runs on the contender's thread. */
    private final class Listener implements ZooKeeperMasterContender.Listener {
      @Override
      public void elected() {
        elected.complete(null);
      }

      @Override
      public void suspended() {}

      @Override
      public void lost(String reason) {
        elected.completeExceptionally(new IllegalStateException("Candidacy lost: " + reason));
      }
    }

    @Override
    public void close() {
      contender.close();
      client.close();
    }
  }
}
