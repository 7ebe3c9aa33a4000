package io.jmesos.agent.executors;

import io.jmesos.actor.Clock;
import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.executor.checks.HealthStatus;
import io.jmesos.executor.checks.LocalProbes;
import io.jmesos.executor.checks.TaskChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.KillPolicy;
import org.apache.mesos.Protos.TaskGroupInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jmesos' default executor ({@code ExecutorInfo.type == DEFAULT}, what v1 frameworks launch task groups with),
 * played inside the agent with Mesos' {@code mesos-default-executor} semantics. Its container's process is a
 * placeholder that holds the executor's container (its cgroups and sandbox) and exits 0 when the executor is
 * done; each task runs in a nested container of it, launched through {@link NestedContainers} as the Mesos
 * executor launches them through the agent's operator API: sandbox {@code containers/<id>} under the executor's,
 * linked from {@code tasks/<task id>}. Per task: TASK_STARTING, then TASK_RUNNING once its container runs, then
 * TASK_FINISHED, TASK_FAILED ("Command exited with status 1") or TASK_KILLED. A task that fails or is killed
 * kills the rest of its group (TASK_KILLED), Mesos' default restart policy. KILL sends TASK_KILLING (when the
 * framework can take it), SIGTERM, and SIGKILL once the kill policy's grace period (3 seconds by default) is
 * over; SHUTDOWN kills every task likewise. Later LAUNCH_GROUPs run in the same executor. Once no task is left
 * the executor terminates: its placeholder exits and the agent completes the executor as any other. Checks and
 * health checks of a task run from here as the command executor runs them ({@link TaskChecks}), their commands
 * in the task's sandbox.
 *
 * <p>Not thread-safe: every method runs on the agent's actor.
 */
final class EmbeddedDefaultExecutor extends EmbeddedExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDefaultExecutor.class);
  /** The default executor's kill grace period, when neither the kill nor the task sets one. */
  static final Duration DEFAULT_KILL_GRACE_PERIOD = Duration.ofSeconds(3);
  /**
   * What the executor's container runs: a shell that waits until SIGTERM and then exits 0 (its sleeping child
   * dies with it, the signal going to the container's whole process tree).
   */
  static final List<String> PLACEHOLDER =
      List.of("/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done");

  /** The wait status of a process killed by SIGTERM. */
  private static final int SIGTERM_STATUS = 15;
  /** The wait status of a process killed by SIGKILL. */
  private static final int SIGKILL_STATUS = 9;
  /** The first wait before the placeholder gets its SIGTERM again; doubled each time. */
  static final Duration PLACEHOLDER_RETRY = Duration.ofMillis(100);
  /** How many SIGTERMs the placeholder gets before SIGKILL (the last one about 6 seconds after the first). */
  static final int PLACEHOLDER_TERMS = 7;

  private final AgentContext ctx;
  private final NestedContainers nested;
  /** The active tasks (launched and not yet terminal), by id, in launch order. */
  private final Map<TaskID, Child> children = new LinkedHashMap<>();

  private LaunchedProcess process;
  private FrameworkInfo framework;
  private boolean shuttingDown;
  private boolean launchedAny;
  /** Whether the placeholder had to be SIGKILLed: it outlived every SIGTERM (read on any thread). */
  private volatile boolean placeholderKilled;
  /** Whether a health check killed a task (Mesos' executor-wide flag). */
  private boolean unhealthy;

  EmbeddedDefaultExecutor(AgentContext ctx, ExecutorCalls calls, ExecutorState ex, NestedContainers nested) {
    super(calls, ex);
    this.ctx = ctx;
    this.nested = nested;
  }

  @Override
  Logger log() {
    return LOG;
  }

  // ---- The executor's life.

  /** The placeholder was forked: subscribe, as the executor would once it started. */
  void forked(LaunchedProcess forked) {
    this.process = forked;
    subscribe();
  }

  /**
   * The executor's container ended (its placeholder exited or was killed): the executor is gone with it, and
   * so are its tasks' containers; the agent reports the tasks that were not terminal yet. Returns the
   * executor's exit status: the placeholder's, except that when the executor terminated itself and its SIGTERM
   * came before the placeholder's shells had set their traps (a launch that fails at once), or the placeholder
   * never got a SIGTERM and had to be SIGKILLed ({@link #endPlaceholder}), the executor still ended by its own
   * decision and exits 0, as when a trap catches the signal.
   */
  Integer containerExited(Integer status) {
    children.values().forEach(Child::stop);
    children.clear();
    close();
    boolean ownSignal = status != null
        && (status == SIGTERM_STATUS || status == SIGKILL_STATUS && placeholderKilled);
    return shuttingDown && ownSignal ? Integer.valueOf(0) : status;
  }

  // ---- ExecutorChannel: the agent's events.

  @Override
  public void send(Event event) {
    if (!isOpen()) {
      return;
    }
    switch (event.getType()) {
      case SUBSCRIBED:
        framework = event.getSubscribed().getFrameworkInfo();
        break;
      case LAUNCH_GROUP:
        launchGroup(event.getLaunchGroup().getTaskGroup());
        break;
      case LAUNCH:
        // As Mesos' default executor: it runs task groups only.
        LOG.error("{} received a LAUNCH event: the default executor only runs task groups", ex);
        terminate();
        break;
      case KILL:
        killTask(event.getKill());
        break;
      case SHUTDOWN:
        shutdown();
        break;
      default:
        // HEARTBEAT, ACKNOWLEDGED and MESSAGE need no answer: updates are handed to the agent synchronously.
        break;
    }
  }

  // ---- Task groups.

  private void launchGroup(TaskGroupInfo group) {
    if (shuttingDown) {
      LOG.warn("{} ignores the launch group operation: it is shutting down", ex);
      return;
    }
    launchedAny = true;
    List<Child> launched = new ArrayList<>();
    for (TaskInfo task : group.getTasksList()) {
      ContainerID id = ContainerID.newBuilder().setValue(UUID.randomUUID().toString())
          .setParent(ex.container().id()).build();
      Child child = new Child(task, group, id);
      children.put(task.getTaskId(), child);
      launched.add(child);
      update(child, TaskState.TASK_STARTING, null, null);
    }
    for (Child child : launched) {
      nested.launch(child.id, command(child.task)).whenComplete((result, error) -> {
        if (error != null) {
          Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause() : error;
          child.launchError = cause instanceof NestedContainers.LaunchFailure ? cause.getMessage()
              : String.valueOf(cause);
          LOG.error("Failed to launch child container {} of task {}: {}", child.id.getValue(),
              child.task.getTaskId().getValue(), child.launchError);
          waited(child, null);
          return;
        }
        running(child);
      });
    }
    LOG.info("{} launching tasks {} in child containers", ex, launched.stream()
        .map(c -> c.task.getTaskId().getValue() + " (" + c.id.getValue() + ")").toList());
  }

  /**
   * The task's command with the variables the default executor adds ({@code MESOS_ALLOCATION_ROLE}) and the
   * task id.
   */
  private static CommandInfo command(TaskInfo task) {
    CommandInfo.Builder command = task.getCommand().toBuilder();
    Environment.Builder env = command.getEnvironmentBuilder();
    if (task.getResourcesCount() > 0 && task.getResources(0).hasAllocationInfo()) {
      env.addVariables(Environment.Variable.newBuilder().setName("MESOS_ALLOCATION_ROLE")
          .setValue(task.getResources(0).getAllocationInfo().getRole()));
    }
    return command.build();
  }

  /** A task's child container runs: its {@code tasks/} link, TASK_RUNNING, its checks and the wait for its end. */
  private void running(Child child) {
    if (!isOpen() || !children.containsKey(child.task.getTaskId())) {
      return;
    }
    child.launched = true;
    Path sandbox = ex.container().sandbox();
    Path target = sandbox.resolve("containers").resolve(child.id.getValue());
    Path link = sandbox.resolve("tasks").resolve(child.task.getTaskId().getValue());
    ctx.blocking.execute(() -> {
      try {
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
      } catch (IOException e) {
        LOG.warn("Unable to create symbolic link for container {} of task {}: {}", child.id.getValue(),
            child.task.getTaskId().getValue(), e.toString());
      }
    });
    if (child.killing) {
      // Killed while it launched: the kill reaches its container now.
      nested.kill(child.id, Signal.TERM);
    } else {
      update(child, TaskState.TASK_RUNNING, null, null);
      startChecks(child, target);
    }
    nested.waitFor(child.id).ifPresentOrElse(
        termination -> termination.whenComplete((t, e) -> waited(child, t == null ? null : t.status())),
        () -> waited(child, null));
  }

  /** A task's child container ended (or never started): its terminal update, and Mesos' restart policy. */
  private void waited(Child child, Integer status) {
    if (!isOpen() || children.get(child.task.getTaskId()) != child || ex.container().isDestroying()) {
      return;
    }
    child.stop();
    TaskState state;
    String message;
    if (status == null) {
      state = child.killing ? TaskState.TASK_KILLED : TaskState.TASK_FAILED;
      message = child.launchError != null ? child.launchError
          : child.launched ? "Command terminated with unknown status"
          : "Unable to retrieve command's termination information";
    } else {
      state = child.killing ? TaskState.TASK_KILLED
          : status == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED;
      message = "Command " + EmbeddedCommandExecutor.describe(status);
    }
    // As Mesos: once any task was killed unhealthy, every terminal update says so (MESOS-8543).
    Boolean healthy = unhealthy ? Boolean.FALSE : null;
    update(child, state, message, healthy);
    LOG.info("Child container {} of task {} completed in state {}: {}", child.id.getValue(),
        child.task.getTaskId().getValue(), state, message);
    if (!shuttingDown && !child.killingTaskGroup
        && (state == TaskState.TASK_FAILED || state == TaskState.TASK_KILLED)) {
      List<String> group = child.group.getTasksList().stream().map(t -> t.getTaskId().getValue()).toList();
      LOG.info("Killing task group containing tasks {}", group);
      child.killingTaskGroup = true;
      for (TaskInfo other : child.group.getTasksList()) {
        Child sibling = children.get(other.getTaskId());
        if (sibling == null || sibling == child) {
          continue;
        }
        sibling.killingTaskGroup = true;
        if (!sibling.killing) {
          kill(sibling, null);
        }
      }
    }
    children.remove(child.task.getTaskId());
    if (children.isEmpty()) {
      terminate();
    }
  }

  // ---- Kills and shutdown.

  private void killTask(Event.Kill kill) {
    TaskID taskId = kill.getTaskId();
    if (shuttingDown) {
      LOG.warn("Ignoring kill for task {} since the executor is shutting down", taskId.getValue());
      return;
    }
    Child child = children.get(taskId);
    if (child == null) {
      LOG.warn("Ignoring kill for task {} as it is no longer active", taskId.getValue());
      return;
    }
    if (child.killing) {
      LOG.warn("Ignoring kill for task {} as it is in the process of getting killed", taskId.getValue());
      return;
    }
    kill(child, kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod() ? kill.getKillPolicy() : null);
  }

  /** SIGTERM to the task's container, TASK_KILLING, SIGKILL after the grace period. */
  private void kill(Child child, KillPolicy policy) {
    child.killing = true;
    if (child.checks != null) {
      child.checks.pause();
    }
    Duration grace = policy != null ? gracePeriod(policy)
        : child.task.hasKillPolicy() && child.task.getKillPolicy().hasGracePeriod()
            ? gracePeriod(child.task.getKillPolicy()) : DEFAULT_KILL_GRACE_PERIOD;
    LOG.info("Killing task {} running in child container {} with SIGTERM signal, SIGKILL in {} ms",
        child.task.getTaskId().getValue(), child.id.getValue(), grace.toMillis());
    child.escalation = ctx.actor.delay(grace, () -> {
      if (children.get(child.task.getTaskId()) == child) {
        LOG.info("Task {} running in child container {} did not terminate after {} ms, sending SIGKILL",
            child.task.getTaskId().getValue(), child.id.getValue(), grace.toMillis());
        nested.kill(child.id, Signal.KILL);
      }
    });
    if (framework != null && framework.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
      update(child, TaskState.TASK_KILLING, null, null);
    }
    if (child.launched) {
      nested.kill(child.id, Signal.TERM);
    }
  }

  private void shutdown() {
    if (shuttingDown) {
      LOG.warn("Ignoring shutdown since it is in progress");
      return;
    }
    LOG.info("Shutting down {}", ex);
    shuttingDown = true;
    if (children.isEmpty()) {
      terminate();
      return;
    }
    Duration shutdownGrace = ex.info().hasShutdownGracePeriod()
        ? Duration.ofNanos(ex.info().getShutdownGracePeriod().getNanoseconds())
        : ctx.flags.executorShutdownGracePeriod();
    for (Child child : List.copyOf(children.values())) {
      if (!child.killing) {
        Duration grace = child.task.hasKillPolicy() && child.task.getKillPolicy().hasGracePeriod()
            ? gracePeriod(child.task.getKillPolicy()) : DEFAULT_KILL_GRACE_PERIOD;
        kill(child, KillPolicy.newBuilder().setGracePeriod(org.apache.mesos.Protos.DurationInfo.newBuilder()
            .setNanoseconds((grace.compareTo(shutdownGrace) > 0 ? shutdownGrace : grace).toNanos())).build());
      }
    }
  }

  /**
   * No task is left (or the executor cannot go on): the placeholder exits, and the executor with it. A task group
   * that arrives meanwhile is ignored, as by Mesos' executor once it shuts down: the agent reports its tasks when
   * the executor's exit reaches it.
   */
  private void terminate() {
    LOG.info("{} terminating: {}", ex, launchedAny ? "no active task left" : "shut down");
    shuttingDown = true;
    if (process != null) {
      LaunchedProcess placeholder = process;
      endPlaceholder(placeholder, ctx.blocking, PLACEHOLDER_RETRY, PLACEHOLDER_TERMS, () -> {
        LOG.warn("{} placeholder (pid {}) outlived {} SIGTERMs: sending SIGKILL", ex, placeholder.pid(),
            PLACEHOLDER_TERMS);
        placeholderKilled = true;
      });
    }
  }

  /**
   * SIGTERM to the placeholder, again after {@code retry} doubling each time (real time, on {@code blocking})
   * while it runs, and SIGKILL (after {@code onKill}) once {@code terms} of them went unheeded. A TERM can be
   * lost: one that reaches the container's supervisor after its last check and before it started the placeholder
   * is taken by the supervisor's trap, and the placeholder, started just after, never sees it (a launch that
   * fails at once ends the executor that early; 8 times in 300 in a shell emulation of that moment). Every TERM
   * after the first is harmless: the placeholder's trap exits 0.
   */
  static void endPlaceholder(LaunchedProcess placeholder, Executor blocking, Duration retry, int terms,
      Runnable onKill) {
    endPlaceholder(placeholder, blocking, retry.toMillis(), terms, onKill);
  }

  private static void endPlaceholder(LaunchedProcess placeholder, Executor blocking, long delayMillis, int terms,
      Runnable onKill) {
    if (placeholder.onExit().isDone()) {
      return;
    }
    if (terms == 0) {
      onKill.run();
      placeholder.kill(Signal.KILL);
      return;
    }
    placeholder.kill(Signal.TERM);
    CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS, blocking)
        .execute(() -> endPlaceholder(placeholder, blocking, delayMillis * 2, terms - 1, onKill));
  }

  private static Duration gracePeriod(KillPolicy policy) {
    return Duration.ofNanos(policy.getGracePeriod().getNanoseconds());
  }

  // ---- Checks and health checks.

  private void startChecks(Child child, Path sandbox) {
    TaskInfo task = child.task;
    if (!TaskChecks.any(task)) {
      return;
    }
    child.initialCheckStatus = TaskChecks.initialCheckStatus(task);
    Map<String, String> env = new LinkedHashMap<>(NestedContainers.environment(task.getCommand(), sandbox));
    env.put("MESOS_TASK_ID", task.getTaskId().getValue());
    LocalProbes probes = new LocalProbes(env, sandbox.toFile(), LocalProbes.sandboxStderr(sandbox.toFile()),
        EmbeddedCommandExecutor.asUser(ex.container().user()), ctx.blocking);
    child.checks = TaskChecks.start(task, probes, ctx.actor.clock(), ctx.actor,
        health -> healthUpdated(child, health), status -> checkUpdated(child, status),
        error -> LOG.error("{} of task {}", error, task.getTaskId().getValue()));
  }

  private void healthUpdated(Child child, HealthStatus health) {
    if (!isOpen() || child.killing || children.get(child.task.getTaskId()) != child) {
      return;
    }
    LOG.info("Task {} health update: healthy {}", child.task.getTaskId().getValue(), health.healthy());
    send(child, TaskChecks.healthUpdate(child.last, health.healthy()));
    if (health.killTask()) {
      unhealthy = true;
      kill(child, null);
    }
  }

  private void checkUpdated(Child child, CheckStatusInfo status) {
    if (!isOpen() || child.killing || children.get(child.task.getTaskId()) != child) {
      return;
    }
    send(child, TaskChecks.checkUpdate(child.last, status));
  }

  // ---- Status updates.

  private void update(Child child, TaskState state, String message, Boolean healthy) {
    TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(child.task.getTaskId()).setState(state);
    if (message != null) {
      status.setMessage(message);
    }
    if (healthy != null) {
      status.setHealthy(healthy);
    }
    if (child.initialCheckStatus != null) {
      status.setCheckStatus(child.initialCheckStatus);
    }
    send(child, status);
  }

  /** An UPDATE call as the executor library sends it: a fresh uuid, the executor as source, the container. */
  private void send(Child child, TaskStatus.Builder update) {
    child.last = sendUpdate(update);
  }

  /** One task and its child container. */
  private static final class Child {
    final TaskInfo task;
    final TaskGroupInfo group;
    final ContainerID id;
    boolean launched;
    String launchError;
    boolean killing;
    boolean killingTaskGroup;
    Clock.Timer escalation;
    TaskChecks checks;
    CheckStatusInfo initialCheckStatus;
    TaskStatus last;

    Child(TaskInfo task, TaskGroupInfo group, ContainerID id) {
      this.task = task;
      this.group = group;
      this.id = id;
    }

    void stop() {
      ExecutorManager.cancel(escalation);
      if (checks != null) {
        checks.stop();
      }
    }
  }
}
