package io.jmesos.executor;

import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import io.jmesos.executor.driver.ExecutorEnvironment;
import io.jmesos.executor.driver.HttpExecutorDriver;
import io.jmesos.executor.driver.KillPolicyAware;
import io.jmesos.executor.checks.HealthStatus;
import io.jmesos.executor.checks.LocalProbes;
import io.jmesos.executor.checks.TaskChecks;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.KillPolicy;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;

/**
 * The built-in command executor, like Mesos' {@code mesos-executor}: runs the {@code CommandInfo} of the one
 * task it is given, reports {@code TASK_STARTING}, {@code TASK_RUNNING}, then {@code TASK_FINISHED},
 * {@code TASK_FAILED} or {@code TASK_KILLED} with Mesos' messages ({@code "Command exited with status 3"}),
 * waits (briefly) for the agent to acknowledge the terminal update, and exits. A kill sends SIGTERM to the
 * task's process tree and SIGKILL once the task's kill policy grace period (3 seconds by default) has passed.
 * The task's check and health check ({@link TaskChecks}) run from here: their results go out as status
 * updates, and a health check that fails {@code consecutive_failures} times in a row kills the task, whose
 * terminal update then says {@code healthy=false}.
 *
 * <p>Threading: driver callbacks arrive on the driver's thread, the exit of the task on a reaper thread, the
 * SIGKILL escalation on a clock thread and check results on the {@code command-executor-checks} thread; the
 * task state they share is guarded by this object's lock. Built
 * for a fast start: protobuf, the driver and slf4j-api only; one line per state change goes to stderr.
 */
public final class CommandExecutor implements Executor, KillPolicyAware {
  static final Duration DEFAULT_KILL_GRACE_PERIOD = Duration.ofSeconds(3);
  static final Duration MAX_ACK_WAIT = Duration.ofSeconds(10);

  private final Map<String, String> environment;
  private final ExecutorEnvironment env;
  private final Clock clock;
  private final CountDownLatch terminalSent = new CountDownLatch(1);
  private HttpExecutorDriver driver; // Set before start.

  // Guarded by this.
  private FrameworkInfo framework;
  private TaskInfo task;
  private TaskProcess process;
  private boolean killed;
  private boolean terminal;
  private Clock.Timer escalation;
  private TaskChecks checks;
  private CheckStatusInfo initialCheckStatus;
  private TaskStatus lastStatus;
  private boolean killedByHealthCheck;

  CommandExecutor(Map<String, String> environment, Clock clock) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.env = ExecutorEnvironment.parse(environment);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static void main(String[] args) {
    warmUp();
    System.exit(run(System.getenv(), SystemClock.get(), HttpExecutorDriver.haltProcessTree()));
  }

  /**
   * Starts, on a background thread, the one-time initialisations the launch path would otherwise pay for in
   * series once the task arrives: the v0 protobuf descriptors (the driver hands the executor v0 types), the
   * secure random behind status update UUIDs and the process-spawning classes. They then overlap with the
   * JVM's connection to the agent and its SUBSCRIBE.
   */
  static void warmUp() {
    Thread warm = new Thread(() -> {
      org.apache.mesos.Protos.getDescriptor();
      java.util.UUID.randomUUID();
      try {
        Class.forName("java.lang.ProcessImpl");
      } catch (ClassNotFoundException | LinkageError e) {
        // Only a warm-up: the first spawn loads it anyway.
      }
    }, "command-executor-warm-up");
    warm.setDaemon(true);
    warm.start();
  }

  /** Runs the executor until its driver stops; returns the process exit status (0 once the driver stopped). */
  static int run(Map<String, String> environment, Clock clock, IntConsumer exitHook) {
    CommandExecutor executor;
    try {
      executor = new CommandExecutor(environment, clock);
    } catch (IllegalArgumentException e) {
      System.err.println("Command executor cannot start: " + e.getMessage());
      return 1;
    }
    HttpExecutorDriver driver = HttpExecutorDriver.builder(executor)
        .environment(environment)
        .clock(clock)
        .exitHook(exitHook)
        .build();
    executor.driver = driver;
    Status status = driver.run();
    driver.awaitTermination(Duration.ofSeconds(5));
    System.err.println("Command executor driver finished with " + status);
    return status == Status.DRIVER_STOPPED ? 0 : 1;
  }

  @Override
  public synchronized void registered(ExecutorDriver d, ExecutorInfo executorInfo, FrameworkInfo frameworkInfo,
      SlaveInfo slaveInfo) {
    framework = frameworkInfo;
    System.err.println("Registered executor on " + slaveInfo.getHostname());
  }

  @Override
  public void reregistered(ExecutorDriver d, SlaveInfo slaveInfo) {
    System.err.println("Re-registered executor on " + slaveInfo.getHostname());
  }

  @Override
  public void disconnected(ExecutorDriver d) {
    System.err.println("Disconnected from the agent");
  }

  @Override
  public synchronized void launchTask(ExecutorDriver d, TaskInfo launched) {
    if (task != null) {
      update(launched.getTaskId(), TaskState.TASK_FAILED,
          "Attempted to run multiple tasks using a \"command\" executor");
      return;
    }
    task = launched;
    initialCheckStatus = TaskChecks.initialCheckStatus(launched);
    String id = launched.getTaskId().getValue();
    if (!launched.hasCommand()) {
      finish(TaskState.TASK_FAILED, "Task " + id + " has no command to run");
      return;
    }
    System.err.println("Starting task " + id);
    update(launched.getTaskId(), TaskState.TASK_STARTING, null);
    try {
      process = TaskProcess.start(launched.getCommand(), taskEnvironment(launched), workDir());
    } catch (IOException | RuntimeException e) {
      finish(TaskState.TASK_FAILED, "Failed to launch command: " + e.getMessage());
      return;
    }
    System.err.println("Forked command at " + process.pid());
    startChecks(launched);
    update(launched.getTaskId(), TaskState.TASK_RUNNING, null);
    process.onExit("command-executor-reaper", this::exited);
  }

  /** Starts the task's check and health check, if it has any, on a thread of their own. */
  private void startChecks(TaskInfo launched) {
    if (!TaskChecks.any(launched)) {
      return;
    }
    ExecutorService checksThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "command-executor-checks");
      t.setDaemon(true);
      return t;
    });
    Map<String, String> checkEnvironment = new HashMap<>(environment);
    checkEnvironment.remove("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    File dir = workDir();
    LocalProbes probes = new LocalProbes(checkEnvironment, dir, LocalProbes.sandboxStderr(dir), argv -> argv,
        LocalProbes.defaultPool());
    checks = TaskChecks.start(launched, probes, clock, checksThread, this::taskHealthUpdated,
        this::taskCheckUpdated, System.err::println);
  }

  /** A health verdict: sent as an update unless the task is going away; kills the task when it says so. */
  private synchronized void taskHealthUpdated(HealthStatus health) {
    if (killed || terminal) {
      return;
    }
    System.err.println("Received task health update, healthy: " + health.healthy());
    send(TaskChecks.healthUpdate(lastStatus, health.healthy()).build());
    if (health.killTask()) {
      killedByHealthCheck = true;
      kill(killGracePeriod());
    }
  }

  /** A changed check status: sent as an update unless the task is going away. */
  private synchronized void taskCheckUpdated(CheckStatusInfo status) {
    if (killed || terminal) {
      return;
    }
    System.err.println("Received check update '" + status.toString().replace('\n', ' ').trim() + "'");
    send(TaskChecks.checkUpdate(lastStatus, status).build());
  }

  @Override
  public synchronized void killTask(ExecutorDriver d, TaskID taskId) {
    if (task == null || !task.getTaskId().equals(taskId)) {
      System.err.println("Ignoring kill of unknown task " + taskId.getValue());
      return;
    }
    kill(killGracePeriod());
  }

  /** A kill whose policy (from the framework's kill call) overrides the task's own, as in Mesos. */
  @Override
  public synchronized void killTask(ExecutorDriver d, TaskID taskId, KillPolicy policy) {
    if (task == null || !task.getTaskId().equals(taskId)) {
      System.err.println("Ignoring kill of unknown task " + taskId.getValue());
      return;
    }
    kill(policy.hasGracePeriod() ? Duration.ofNanos(policy.getGracePeriod().getNanoseconds()) : killGracePeriod());
  }

  @Override
  public void frameworkMessage(ExecutorDriver d, byte[] data) {
    // The command executor has no use for framework messages.
  }

  /** Kills the task within the shutdown grace period and returns once its terminal update is queued. */
  @Override
  public void shutdown(ExecutorDriver d) {
    System.err.println("Shutting down");
    Duration grace = killGracePeriod();
    if (grace.compareTo(env.shutdownGracePeriod()) > 0) {
      grace = env.shutdownGracePeriod();
    }
    synchronized (this) {
      if (process == null || terminal) {
        return;
      }
      kill(grace);
    }
    try {
      terminalSent.await(grace.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void error(ExecutorDriver d, String message) {
    System.err.println("Executor driver error: " + message);
  }

  private void kill(Duration grace) {
    if (process == null || terminal || killed) {
      return;
    }
    killed = true;
    if (checks != null) {
      checks.pause();
    }
    if (framework != null && framework.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
      update(task.getTaskId(), TaskState.TASK_KILLING, null);
    }
    System.err.println("Sending SIGTERM to process tree at pid " + process.pid());
    process.terminate();
    TaskProcess target = process;
    escalation = clock.schedule(grace, Runnable::run, () -> {
      if (target.isAlive()) {
        System.err.println("Process " + target.pid() + " did not terminate after " + grace.toMillis()
            + " ms, sending SIGKILL to process tree");
        target.kill();
      }
    });
  }

  private void exited(int status) {
    synchronized (this) {
      if (escalation != null) {
        escalation.cancel();
      }
      if (checks != null) {
        checks.stop(); // The daemon checks thread idles until the executor exits.
      }
      String message = "Command " + TaskProcess.describe(status);
      System.err.println(message + " (pid: " + process.pid() + ")");
      TaskState state = killed ? TaskState.TASK_KILLED
          : status == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED;
      finish(state, message);
    }
    stopAfterAcknowledgement();
  }

  /** Sends the terminal update of the task (under the lock). */
  private void finish(TaskState state, String message) {
    terminal = true;
    update(task.getTaskId(), state, message);
    terminalSent.countDown();
    if (process == null) {
      Thread stopper = new Thread(this::stopAfterAcknowledgement, "command-executor-stopper");
      stopper.setDaemon(true);
      stopper.start();
    }
  }

  private void stopAfterAcknowledgement() {
    try {
      driver.whenAllAcknowledged().get(MAX_ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("Terminal status update not acknowledged within " + MAX_ACK_WAIT.toSeconds() + " secs");
    }
    driver.stop();
  }

  /**
   * A status update made from scratch (no health verdict; the empty check status of a checked task), except that
   * the terminal update of a task its health check killed says it is unhealthy.
   */
  private void update(TaskID taskId, TaskState state, String message) {
    TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(taskId).setState(state);
    if (message != null) {
      status.setMessage(message);
    }
    if (initialCheckStatus != null && task.getTaskId().equals(taskId)) {
      status.setCheckStatus(initialCheckStatus);
    }
    if (terminal && killed && killedByHealthCheck) {
      status.setHealthy(false);
    }
    System.err.println("Task " + taskId.getValue() + " is in state " + state
        + (message == null ? "" : ": " + message));
    send(status.build());
  }

  private void send(TaskStatus status) {
    if (task != null && task.getTaskId().equals(status.getTaskId())) {
      lastStatus = status;
    }
    driver.sendStatusUpdate(status);
  }

  private Duration killGracePeriod() {
    if (task != null && task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()) {
      return Duration.ofNanos(task.getKillPolicy().getGracePeriod().getNanoseconds());
    }
    return DEFAULT_KILL_GRACE_PERIOD;
  }

  private File workDir() {
    String sandbox = env.sandbox();
    return sandbox == null ? null : new File(sandbox);
  }

  private Map<String, String> taskEnvironment(TaskInfo launched) {
    Map<String, String> result = new HashMap<>(environment);
    result.remove("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    if (env.sandbox() != null) {
      result.put("MESOS_SANDBOX", env.sandbox());
    }
    result.put("MESOS_TASK_ID", launched.getTaskId().getValue());
    if (launched.getCommand().hasEnvironment()) {
      for (Environment.Variable v : launched.getCommand().getEnvironment().getVariablesList()) {
        if (v.getType() == Environment.Variable.Type.SECRET) {
          System.err.println("Ignoring secret environment variable " + v.getName() + ": secrets are not supported");
          continue;
        }
        result.put(v.getName(), v.getValue());
      }
    }
    return result;
  }
}
