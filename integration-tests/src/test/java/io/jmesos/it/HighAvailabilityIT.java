package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mesos' high-availability promise with real processes: three {@code bin/mesos-master} contending through a real
 * ZooKeeper server (Curator's {@link TestingServer}, the {@code org.apache.zookeeper} server, in this JVM) with the
 * registry kept in ZooKeeper ({@code --registry=replicated_log --quorum=2}), two {@code bin/mesos-agent} and a
 * framework in this JVM on {@link MesosSchedulerDriver}, all given {@code zk://127.0.0.1:<port>/mesos}, the
 * framework checkpointing with a failover timeout.
 *
 * <p>The scenario: a long {@code sleep} task on each agent; {@code kill -9} of the leading master; a new leader
 * among the two others, to which both agents re-register ({@code recovered_slaves} empties) and the framework
 * re-registers ({@code reregistered}), the tasks still {@code TASK_RUNNING} in the same processes (same pid and
 * start time). A task that finishes by itself during the failover ({@code sleep 2}, running when the leader
 * dies) gets its {@code TASK_FINISHED} to the framework through the new leader. Then again, {@code kill -9} of
 * the second leader, the third master leads, and the process of a task killed during that failover gets its
 * {@code TASK_FAILED} through. Finally the first killed master is restarted and follows ({@code master/elected}
 * 0, {@code /redirect} to the leader), and a task killed through the driver ends {@code TASK_KILLED}.
 *
 * <p>Timing: a killed leader's znode goes only when its ZooKeeper session expires, so the masters run with
 * {@code --zk_session_timeout=3secs} (Mesos' default is 10secs), and the server's tick is set to 500ms (a server
 * grants session timeouts between 2 and 20 ticks only, so 3secs is granted as asked). A new leader is then
 * elected 2.5-3.5 seconds after the kill and everything is back 4-8 seconds after it; the test prints how long
 * each failover took and the whole scenario's duration (35-50 seconds on a shared 2-core machine).
 *
 * <p>The steps the scenario needs (leaders, registrations, running tasks) fail at once; the status updates
 * during the failovers, the restarted follower and the kill are soft checks reported together at the end. On
 * any failure the framework's records, each master's view of the election and the tails of every daemon's log
 * are printed.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class HighAvailabilityIT {
  private static final Duration ZK_SESSION_TIMEOUT = Duration.ofSeconds(3);
  private static final int ZK_TICK_MS = 500;
  private static final int MASTERS = 3;
  private static final int AGENTS = 2;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration STARTUP = Duration.ofSeconds(60);
  /** Session expiry, election, registry recovery, agents' and driver's backoffs, with slack for 2 busy cores. */
  private static final Duration FAILOVER = Duration.ofSeconds(30);
  private static final Duration SETTLED = Duration.ofSeconds(15);
  private static final String LONG_TASK = "sleep 1000";
  private static final Pattern SANDBOX = Pattern.compile("/executors/([^/]+)/runs/");

  private final SoftAssertions softly = new SoftAssertions();
  private final QueueScheduler scheduler = new QueueScheduler("ha-framework");
  private final List<Daemon> masters = new ArrayList<>();
  private final List<Daemon> agents = new ArrayList<>();
  private final List<String> logs = new ArrayList<>();
  private Path work;
  private TestingServer zooKeeper;
  private String zkUrl;
  private Processes processes;
  private MesosSchedulerDriver driver;

  @BeforeEach
  void startZooKeeperAndMasters() throws Exception {
    work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "ha-").toAbsolutePath();
    processes = new Processes(work.resolve("logs"));
    zooKeeper = new TestingServer(new InstanceSpec(work.resolve("zookeeper").toFile(), Processes.freePort(), -1,
        -1, false, -1, ZK_TICK_MS, -1), true);
    zkUrl = "zk://127.0.0.1:" + zooKeeper.getPort() + "/mesos";
    for (int i = 0; i < MASTERS; i++) {
      int port = Processes.freePort();
      Daemon master = new Daemon("master-" + i, "mesos-master", port, List.of("--ip=127.0.0.1", "--port=" + port,
          "--zk=" + zkUrl, "--quorum=2", "--registry=replicated_log", "--work_dir=" + work.resolve("master-" + i),
          "--zk_session_timeout=" + ZK_SESSION_TIMEOUT.toSeconds() + "secs"));
      masters.add(master);
      master.start();
    }
  }

  @AfterEach
  void stopAll() throws IOException {
    try {
      if (driver != null) {
        driver.stop();
      }
    } finally {
      try {
        processes.close();
      } finally {
        zooKeeper.close();
      }
    }
  }

  @Test
  void leaderFailoversKeepAgentsFrameworkAndTasks() throws Throwable {
    long start = System.nanoTime();
    try {
      scenario();
    } catch (Throwable t) {
      printDiagnostics();
      throw t;
    } finally {
      System.out.printf("HighAvailabilityIT scenario took %.1fs%n", (System.nanoTime() - start) / 1e9);
    }
  }

  private void scenario() throws Throwable {
    Daemon first = awaitValue("one leader agreed by the three masters", STARTUP, this::agreedLeader);
    for (int i = 0; i < AGENTS; i++) {
      int port = Processes.freePort();
      Daemon agent = new Daemon("agent-" + i, "mesos-agent", port, List.of("--master=" + zkUrl, "--ip=127.0.0.1",
          "--port=" + port, "--work_dir=" + work.resolve("agent-" + i), "--isolation=posix/cpu,posix/mem",
          "--resources=cpus:2;mem:1024"));
      agents.add(agent);
      agent.start();
    }
    Map<Daemon, SlaveID> agentIds = awaitValue("both agents registered with " + first, STARTUP,
        () -> activeAgents(first));

    FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("").setName(scheduler.name())
        .setCheckpoint(true).setFailoverTimeout(Duration.ofHours(1).toSeconds()).build();
    driver = new MesosSchedulerDriver(scheduler, framework, zkUrl);
    assertThat(driver.start()).as("driver status").isEqualTo(Status.DRIVER_RUNNING);
    eventually("framework registered", STARTUP, () -> assertThat(scheduler.frameworkId()).isPresent());

    // A long task on each agent.
    Daemon agent0 = agents.get(0);
    Daemon agent1 = agents.get(1);
    scheduler.submit(driver, "long-0", LONG_TASK, agentIds.get(agent0));
    scheduler.submit(driver, "long-1", LONG_TASK, agentIds.get(agent1));
    Map<String, ProcessHandle> longTasks = new TreeMap<>();
    longTasks.put("long-0", awaitRunning("long-0", agent0));
    longTasks.put("long-1", awaitRunning("long-1", agent1));

    // Failover 1: the leader dies while a short task runs; its TASK_FINISHED comes through the new leader.
    scheduler.submit(driver, "short", "sleep 2", agentIds.get(agent0));
    awaitRunning("short", agent0);
    Daemon second = failover(1, first, agentIds, longTasks, () -> { });
    soft(() -> awaitValue("TASK_FINISHED of the task that finished during failover 1", FAILOVER,
        () -> scheduler.first("short", TaskState.TASK_FINISHED)));
    softly.check(() -> eventually(second + " lists the short task as TASK_FINISHED", SETTLED,
        () -> checkOnlyIn(second.endpoints.state(), "short", "completed_tasks", TaskState.TASK_FINISHED)));

    // Failover 2: the leader dies, and so does a task's process; its TASK_FAILED comes through the third master.
    scheduler.submit(driver, "victim", LONG_TASK, agentIds.get(agent1));
    ProcessHandle victim = awaitRunning("victim", agent1);
    Daemon third = failover(2, second, agentIds, longTasks, () -> Processes.signal(victim.pid(), "KILL"));
    soft(() -> awaitValue("TASK_FAILED of the task whose process was killed during failover 2", FAILOVER,
        () -> scheduler.first("victim", TaskState.TASK_FAILED)));

    // The first master, restarted (as its supervisor would), follows the third.
    first.start();
    // A task killed through the driver.
    driver.killTask(TaskID.newBuilder().setValue("long-0").build());
    soft(() -> awaitValue("TASK_KILLED of long-0 after killTask", SETTLED,
        () -> scheduler.first("long-0", TaskState.TASK_KILLED)));
    softly.check(() -> eventually("long-0's process is gone after killTask", SETTLED,
        () -> assertThat(longTasks.get("long-0").isAlive()).as("long-0's process alive").isFalse()));
    softly.check(() -> eventually("restarted " + first + " follows " + third, STARTUP, () -> {
      assertThat(first.endpoints.metrics().path("master/elected").asDouble(-1)).as(first + " master/elected")
          .isZero();
      assertThat(first.endpoints.redirect()).as(first + " /redirect").hasValueSatisfying(
          location -> assertThat(pointsTo(location, third)).as(location + " points to " + third).isTrue());
      assertThat(agreedLeader()).as("leader agreed by the three masters").containsSame(third);
    }));
    softly.assertThat(longTasks.get("long-1").isAlive()).as("long-1's process alive at the end").isTrue();
    softly.assertThat(scheduler.errors()).as("driver errors").isEmpty();
    softly.assertAll();
  }

  /**
   * Kills {@code leader} hard, runs {@code during} (the failover window: no leader yet), and waits for a new leader
   * that every agent and the framework re-registered with, the long tasks running in the same processes.
   */
  private Daemon failover(int round, Daemon leader, Map<Daemon, SlaveID> agentIds,
      Map<String, ProcessHandle> longTasks, ThrowingRunnable during) throws Throwable {
    long killed = System.nanoTime();
    leader.kill9();
    during.run();
    Daemon next = awaitValue("a new leader agreed by the live masters after failover " + round, FAILOVER,
        this::agreedLeader);
    double elected = (System.nanoTime() - killed) / 1e9;
    eventually("agents, framework and tasks back on " + next + " after failover " + round, FAILOVER, () -> {
      JsonNode state = next.endpoints.state();
      SoftAssertions s = new SoftAssertions();
      s.assertThat(activeAgents(next)).as("active agents of " + next).hasValue(agentIds);
      s.assertThat(state.path("recovered_slaves")).as("/state recovered_slaves").isEmpty();
      String frameworkId = scheduler.frameworkId().orElseThrow().getValue();
      Optional<JsonNode> framework = DaemonEndpoints.framework(state, frameworkId);
      s.assertThat(framework).as("/state frameworks entry").isPresent();
      framework.ifPresent(f -> s.assertThat(f.path("active").asBoolean()).as("/state framework active").isTrue());
      for (String task : longTasks.keySet()) {
        checkOnlyIn(s, state, task, "tasks", TaskState.TASK_RUNNING);
      }
      s.assertThat(scheduler.reregistrations()).as("reregistered callbacks").isEqualTo(round);
      s.assertAll();
    });
    System.out.printf("Failover %d: %s killed, %s elected after %.1fs, agents and framework back after %.1fs%n",
        round, leader, next, elected, (System.nanoTime() - killed) / 1e9);
    longTasks.forEach((task, process) -> {
      assertThat(process.isAlive()).as(task + "'s process " + process.pid() + " alive").isTrue();
      assertThat(taskProcesses(agentOf(task))).as("task processes of " + agentOf(task))
          .containsEntry(task, process);
    });
    // The command executor's TASK_STARTING and TASK_RUNNING of the launch, nothing since.
    for (String task : longTasks.keySet()) {
      softly.assertThat(scheduler.statuses(task).stream().map(TaskStatus::getState))
          .as("states " + scheduler.name() + " received for " + task + " by failover " + round)
          .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    }
    return next;
  }

  /** The agent the long task {@code long-<n>} runs on. */
  private Daemon agentOf(String task) {
    return agents.get(Integer.parseInt(task.substring(task.indexOf('-') + 1)));
  }

  /** Waits for the framework to hear TASK_RUNNING for {@code task}, then for its process under {@code agent}. */
  private ProcessHandle awaitRunning(String task, Daemon agent) {
    awaitValue("TASK_RUNNING of " + task, STARTUP, () -> scheduler.first(task, TaskState.TASK_RUNNING));
    return awaitValue("the process of " + task + " under " + agent, SETTLED,
        () -> Optional.ofNullable(taskProcesses(agent).get(task)));
  }

  /**
   * The master every live master agrees leads: the only one whose {@code master/elected} is 1, and the one every
   * live master's {@code /redirect} points to.
   */
  private Optional<Daemon> agreedLeader() throws IOException, InterruptedException {
    List<Daemon> live = masters.stream().filter(Daemon::alive).collect(Collectors.toList());
    List<Daemon> elected = new ArrayList<>();
    for (Daemon master : live) {
      if (master.endpoints.metrics().path("master/elected").asDouble() == 1.0) {
        elected.add(master);
      }
    }
    if (elected.size() != 1) {
      return Optional.empty();
    }
    Daemon leader = elected.get(0);
    for (Daemon master : live) {
      if (!master.endpoints.redirect().filter(location -> pointsTo(location, leader)).isPresent()) {
        return Optional.empty();
      }
    }
    return Optional.of(leader);
  }

  /** True if a {@code /redirect} location, {@code //<hostname>:<port>}, names {@code master}'s port. */
  private static boolean pointsTo(String location, Daemon master) {
    return location.startsWith("//") && location.endsWith(":" + master.port);
  }

  /** The agents {@code master}'s {@code /state} lists as active, once all of ours are. */
  private Optional<Map<Daemon, SlaveID>> activeAgents(Daemon master) throws IOException, InterruptedException {
    Map<Daemon, SlaveID> ids = new LinkedHashMap<>();
    for (JsonNode entry : master.endpoints.state().path("slaves")) {
      for (Daemon agent : agents) {
        if (entry.path("port").asInt() == agent.port && entry.path("active").asBoolean()) {
          ids.put(agent, SlaveID.newBuilder().setValue(entry.path("id").asText()).build());
        }
      }
    }
    return ids.size() == agents.size() ? Optional.of(ids) : Optional.empty();
  }

  /**
   * The {@code sleep} processes among the agent's descendants, by task id: a command task's process runs in its
   * sandbox, {@code <work_dir>/slaves/<agent>/frameworks/<framework>/executors/<task id>/runs/<run>}.
   */
  private static Map<String, ProcessHandle> taskProcesses(Daemon agent) {
    Map<String, ProcessHandle> processes = new TreeMap<>();
    agent.process.descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
        .forEach(p -> sandboxTask(p.pid()).ifPresent(task -> processes.put(task, p)));
    return processes;
  }

  private static Optional<String> sandboxTask(long pid) {
    try {
      Path cwd = Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid), "cwd"));
      Matcher m = SANDBOX.matcher(cwd.toString());
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // Gone meanwhile.
    }
  }

  private void checkOnlyIn(JsonNode state, String taskId, String section, TaskState expected) {
    SoftAssertions s = new SoftAssertions();
    checkOnlyIn(s, state, taskId, section, expected);
    s.assertAll();
  }

  /** Checks that the framework's /state entry lists the task exactly once, in {@code section}, as {@code expected}. */
  private void checkOnlyIn(SoftAssertions s, JsonNode state, String taskId, String section, TaskState expected) {
    DaemonEndpoints.checkOnlyIn(s, state, scheduler.frameworkId().orElseThrow().getValue(), taskId, section, expected);
  }

  private static void eventually(String what, Duration within, ThrowingRunnable check) {
    Polls.eventually(what, within, POLL, check);
  }

  private static <T> T awaitValue(String what, Duration within, Callable<Optional<T>> probe) {
    return Polls.awaitValue(what, within, POLL, probe);
  }

  /** Runs {@code step}, its failure collected in {@link #softly}. */
  private void soft(Callable<?> step) {
    softly.check(step::call);
  }

  private void printDiagnostics() {
    StringBuilder out = new StringBuilder("==== HighAvailabilityIT diagnostics ====\n  ");
    out.append(scheduler.describe()).append('\n');
    for (Daemon master : masters) {
      out.append("  ").append(master).append(master.alive() ? " alive" : " dead");
      if (master.alive()) {
        try {
          out.append(", master/elected=").append(master.endpoints.metrics().path("master/elected"))
              .append(", /redirect=").append(master.endpoints.redirect().orElse("-"));
        } catch (IOException e) {
          out.append(", not answering: ").append(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      out.append('\n');
    }
    for (String log : logs) {
      try {
        out.append("---- ").append(log).append(" log (tail) ----\n").append(processes.tail(log, 40)).append('\n');
      } catch (IOException e) {
        out.append("---- ").append(log).append(" log unreadable: ").append(e).append('\n');
      }
    }
    System.out.println(out);
  }

  /** A {@code bin/} daemon of the test: how it is started, its HTTP endpoints, its current process. */
  private final class Daemon {
    private final String name;
    private final String script;
    private final int port;
    private final List<String> args;
    private final DaemonEndpoints endpoints;
    private Process process;
    private int starts;

    private Daemon(String name, String script, int port, List<String> args) {
      this.name = name;
      this.script = script;
      this.port = port;
      this.args = args;
      this.endpoints = new DaemonEndpoints(port);
    }

    /** Starts (or restarts) the process, logging to {@code <name>.log} (then {@code <name>-<n>.log}). */
    void start() throws IOException {
      String log = starts == 0 ? name : name + "-" + starts;
      starts++;
      logs.add(log);
      process = processes.start(log, script, args.toArray(new String[0]));
    }

    boolean alive() {
      return process != null && process.isAlive();
    }

    /** {@code kill -9}, and waits for the process to be gone. */
    void kill9() throws IOException, InterruptedException {
      Processes.signal(process.pid(), "KILL");
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException(this + " still alive 30s after SIGKILL");
      }
    }

    @Override
    public String toString() {
      return name + " (port " + port + ")";
    }
  }
}
