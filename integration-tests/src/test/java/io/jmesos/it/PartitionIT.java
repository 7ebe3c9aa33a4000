package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.SchedulerDriver;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A network partition between a real {@code bin/mesos-master} and a real {@code bin/mesos-agent}, made by
 * stopping the agent process ({@code kill -STOP}) past the master's health check and resuming it
 * ({@code kill -CONT}), with two frameworks in this JVM on {@link MesosSchedulerDriver}: one
 * {@code PARTITION_AWARE}, one not. Each runs a {@code sleep} command task on the agent. Asserts Mesos 1.11's
 * semantics (PartitionTest.ReregisterSlavePartitionAware and ReregisterSlaveNotPartitionAware): TASK_UNREACHABLE
 * resp. TASK_LOST and {@code slaveLost} while partitioned, the tasks kept among the master's unreachable
 * tasks; after the agent re-registers under its id, TASK_RUNNING from the master with
 * REASON_SLAVE_REREGISTERED for both, the same {@code sleep} processes still running; then TASK_KILLED.
 *
 * <p>The Mesos-semantics checks are soft (collected, reported together at the end) so that one run shows
 * every divergence; the steps the scenario needs (cluster up, tasks running, the signals) fail at once. On
 * any failure the statuses each scheduler received and the tails of the daemons' logs are printed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PartitionIT {
  private static final Duration AGENT_PING_TIMEOUT = Duration.ofSeconds(1);
  private static final int MAX_AGENT_PING_TIMEOUTS = 3;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration STARTUP = Duration.ofSeconds(60);
  /** The master marks the agent unreachable after MAX_AGENT_PING_TIMEOUTS pings, plus slack for scheduling. */
  private static final Duration PARTITION_DETECTED = Duration.ofSeconds(15);
  /** The agent notices within its own ping timeout (the master's settings), then backs off before connecting. */
  private static final Duration REREGISTERED = Duration.ofSeconds(20);
  private static final Duration SETTLED = Duration.ofSeconds(5);
  private static final Duration KILLED = Duration.ofSeconds(15);
  private static final String SLEEP_SECONDS = "1000";
  private static final Pattern SANDBOX = Pattern.compile("/executors/([^/]+)/runs/");

  private final SoftAssertions softly = new SoftAssertions();
  private Processes processes;
  private int masterPort;
  private DaemonEndpoints master;
  private DaemonEndpoints agentEndpoints;
  private Process agent;
  private volatile boolean agentStopped;
  private final RecordingScheduler aware =
      new RecordingScheduler("partition-aware", "aware-task", "sleep " + SLEEP_SECONDS);
  private final RecordingScheduler unaware =
      new RecordingScheduler("not-partition-aware", "unaware-task", "sleep " + SLEEP_SECONDS);
  private SchedulerDriver awareDriver;
  private SchedulerDriver unawareDriver;

  @BeforeEach
  void startCluster() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "partition-")
        .toAbsolutePath();
    processes = new Processes(work.resolve("logs"));
    masterPort = Processes.freePort();
    master = new DaemonEndpoints(masterPort);
    processes.start("master", "mesos-master", "--ip=127.0.0.1", "--port=" + masterPort,
        "--work_dir=" + work.resolve("master"),
        "--agent_ping_timeout=" + AGENT_PING_TIMEOUT.toSeconds() + "secs",
        "--max_agent_ping_timeouts=" + MAX_AGENT_PING_TIMEOUTS);
    await("master /health").atMost(STARTUP).pollInterval(POLL).ignoreExceptions()
        .until(() -> master.status("/health") == 200);
    int agentPort = Processes.freePort();
    agentEndpoints = new DaemonEndpoints(agentPort);
    agent = processes.start("agent", "mesos-agent", "--master=127.0.0.1:" + masterPort, "--ip=127.0.0.1",
        "--port=" + agentPort, "--work_dir=" + work.resolve("agent"), "--isolation=posix/cpu,posix/mem",
        "--resources=cpus:4;mem:1024");
    await("agent registered").atMost(STARTUP).pollInterval(POLL).ignoreExceptions()
        .until(() -> master.metrics().path("master/slaves_active").asInt() == 1);
  }

  @AfterEach
  void stopCluster() throws Exception {
    try {
      if (agentStopped) {
        Processes.signal(agent.pid(), "CONT");
        agentStopped = false;
      }
    } finally {
      for (SchedulerDriver driver : new SchedulerDriver[] {awareDriver, unawareDriver}) {
        if (driver != null) {
          driver.stop();
        }
      }
      processes.close();
    }
  }

  @Test
  void partitionedAgentReregistersAndItsTasksKeepRunning() throws Throwable {
    long start = System.nanoTime();
    try {
      scenario();
    } catch (Throwable t) {
      printDiagnostics();
      throw t;
    } finally {
      System.out.printf("PartitionIT scenario took %.1fs%n", (System.nanoTime() - start) / 1e9);
    }
  }

  private void scenario() throws Exception {
    // Both frameworks run a sleep task on the one agent.
    awareDriver = start(aware, true);
    unawareDriver = start(unaware, false);
    TaskStatus awareRunning = awaitValue("TASK_RUNNING for " + aware.name(), STARTUP,
        () -> firstWithState(aware, 0, TaskState.TASK_RUNNING));
    TaskStatus unawareRunning = awaitValue("TASK_RUNNING for " + unaware.name(), STARTUP,
        () -> firstWithState(unaware, 0, TaskState.TASK_RUNNING));
    SlaveID agentId = awareRunning.getSlaveId();
    assertThat(unawareRunning.getSlaveId()).as("both tasks on the one agent").isEqualTo(agentId);
    Map<String, Long> sleeps = awaitValue("both tasks' sleep processes under the agent", SETTLED, () -> {
      Map<String, Long> pids = sleepPids();
      return pids.size() == 2 ? Optional.of(pids) : Optional.empty();
    });
    assertThat(sleeps).containsOnlyKeys(aware.taskId().getValue(), unaware.taskId().getValue());

    // Partition: the agent answers nothing while stopped.
    int awareMark = aware.statuses().size();
    int unawareMark = unaware.statuses().size();
    Processes.signal(agent.pid(), "STOP");
    agentStopped = true;
    eventually("agent process stopped", SETTLED, () -> assertThat(processState(agent.pid())).isEqualTo('T'));
    checkPartitioned(agentId, awareMark, unawareMark);

    // Heal: the agent notices the lost master by itself, reconnects and re-registers.
    Processes.signal(agent.pid(), "CONT");
    agentStopped = false;
    checkHealed(agentId, awareMark + 1, unawareMark + 1, sleeps);

    // Kill both tasks.
    int awareKill = aware.statuses().size();
    int unawareKill = unaware.statuses().size();
    awareDriver.killTask(aware.taskId());
    unawareDriver.killTask(unaware.taskId());
    checkKilled(awareKill, unawareKill);

    softly.assertAll();
  }

  private void checkPartitioned(SlaveID agentId, int awareMark, int unawareMark) {
    soft(() -> awaitValue(aware.name() + " gets a status update for its task after the partition",
        PARTITION_DETECTED, () -> statusAt(aware, awareMark)))
        .ifPresent(s -> checkPartitionStatus(aware, s, TaskState.TASK_UNREACHABLE, agentId));
    soft(() -> awaitValue(unaware.name() + " gets a status update for its task after the partition",
        PARTITION_DETECTED, () -> statusAt(unaware, unawareMark)))
        .ifPresent(s -> checkPartitionStatus(unaware, s, TaskState.TASK_LOST, agentId));
    softly.check(() -> eventually("both drivers get slaveLost(" + agentId.getValue() + ")", SETTLED, () -> {
      assertThat(aware.lostAgents()).as(aware.name() + " slaveLost").contains(agentId);
      assertThat(unaware.lostAgents()).as(unaware.name() + " slaveLost").contains(agentId);
    }));
    softly.check(() -> eventually("master /state while partitioned", SETTLED, () -> {
      JsonNode state = master.state();
      SoftAssertions s = new SoftAssertions();
      s.assertThat(state.path("unreachable_slaves").asInt(-1)).as("/state unreachable_slaves").isEqualTo(1);
      s.assertThat(state.path("activated_slaves").asInt(-1)).as("/state activated_slaves").isZero();
      s.assertThat(state.path("deactivated_slaves").asInt(-1)).as("/state deactivated_slaves").isZero();
      s.assertThat(DaemonEndpoints.agent(state, agentId.getValue()))
          .as("/state slaves entry of the unreachable agent").isEmpty();
      // Mesos keeps both tasks among the unreachable tasks; a non-partition-aware framework's task in its
      // backwards-compatible state, TASK_LOST (partition_tests.cpp: "The unreachable task is in its
      // backwards-compatible state"; MESOS-8405).
      checkOnlyIn(s, state, aware, "unreachable_tasks", TaskState.TASK_UNREACHABLE);
      checkOnlyIn(s, state, unaware, "unreachable_tasks", TaskState.TASK_LOST);
      s.assertAll();
    }));
    softly.check(() -> eventually("master metrics while partitioned", SETTLED, () -> {
      JsonNode metrics = master.metrics();
      SoftAssertions s = new SoftAssertions();
      checkMetric(s, metrics, "master/slaves_unreachable", 1);
      checkMetric(s, metrics, "master/slaves_active", 0);
      checkMetric(s, metrics, "master/slave_unreachable_scheduled", 1);
      checkMetric(s, metrics, "master/slave_unreachable_completed", 1);
      checkMetric(s, metrics, "master/slave_removals", 1);
      checkMetric(s, metrics, "master/slave_removals/reason_unhealthy", 1);
      checkMetric(s, metrics, "master/tasks_unreachable", 1);
      checkMetric(s, metrics, "master/tasks_lost", 1);
      checkMetric(s, metrics, "master/tasks_running", 0);
      s.assertAll();
    }));
  }

  private void checkPartitionStatus(RecordingScheduler scheduler, TaskStatus status, TaskState expected,
      SlaveID agentId) {
    String what = scheduler.name() + " status after the partition: " + RecordingScheduler.describe(status);
    softly.assertThat(status.getTaskId()).as(what).isEqualTo(scheduler.taskId());
    softly.assertThat(status.getState()).as(what).isEqualTo(expected);
    softly.assertThat(status.getSource()).as(what).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
    softly.assertThat(status.getReason()).as(what).isEqualTo(TaskStatus.Reason.REASON_SLAVE_REMOVED);
    softly.assertThat(status.getSlaveId()).as(what).isEqualTo(agentId);
    softly.assertThat(status.hasUnreachableTime()).as(what + " has unreachable_time").isTrue();
  }

  private void checkHealed(SlaveID agentId, int awareMark, int unawareMark, Map<String, Long> sleeps) {
    softly.check(() -> eventually("agent " + agentId.getValue() + " re-registered under its id", REREGISTERED,
        () -> {
          assertThat(agentEndpoints.state().path("id").asText()).as("agent /state id")
              .isEqualTo(agentId.getValue());
          Optional<JsonNode> entry = DaemonEndpoints.agent(master.state(), agentId.getValue());
          assertThat(entry).as("master /state slaves entry").isPresent();
          assertThat(entry.get().path("active").asBoolean()).as("master /state slaves[].active").isTrue();
        }));
    soft(() -> awaitValue(aware.name() + " gets a status update after the agent re-registered", SETTLED,
        () -> statusAt(aware, awareMark))).ifPresent(s -> checkReregisteredStatus(aware, s, agentId));
    soft(() -> awaitValue(unaware.name() + " gets a status update after the agent re-registered", SETTLED,
        () -> statusAt(unaware, unawareMark))).ifPresent(s -> checkReregisteredStatus(unaware, s, agentId));
    softly.assertThat(sleepPids()).as("the tasks' sleep processes (task id to pid) after the partition")
        .isEqualTo(sleeps);
    softly.check(() -> eventually("master /state after the agent re-registered", SETTLED, () -> {
      JsonNode state = master.state();
      SoftAssertions s = new SoftAssertions();
      s.assertThat(state.path("unreachable_slaves").asInt(-1)).as("/state unreachable_slaves").isZero();
      s.assertThat(state.path("activated_slaves").asInt(-1)).as("/state activated_slaves").isEqualTo(1);
      checkOnlyIn(s, state, aware, "tasks", TaskState.TASK_RUNNING);
      checkOnlyIn(s, state, unaware, "tasks", TaskState.TASK_RUNNING);
      s.assertAll();
    }));
    softly.check(() -> eventually("master metrics after the agent re-registered", SETTLED, () -> {
      JsonNode metrics = master.metrics();
      SoftAssertions s = new SoftAssertions();
      checkMetric(s, metrics, "master/slaves_unreachable", 0);
      checkMetric(s, metrics, "master/slaves_active", 1);
      checkMetric(s, metrics, "master/tasks_unreachable", 0);
      checkMetric(s, metrics, "master/tasks_running", 2);
      checkMetric(s, metrics, "master/tasks_lost", 1);
      checkMetric(s, metrics, "master/slave_unreachable_completed", 1);
      s.assertAll();
    }));
    softly.assertThat(states(aware, awareMark))
        .as(aware.name() + " distinct statuses after the partition status").containsExactly(TaskState.TASK_RUNNING);
    softly.assertThat(states(unaware, unawareMark))
        .as(unaware.name() + " distinct statuses after the partition status").containsExactly(TaskState.TASK_RUNNING);
  }

  private void checkReregisteredStatus(RecordingScheduler scheduler, TaskStatus status, SlaveID agentId) {
    String what = scheduler.name() + " status after re-registration: " + RecordingScheduler.describe(status);
    softly.assertThat(status.getTaskId()).as(what).isEqualTo(scheduler.taskId());
    softly.assertThat(status.getState()).as(what).isEqualTo(TaskState.TASK_RUNNING);
    softly.assertThat(status.getSource()).as(what).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
    softly.assertThat(status.getReason()).as(what).isEqualTo(TaskStatus.Reason.REASON_SLAVE_REREGISTERED);
    softly.assertThat(status.getSlaveId()).as(what).isEqualTo(agentId);
  }

  private void checkKilled(int awareMark, int unawareMark) {
    for (RecordingScheduler scheduler : List.of(aware, unaware)) {
      int mark = scheduler == aware ? awareMark : unawareMark;
      soft(() -> awaitValue(scheduler.name() + " gets a status update after killTask", KILLED,
          () -> statusAt(scheduler, mark))).ifPresent(s -> softly.assertThat(s.getState())
              .as(scheduler.name() + " status after killTask: " + RecordingScheduler.describe(s))
              .isEqualTo(TaskState.TASK_KILLED));
    }
    softly.check(() -> eventually("master /state after the kills", SETTLED, () -> {
      JsonNode state = master.state();
      SoftAssertions s = new SoftAssertions();
      checkOnlyIn(s, state, aware, "completed_tasks", TaskState.TASK_KILLED);
      checkOnlyIn(s, state, unaware, "completed_tasks", TaskState.TASK_KILLED);
      s.assertAll();
    }));
    softly.check(() -> eventually("the tasks' sleep processes are gone", KILLED,
        () -> assertThat(sleepPids()).as("sleep processes under the agent").isEmpty()));
  }

  // ---- Helpers.

  private MesosSchedulerDriver start(RecordingScheduler scheduler, boolean partitionAware) {
    FrameworkInfo.Builder framework = FrameworkInfo.newBuilder().setUser("").setName(scheduler.name());
    if (partitionAware) {
      framework.addCapabilities(FrameworkInfo.Capability.newBuilder()
          .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
    }
    MesosSchedulerDriver driver =
        new MesosSchedulerDriver(scheduler, framework.build(), "127.0.0.1:" + masterPort);
    assertThat(driver.start()).as("driver of " + scheduler.name()).isEqualTo(Status.DRIVER_RUNNING);
    return driver;
  }

  /** Checks that the framework's /state entry lists its task exactly once, in {@code section}, as {@code expected}. */
  private static void checkOnlyIn(SoftAssertions s, JsonNode masterState, RecordingScheduler scheduler,
      String section, TaskState expected) {
    String frameworkId = scheduler.frameworkId().map(id -> id.getValue()).orElse("?");
    String taskId = scheduler.taskId().getValue();
    s.assertThat(DaemonEndpoints.framework(masterState, frameworkId))
        .as("/state frameworks entry of " + scheduler.name()).isPresent();
    Map<String, List<JsonNode>> placements = DaemonEndpoints.placements(masterState, frameworkId, taskId);
    String where = "/state placements of " + taskId + " " + DaemonEndpoints.describe(placements);
    Optional<JsonNode> task = DaemonEndpoints.onlyIn(placements, section);
    s.assertThat(task).as(where + ": exactly once, in " + section).isPresent();
    task.ifPresent(t -> s.assertThat(t.path("state").asText()).as(where + ": state").isEqualTo(expected.name()));
  }

  private static void checkMetric(SoftAssertions s, JsonNode metrics, String name, double expected) {
    s.assertThat(metrics.has(name) ? metrics.get(name).asDouble() : null).as("metric " + name)
        .isEqualTo(expected);
  }

  /** The task status at {@code index} in what the scheduler received, if it has arrived. */
  private static Optional<TaskStatus> statusAt(RecordingScheduler scheduler, int index) {
    List<TaskStatus> statuses = scheduler.statuses();
    return index < statuses.size() ? Optional.of(statuses.get(index)) : Optional.empty();
  }

  private static Optional<TaskStatus> firstWithState(RecordingScheduler scheduler, int from, TaskState state) {
    List<TaskStatus> statuses = scheduler.statuses();
    return statuses.subList(Math.min(from, statuses.size()), statuses.size()).stream()
        .filter(s -> s.getState() == state).findFirst();
  }

  private static List<TaskState> states(RecordingScheduler scheduler, int from) {
    List<TaskStatus> statuses = scheduler.statuses();
    return statuses.subList(Math.min(from, statuses.size()), statuses.size()).stream()
        .map(TaskStatus::getState).collect(Collectors.toList());
  }

  /**
   * The {@code sleep} processes among the agent's descendants, by task id: a command task's process runs in
   * its sandbox, {@code <work_dir>/slaves/<agent>/frameworks/<framework>/executors/<task id>/runs/<run>}.
   */
  private Map<String, Long> sleepPids() {
    Map<String, Long> pids = new TreeMap<>();
    agent.descendants().forEach(p -> {
      boolean sleep = p.info().command().map(c -> c.endsWith("/sleep")).orElse(false)
          && List.of(p.info().arguments().orElse(new String[0])).equals(List.of(SLEEP_SECONDS));
      if (sleep) {
        sandboxTask(p.pid()).ifPresent(task -> pids.put(task, p.pid()));
      }
    });
    return pids;
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

  /** The state letter of {@code /proc/<pid>/stat} ({@code T} when stopped). */
  private static char processState(long pid) throws IOException {
    String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  /** Runs {@code check} until it passes; after {@code within}, fails with its last failure. */
  private static void eventually(String what, Duration within, ThrowingRunnable check) {
    try {
      await(what).atMost(within).pollInterval(POLL).pollInSameThread().untilAsserted(check);
    } catch (ConditionTimeoutException e) {
      Throwable last = e.getCause();
      throw new AssertionError(what + ": not within " + within
          + (last != null ? ": " + last.getMessage() : ""), e);
    }
  }

  /** Polls {@code probe} until it has a value; after {@code within}, fails. */
  private static <T> T awaitValue(String what, Duration within, Callable<Optional<T>> probe) {
    AtomicReference<T> value = new AtomicReference<>();
    try {
      await(what).atMost(within).pollInterval(POLL).pollInSameThread().until(() -> {
        Optional<T> v = probe.call();
        v.ifPresent(value::set);
        return v.isPresent();
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + ": not within " + within, e);
    }
    return value.get();
  }

  /** The value of {@code step}, or empty with its failure collected in {@link #softly}. */
  private <T> Optional<T> soft(Callable<T> step) {
    AtomicReference<T> value = new AtomicReference<>();
    softly.check(() -> value.set(step.call()));
    return Optional.ofNullable(value.get());
  }

  private void printDiagnostics() {
    StringBuilder out = new StringBuilder("==== PartitionIT diagnostics ====\n  ");
    out.append(aware.describeStatuses()).append("\n  ").append(unaware.describeStatuses()).append('\n');
    try {
      JsonNode state = master.state();
      for (RecordingScheduler scheduler : List.of(aware, unaware)) {
        String frameworkId = scheduler.frameworkId().map(id -> id.getValue()).orElse("?");
        out.append("  master /state ").append(scheduler.name()).append(' ').append(DaemonEndpoints.describe(
            DaemonEndpoints.placements(state, frameworkId, scheduler.taskId().getValue()))).append('\n');
      }
      out.append("  master /state unreachable_slaves=").append(state.path("unreachable_slaves"))
          .append(" slaves=[");
      state.path("slaves").forEach(a -> out.append(' ').append(a.path("id").asText())
          .append(a.path("active").asBoolean() ? "(active)" : "(inactive)"));
      out.append(" ]\n");
    } catch (IOException e) {
      out.append("  master /state unavailable: ").append(e).append('\n');
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (String log : List.of("master", "agent")) {
      try {
        out.append("---- ").append(log).append(" log (tail) ----\n").append(processes.tail(log, 60)).append('\n');
      } catch (IOException e) {
        out.append("---- ").append(log).append(" log unreadable: ").append(e).append('\n');
      }
    }
    System.out.println(out);
  }
}
