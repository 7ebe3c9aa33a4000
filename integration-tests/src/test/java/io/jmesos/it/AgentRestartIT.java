package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Agent recovery with real processes: one {@code bin/mesos-master}, one {@code bin/mesos-agent} on a fixed
 * {@code --port} and {@code --work_dir}, and a checkpointing framework in this JVM on {@link MesosSchedulerDriver}
 * (implicit acknowledgements). The agent is stopped {@value #ROUNDS} times, with {@code kill -9} and, in rounds
 * {@link #SIGTERM_ROUNDS}, with SIGTERM (the agent detaches: it leaves its executors running), and restarted each
 * time with the same flags.
 *
 * <p>The tasks: three {@code sleep 1000} command tasks under the embedded command executor (no executor process:
 * the container runs the task's command, adopted again by every new agent) and one task of a custom executor, the
 * {@link io.jmesos.it.fault.StayingExecutor} JVM on the executor driver, which has to re-subscribe to every new
 * agent within the default {@code --executor_reregistration_timeout} (2secs). In the odd rounds two short command
 * tasks wait for a marker file that the test creates while the agent is down, then exit 0 and 3: the restarted
 * agent reports their TASK_FINISHED and TASK_FAILED, with their exit status, though it never saw them exit.
 *
 * <p>Checked in every round: the agent comes back on the master (its {@code reregistered_time} in the master's
 * {@code /state} moves on) under the same id, the master lists exactly one agent, and each long task still runs in the same processes:
 * the container's first process, whose pid the agent checkpointed in {@code forked.pid}, and its descendants as
 * they were at launch (the command, under the agent's exit-status supervisor), each with the same pid and the same
 * start time in {@code /proc/<pid>/stat}. At the end the long tasks are killed through the driver (TASK_KILLED),
 * and the status updates of every task must be exactly the expected ones in order, once each after collapsing
 * consecutive re-deliveries (same uuid: an update whose acknowledgement the agent had not checkpointed before it
 * died is sent again, as Mesos does). The test prints each restart's time from the signal to the agent active on
 * the master, and a summary line with the medians and the raw and collapsed numbers of status updates.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentRestartIT {
  private static final int ROUNDS = 10;
  /** Rounds (1-based) in which the agent gets SIGTERM rather than SIGKILL. */
  private static final Set<Integer> SIGTERM_ROUNDS = Set.of(3, 6);
  private static final List<String> LONG_COMMAND_TASKS = List.of("long-0", "long-1", "long-2");
  private static final String CUSTOM_TASK = "custom";
  private static final String CUSTOM_EXECUTOR = "custom-executor";
  private static final String AGENT_RESOURCES = "cpus:2;mem:1024";
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration STARTUP = Duration.ofSeconds(60);
  /** How long a signalled agent may take to exit, and a released short task to end. */
  private static final Duration STOPPED = Duration.ofSeconds(30);
  /** From the restart to the agent active on the master again: JVM start, recovery, re-registration. */
  private static final Duration RESTART = Duration.ofSeconds(30);
  private static final Duration SETTLED = Duration.ofSeconds(20);

  private final SoftAssertions softly = new SoftAssertions();
  private final QueueScheduler scheduler = new QueueScheduler("agent-restart-framework");
  private final List<String> logs = new ArrayList<>();
  /** The processes seen of each task's container, by task id: killed at the end if still alive. */
  private final Map<String, List<ProcessId>> seen = new LinkedHashMap<>();
  private final List<Restart> restarts = new ArrayList<>();
  private Path work;
  private Processes processes;
  private DaemonEndpoints master;
  private int agentPort;
  private List<String> agentArgs;
  private Process agent;
  /** The agent's {@code reregistered_time} in the master's /state after the last restart (0: none yet). */
  private double lastReregistration;
  private int agentStarts;
  private String agentId;
  private String frameworkId;
  private MesosSchedulerDriver driver;

  @BeforeEach
  void startMaster() throws IOException {
    work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "agent-restart-")
        .toAbsolutePath();
    Files.createDirectories(work.resolve("markers"));
    processes = new Processes(work.resolve("logs"));
    int masterPort = Processes.freePort();
    master = new DaemonEndpoints(masterPort);
    logs.add("master");
    processes.start("master", "mesos-master", "--ip=127.0.0.1", "--port=" + masterPort,
        "--work_dir=" + work.resolve("master"));
    agentPort = Processes.freePort();
    agentArgs = List.of("--master=127.0.0.1:" + masterPort, "--ip=127.0.0.1", "--port=" + agentPort,
        "--work_dir=" + work.resolve("agent"), "--resources=" + AGENT_RESOURCES, "--command_executor=embedded");
  }

  @AfterEach
  void stopAll() {
    try {
      if (driver != null) {
        driver.stop();
      }
    } finally {
      try {
        processes.close();
      } finally {
        // Tasks adopted by a restarted agent are no longer any started process' descendants.
        seen.values().forEach(processes -> processes.forEach(ProcessId::killTreeIfAlive));
      }
    }
  }

  @Test
  void restartedAgentKeepsItsIdTasksAndStatusUpdates() throws Throwable {
    long start = System.nanoTime();
    try {
      scenario();
    } catch (Throwable t) {
      printDiagnostics();
      throw t;
    } finally {
      printSummary((System.nanoTime() - start) / 1e9);
    }
  }

  private void scenario() throws Throwable {
    startAgent();
    JsonNode registered = awaitValue("the agent registered and active", STARTUP, () -> activeAgent(-1));
    agentId = registered.path("id").asText();
    SlaveID slaveId = SlaveID.newBuilder().setValue(agentId).build();

    FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("").setName(scheduler.name())
        .setCheckpoint(true).setFailoverTimeout(Duration.ofHours(1).toSeconds()).build();
    driver = new MesosSchedulerDriver(scheduler, framework, "127.0.0.1:" + master.port());
    assertThat(driver.start()).as("driver status").isEqualTo(Status.DRIVER_RUNNING);
    frameworkId = awaitValue("framework registered", STARTUP, scheduler::frameworkId).getValue();

    List<TaskInfo> longTasks = new ArrayList<>();
    LONG_COMMAND_TASKS.forEach(task -> longTasks.add(commandTask(task, "sleep 1000", slaveId)));
    longTasks.add(customExecutorTask(slaveId));
    scheduler.submit(driver, slaveId, longTasks);
    Map<String, List<ProcessId>> longProcesses = new LinkedHashMap<>();
    for (String task : LONG_COMMAND_TASKS) {
      longProcesses.put(task, awaitTree(task, awaitRunning(task, task), "sleep"));
    }
    longProcesses.put(CUSTOM_TASK, awaitTree(CUSTOM_TASK, awaitRunning(CUSTOM_TASK, CUSTOM_EXECUTOR), "java"));

    List<String> shortTasks = new ArrayList<>();
    for (int i = 1; i <= ROUNDS; i++) {
      int round = i;
      Map<String, ProcessId> released = new LinkedHashMap<>();
      Path marker = work.resolve("markers").resolve("round-" + round);
      if (round % 2 == 1) {
        String finishing = "finish-" + round;
        String failing = "fail-" + round;
        String wait = "while [ ! -f '" + marker + "' ]; do sleep 0.1; done; ";
        scheduler.submit(driver, slaveId, List.of(commandTask(finishing, wait + "exit 0", slaveId),
            commandTask(failing, wait + "exit 3", slaveId)));
        released.put(finishing, awaitRunning(finishing, finishing));
        released.put(failing, awaitRunning(failing, failing));
        shortTasks.addAll(released.keySet());
      }
      restart(round, () -> {
        if (!released.isEmpty()) {
          Files.createFile(marker);
          eventually("short tasks " + released.keySet() + " ended while the agent is down", STOPPED,
              () -> released.forEach((task, process) -> assertThat(process.alive())
                  .as(task + "'s process " + process + " alive").isFalse()));
        }
      });
      checkLongTasks(round, longProcesses);
      if (!released.isEmpty()) {
        for (String task : released.keySet()) {
          TaskState terminal = task.startsWith("finish-") ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED;
          soft(() -> awaitValue(terminal + " of " + task + ", which ended while the agent was down (round "
              + round + ")", SETTLED, () -> scheduler.first(task, terminal)));
        }
      }
    }

    // The long tasks, killed through the driver.
    for (String task : longProcesses.keySet()) {
      driver.killTask(TaskID.newBuilder().setValue(task).build());
    }
    for (String task : longProcesses.keySet()) {
      soft(() -> awaitValue("TASK_KILLED of " + task + " after killTask", SETTLED,
          () -> scheduler.first(task, TaskState.TASK_KILLED)));
    }
    for (String task : LONG_COMMAND_TASKS) {
      softly.check(() -> eventually(task + "'s process ends after killTask", SETTLED,
          () -> assertThat(longProcesses.get(task)).as(task + "'s processes").noneMatch(ProcessId::alive)));
    }

    // Every task's updates: each exactly once, in order, once consecutive re-deliveries are collapsed.
    for (String task : LONG_COMMAND_TASKS) {
      checkUpdates(task, TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_KILLED);
    }
    checkUpdates(CUSTOM_TASK, TaskState.TASK_RUNNING, TaskState.TASK_KILLED);
    for (String task : shortTasks) {
      boolean finishing = task.startsWith("finish-");
      checkUpdates(task, TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
          finishing ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED);
      scheduler.first(task, finishing ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED)
          .ifPresent(s -> softly.assertThat(s.getMessage()).as("message of " + task + "'s " + s.getState())
              .isEqualTo("Command exited with status " + (finishing ? 0 : 3)));
    }
    softly.check(() -> eventually("the master lists the short tasks completed", SETTLED, () -> {
      JsonNode state = master.state();
      SoftAssertions s = new SoftAssertions();
      for (String task : shortTasks) {
        checkOnlyIn(s, state, task, "completed_tasks",
            task.startsWith("finish-") ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED);
      }
      s.assertAll();
    }));
    // As Mesos, an agent the master still has (disconnected) is not re-admitted when it re-registers.
    softly.assertThat(master.metrics().path("master/slave_reregistrations").asInt())
        .as("master/slave_reregistrations after " + ROUNDS + " restarts").isZero();
    softly.assertThat(scheduler.registrations()).as("framework registrations").isEqualTo(1);
    softly.assertThat(scheduler.reregistrations()).as("framework re-registrations").isZero();
    softly.assertThat(scheduler.disconnections()).as("framework disconnections").isZero();
    softly.assertThat(scheduler.lost()).as("agents and executors the framework heard lost").isEmpty();
    softly.assertThat(scheduler.errors()).as("driver errors").isEmpty();

    // SIGUSR1, as Mesos: the agent unregisters and exits (status 0), and the master removes it at once.
    Processes.signal(agent.pid(), "USR1");
    softly.assertThat(agent.waitFor(STOPPED.toMillis(), TimeUnit.MILLISECONDS)).as("agent exited on SIGUSR1")
        .isTrue();
    if (!agent.isAlive()) {
      softly.assertThat(agent.exitValue()).as("agent exit status after SIGUSR1").isZero();
    }
    softly.check(() -> eventually("the master removed the agent after its SIGUSR1", SETTLED,
        () -> assertThat(master.metrics().path("master/slaves_active").asInt()).isZero()));
    softly.assertAll();
  }

  /**
   * Stops the agent (SIGKILL, or SIGTERM in {@link #SIGTERM_ROUNDS}), waits for its process to be gone, runs
   * {@code whileDown}, restarts it with the same flags and waits for it to be active on the master again under
   * the same id, the only agent there.
   */
  private void restart(int round, ThrowingRunnable whileDown) throws Throwable {
    String signal = SIGTERM_ROUNDS.contains(round) ? "TERM" : "KILL";
    long signalled = System.nanoTime();
    Processes.signal(agent.pid(), signal);
    if (!agent.waitFor(STOPPED.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("agent still alive " + STOPPED + " after SIG" + signal + " (round " + round + ")");
    }
    long gone = System.nanoTime();
    whileDown.run();
    long started = System.nanoTime();
    startAgent();
    double since = lastReregistration;
    JsonNode back = awaitValue("the agent re-registered and active after SIG" + signal + " (round " + round + ")",
        RESTART, () -> activeAgent(since));
    lastReregistration = back.path("reregistered_time").asDouble();
    long active = System.nanoTime();
    assertThat(back.path("id").asText()).as("agent id after restart " + round).isEqualTo(agentId);
    Restart r = new Restart(round, signal, (gone - signalled) / 1e9, (active - started) / 1e9,
        (active - signalled) / 1e9);
    restarts.add(r);
    System.out.println("AgentRestartIT " + r);
  }

  /**
   * The master's entry for the agent once it is active and re-registered after {@code since} (its
   * {@code reregistered_time}, seconds); fails at once if the master lists more than one agent.
   */
  private Optional<JsonNode> activeAgent(double since) throws IOException, InterruptedException {
    JsonNode slaves = master.state().path("slaves");
    assertThat(slaves.size()).as("agents the master lists: " + slaves).isLessThanOrEqualTo(1);
    if (slaves.size() == 1 && slaves.get(0).path("active").asBoolean()
        && slaves.get(0).path("reregistered_time").asDouble() > since) {
      assertThat(slaves.get(0).path("port").asInt()).as("port of the master's only agent").isEqualTo(agentPort);
      return Optional.of(slaves.get(0));
    }
    return Optional.empty();
  }

  /**
   * After a restart: every long task runs in the processes it started in (the container's first process and
   * its descendants, same pids and start times), and the master lists it running.
   */
  private void checkLongTasks(int round, Map<String, List<ProcessId>> longProcesses) {
    longProcesses.forEach((task, processes) -> {
      for (ProcessId process : processes) {
        assertThat(process.alive()).as(task + "'s process " + process + " alive after restart " + round).isTrue();
      }
      String executor = task.equals(CUSTOM_TASK) ? CUSTOM_EXECUTOR : task;
      assertThat(forkedPid(executor)).as("checkpointed forked.pid of " + executor + " after restart " + round)
          .hasValue(processes.get(0).pid());
      softly.assertThat(scheduler.collapsed(task).stream().map(TaskStatus::getState))
          .as("updates of " + task + " by restart " + round + ", consecutive re-deliveries collapsed")
          .containsExactlyElementsOf(task.equals(CUSTOM_TASK) ? List.of(TaskState.TASK_RUNNING)
              : List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING));
    });
    softly.check(() -> eventually("the master lists the long tasks running after restart " + round, SETTLED, () -> {
      JsonNode state = master.state();
      SoftAssertions s = new SoftAssertions();
      longProcesses.keySet().forEach(task -> checkOnlyIn(s, state, task, "tasks", TaskState.TASK_RUNNING));
      s.assertAll();
    }));
  }

  /**
   * Checks that {@code task}'s updates, consecutive re-deliveries collapsed, are exactly {@code expected}, with
   * no update (uuid) delivered again later.
   */
  private void checkUpdates(String task, TaskState... expected) {
    List<TaskStatus> collapsed = scheduler.collapsed(task);
    String raw = scheduler.raw(task).stream().map(s -> s.getState().name()).collect(Collectors.joining(", "));
    softly.assertThat(collapsed.stream().map(TaskStatus::getState))
        .as("updates of " + task + ", consecutive re-deliveries collapsed (raw: " + raw + ")")
        .containsExactly(expected);
    Set<ByteString> uuids = new HashSet<>();
    List<String> redelivered = collapsed.stream().filter(s -> !s.getUuid().isEmpty() && !uuids.add(s.getUuid()))
        .map(s -> s.getState().name()).collect(Collectors.toList());
    softly.assertThat(redelivered).as("updates of " + task + " delivered again after a later one").isEmpty();
  }

  /** Waits for TASK_RUNNING of {@code task}, then for its executor's checkpointed pid, a live process. */
  private ProcessId awaitRunning(String task, String executor) {
    awaitValue("TASK_RUNNING of " + task, STARTUP, () -> scheduler.first(task, TaskState.TASK_RUNNING));
    long pid = awaitValue("checkpointed forked.pid of executor " + executor, SETTLED, () -> forkedPid(executor));
    ProcessId process = ProcessId.of(pid).orElseThrow(
        () -> new AssertionError("process " + pid + " of " + task + " (forked.pid) not alive"));
    seen.put(task, List.of(process));
    String cwd = process.cwd();
    assertThat(cwd).as("working directory of " + task + "'s process " + process)
        .contains("/executors/" + executor + "/runs/");
    return process;
  }

  /**
   * The container's processes once {@code program} runs in it: {@code root} (its first process: the agent's
   * exit-status supervisor, or the command itself), then its descendants.
   */
  private List<ProcessId> awaitTree(String task, ProcessId root, String program) {
    List<ProcessId> tree = awaitValue(program + " of " + task + " in the tree of its container's process " + root,
        SETTLED, () -> {
          List<ProcessHandle> handles = new ArrayList<>();
          ProcessHandle.of(root.pid()).ifPresent(h -> {
            handles.add(h);
            h.descendants().forEach(handles::add);
          });
          if (handles.stream().noneMatch(h -> h.info().command().orElse("").endsWith("/" + program))) {
            return Optional.empty();
          }
          List<ProcessId> found = new ArrayList<>();
          handles.forEach(h -> ProcessId.of(h.pid()).ifPresent(found::add));
          return Optional.of(found);
        });
    seen.put(task, tree);
    System.out.println("AgentRestartIT " + task + " runs in " + tree.stream().map(p -> p + " " + p.command())
        .collect(Collectors.joining(", ")));
    return tree;
  }

  /**
   * The pid the agent checkpointed for the executor's container:
   * {@code <work_dir>/meta/slaves/<agent>/frameworks/<framework>/executors/<executor>/runs/latest/pids/forked.pid}
   * (the only run's when {@code latest} is missing).
   */
  private Optional<Long> forkedPid(String executor) {
    Path runs = work.resolve("agent").resolve("meta").resolve("slaves").resolve(agentId).resolve("frameworks")
        .resolve(frameworkId).resolve("executors").resolve(executor).resolve("runs");
    try {
      Path run = runs.resolve("latest");
      if (!Files.exists(run)) {
        List<Path> all;
        try (Stream<Path> list = Files.list(runs)) {
          all = list.collect(Collectors.toList());
        }
        if (all.size() != 1) {
          return Optional.empty();
        }
        run = all.get(0);
      }
      String text = Files.readString(run.resolve("pids").resolve("forked.pid")).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // Not written yet.
    }
  }

  private static TaskInfo commandTask(String id, String command, SlaveID agent) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id)).setSlaveId(agent)
        .setCommand(CommandInfo.newBuilder().setShell(true).setValue(command))
        .addResources(RecordingScheduler.scalar("cpus", 0.1))
        .addResources(RecordingScheduler.scalar("mem", 32))
        .build();
  }

  /** The task of {@link io.jmesos.it.fault.StayingExecutor}, a JVM on this test's class path. */
  private static TaskInfo customExecutorTask(SlaveID agent) {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String command = "exec '" + java + "' -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '"
        + System.getProperty("java.class.path") + "' " + io.jmesos.it.fault.StayingExecutor.class.getName();
    ExecutorInfo executor = ExecutorInfo.newBuilder()
        .setExecutorId(ExecutorID.newBuilder().setValue(CUSTOM_EXECUTOR))
        .setName("staying executor")
        .setCommand(CommandInfo.newBuilder().setShell(true).setValue(command))
        .addResources(RecordingScheduler.scalar("cpus", 0.1))
        .addResources(RecordingScheduler.scalar("mem", 128))
        .build();
    return TaskInfo.newBuilder().setName(CUSTOM_TASK).setTaskId(TaskID.newBuilder().setValue(CUSTOM_TASK))
        .setSlaveId(agent).setExecutor(executor)
        .addResources(RecordingScheduler.scalar("cpus", 0.1))
        .addResources(RecordingScheduler.scalar("mem", 32))
        .build();
  }

  /** Starts {@code bin/mesos-agent} with the same flags every time, logging to {@code agent-<n>.log}. */
  private void startAgent() throws IOException {
    String log = "agent-" + agentStarts++;
    logs.add(log);
    agent = processes.start(log, "mesos-agent", agentArgs.toArray(new String[0]));
  }

  /** Checks that the framework's /state entry lists the task exactly once, in {@code section}, as {@code expected}. */
  private void checkOnlyIn(SoftAssertions s, JsonNode state, String taskId, String section, TaskState expected) {
    DaemonEndpoints.checkOnlyIn(s, state, frameworkId, taskId, section, expected);
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

  private void printSummary(double seconds) {
    double[] toActive = restarts.stream().mapToDouble(Restart::toActive).sorted().toArray();
    double[] startToActive = restarts.stream().mapToDouble(Restart::startToActive).sorted().toArray();
    String figures = restarts.isEmpty() ? "none completed"
        : String.format("signal to active on the master min %.2fs, median %.2fs, max %.2fs; agent start to active "
            + "min %.2fs, median %.2fs, max %.2fs", toActive[0], median(toActive), toActive[toActive.length - 1],
            startToActive[0], median(startToActive), startToActive[startToActive.length - 1]);
    List<String> tasks = scheduler.taskIds();
    long collapsed = tasks.stream().mapToLong(task -> scheduler.collapsed(task).size()).sum();
    System.out.printf("AgentRestartIT summary: %d of %d restarts (%d SIGTERM), %d tasks; %s; %d status updates "
        + "delivered, %d after collapsing re-deliveries; scenario took %.1fs%n", restarts.size(), ROUNDS,
        restarts.stream().filter(r -> r.signal().equals("TERM")).count(), tasks.size(), figures,
        scheduler.rawCount(), collapsed, seconds);
  }

  /** The median of sorted, non-empty {@code values}. */
  private static double median(double[] values) {
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private void printDiagnostics() {
    StringBuilder out = new StringBuilder("==== AgentRestartIT diagnostics ====\n  ");
    out.append(scheduler.describe()).append('\n');
    seen.forEach((task, processes) -> out.append("  ").append(task).append(": processes ").append(processes
        .stream().map(p -> p + (p.alive() ? " alive" : " gone")).collect(Collectors.joining(", "))).append('\n'));
    try {
      out.append("  master /state slaves: ").append(master.state().path("slaves")).append('\n');
    } catch (IOException e) {
      out.append("  master /state unreadable: ").append(e).append('\n');
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (String log : logs) {
      try {
        out.append("---- ").append(log).append(" log (tail) ----\n").append(processes.tail(log, 40)).append('\n');
      } catch (IOException e) {
        out.append("---- ").append(log).append(" log unreadable: ").append(e).append('\n');
      }
    }
    if (agentId != null && frameworkId != null) {
      Path stderr = work.resolve("agent").resolve("slaves").resolve(agentId).resolve("frameworks")
          .resolve(frameworkId).resolve("executors").resolve(CUSTOM_EXECUTOR).resolve("runs").resolve("latest")
          .resolve("stderr");
      try {
        List<String> lines = Files.readAllLines(stderr);
        out.append("---- ").append(CUSTOM_EXECUTOR).append(" stderr (tail) ----\n")
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))).append('\n');
      } catch (IOException e) {
        out.append("---- ").append(CUSTOM_EXECUTOR).append(" stderr unreadable: ").append(e).append('\n');
      }
    }
    System.out.println(out);
  }

  /** One restart's timings, in seconds from the signal unless named otherwise. */
  private record Restart(int round, String signal, double toGone, double startToActive, double toActive) {
    @Override
    public String toString() {
      return String.format("restart %d (SIG%s): agent gone after %.2fs, active on the master %.2fs after the "
          + "signal (%.2fs after its start)", round, signal, toGone, toActive, startToActive);
    }
  }

  /**
   * A process by pid and start time ({@code /proc/<pid>/stat} field 22, clock ticks since boot), so that a
   * reused pid is not mistaken for it.
   */
  private record ProcessId(long pid, long startTime) {
    /** The live process {@code pid} now, if any. */
    static Optional<ProcessId> of(long pid) {
      return stat(pid).filter(f -> !f[0].equals("Z")).map(f -> new ProcessId(pid, Long.parseLong(f[19])));
    }

    /** Whether this very process is alive (a zombie is not). */
    boolean alive() {
      return of(pid).filter(this::equals).isPresent();
    }

    /** The process' command line (its first 80 characters), for messages. */
    String command() {
      return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
          .map(c -> "'" + (c.length() > 80 ? c.substring(0, 77) + "..." : c) + "'").orElse("-");
    }

    String cwd() {
      try {
        return Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid), "cwd")).toString();
      } catch (IOException e) {
        return "unreadable: " + e;
      }
    }

    /** SIGKILL to this process, if it is still alive, and its descendants. */
    void killTreeIfAlive() {
      if (alive()) {
        ProcessHandle.of(pid).ifPresent(h -> {
          List<ProcessHandle> tree = new ArrayList<>(List.of(h));
          h.descendants().forEach(tree::add);
          tree.forEach(ProcessHandle::destroyForcibly);
        });
      }
    }

    /** The fields of {@code /proc/<pid>/stat} from field 3 (state) on. */
    private static Optional<String[]> stat(long pid) {
      try {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        return Optional.of(stat.substring(stat.lastIndexOf(')') + 1).strip().split(" "));
      } catch (IOException e) {
        return Optional.empty(); // Gone.
      }
    }

    @Override
    public String toString() {
      return pid + " (started at tick " + startTime + ")";
    }
  }
}
