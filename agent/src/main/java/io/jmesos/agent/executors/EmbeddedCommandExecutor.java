package io.jmesos.agent.executors;

import io.jmesos.actor.Clock;
import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.agent.containers.PosixLauncher;
import io.jmesos.agent.containers.RunAs;
import io.jmesos.executor.CommandArgv;
import io.jmesos.executor.SignalNames;
import io.jmesos.executor.checks.HealthStatus;
import io.jmesos.executor.checks.LocalProbes;
import io.jmesos.executor.checks.TaskChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.KillPolicy;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in command executor played inside the agent ({@code --command_executor=embedded}): the
 * container's process is the task's command itself, and this object stands for the executor on the other
 * end of its event stream. It "subscribes" once the command is forked, and answers the agent's events as
 * jmesos' {@code CommandExecutor} does, by UPDATE calls that go through {@link ExecutorCalls} like those of
 * any HTTP executor: TASK_STARTING and TASK_RUNNING on LAUNCH; on KILL, TASK_KILLING (when the framework
 * can take it), SIGTERM to the command's process tree and SIGKILL to the container once the kill policy's
 * grace period is over on the agent's clock; SHUTDOWN likewise within the executor's shutdown grace period.
 * When the command exits, {@link #exited} sends the terminal update (Mesos' messages, "Command exited with
 * status 3") before the agent treats the container's exit as the executor's. The task's check and health check
 * ({@link TaskChecks}) run from here as the command executor runs them, their timers on the agent's clock and
 * their results on the agent's actor: a check command runs in the sandbox as the task's user, with the task's
 * environment (without the task command's own variables) plus its own; HTTP and TCP checks go to the loopback.
 *
 * <p>Not thread-safe: every method runs on the agent's actor. Process trees are signalled on the blocking
 * pool (finding descendants scans {@code /proc}; a container in cgroups is signalled through them instead).
 */
final class EmbeddedCommandExecutor extends EmbeddedExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCommandExecutor.class);
  /** The command executor's default kill grace period, when neither the kill nor the task sets one. */
  static final Duration DEFAULT_KILL_GRACE_PERIOD = Duration.ofSeconds(3);

  private final AgentContext ctx;
  /** Every process of the command's tree seen so far; touched on the blocking pool only. */
  private final Set<ProcessHandle> tree = new LinkedHashSet<>();

  private LaunchedProcess process;
  private FrameworkInfo framework;
  private TaskInfo task;
  private boolean killed;
  private boolean terminal;
  private Clock.Timer escalation;
  private TaskChecks checks;
  private CheckStatusInfo initialCheckStatus;
  private TaskStatus lastStatus;
  private boolean killedByHealthCheck;

  EmbeddedCommandExecutor(AgentContext ctx, ExecutorCalls calls, ExecutorState ex) {
    super(calls, ex);
    this.ctx = ctx;
  }

  // ---- What the container runs.

  /**
   * The argv of a command task as the command executor runs it: {@code /bin/sh -c value} for a shell command
   * (the default), else the value executed with {@code arguments[1..]} (arguments[0] is argv[0]).
   */
  static List<String> argv(CommandInfo command) {
    return CommandArgv.of(command, "/bin/sh");
  }

  /**
   * The environment the command executor gives its task: its own (the executor's environment), with
   * {@code MESOS_SANDBOX} and {@code MESOS_TASK_ID}, then the task's {@code CommandInfo.environment}
   * (secrets are not supported and left out).
   */
  static Map<String, String> environment(Map<String, String> executorEnvironment, TaskInfo task, Path sandbox) {
    Map<String, String> env = new LinkedHashMap<>(executorEnvironment);
    env.remove("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_TASK_ID", task.getTaskId().getValue());
    if (task.getCommand().hasEnvironment()) {
      for (Environment.Variable v : task.getCommand().getEnvironment().getVariablesList()) {
        if (v.getType() != Environment.Variable.Type.SECRET) {
          env.put(v.getName(), v.getValue());
        }
      }
    }
    return env;
  }

  @Override
  Logger log() {
    return LOG;
  }

  // ---- The executor's life.

  /** The command was forked: subscribe, as the executor would once it started. */
  void forked(LaunchedProcess forked) {
    this.process = forked;
    subscribe();
  }

  /**
   * The agent restarted and found the command still running (or exited meanwhile): this executor takes the task
   * over again, as a command executor reconnecting to its agent would, and subscribes.
   *
   * @param terminal whether the task's terminal update was sent before the restart
   */
  void recovered(LaunchedProcess adopted, TaskInfo recoveredTask, boolean terminal) {
    this.task = recoveredTask;
    this.terminal = terminal;
    this.initialCheckStatus = TaskChecks.initialCheckStatus(recoveredTask);
    forked(adopted);
    if (!terminal) {
      // The checkers died with the previous agent: check again from the start (delay, grace period).
      startChecks();
    }
  }

  /**
   * The container's process exited with the given wait status (null when unknown): sends the task's
   * terminal update, unless one was sent already.
   */
  void exited(Integer status) {
    ExecutorManager.cancel(escalation);
    stopChecks();
    if (task == null || terminal) {
      return;
    }
    String message = "Command " + describe(status);
    TaskState state = killed ? TaskState.TASK_KILLED
        : status != null && status == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED;
    LOG.info("{} (task {}, pid {})", message, task.getTaskId().getValue(), process == null ? -1 : process.pid());
    terminal = true;
    update(state, message);
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
      case LAUNCH:
        launch(event.getLaunch().getTask());
        break;
      case KILL:
        kill(event.getKill());
        break;
      case SHUTDOWN:
        shutdown();
        break;
      default:
        // HEARTBEAT, ACKNOWLEDGED and MESSAGE need no answer; LAUNCH_GROUP never comes to a command executor.
        break;
    }
  }

  @Override
  void closing() {
    stopChecks();
  }

  private void launch(TaskInfo launched) {
    if (task != null) {
      // As the command executor: it runs exactly one task.
      sendUpdate(launched, TaskState.TASK_FAILED, "Attempted to run multiple tasks using a \"command\" executor");
      return;
    }
    task = launched;
    initialCheckStatus = TaskChecks.initialCheckStatus(launched);
    LOG.info("Starting task {} of {} in pid {}", launched.getTaskId().getValue(), ex, process.pid());
    update(TaskState.TASK_STARTING, null);
    // The command is running already: it was the container's first process.
    update(TaskState.TASK_RUNNING, null);
    startChecks();
  }

  // ---- Checks and health checks.

  private void startChecks() {
    if (!TaskChecks.any(task)) {
      return;
    }
    Path sandbox = ex.container().sandbox();
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    env.remove("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_TASK_ID", task.getTaskId().getValue());
    LocalProbes probes = new LocalProbes(env, sandbox.toFile(), LocalProbes.sandboxStderr(sandbox.toFile()),
        asUser(checkUser()), ctx.blocking);
    checks = TaskChecks.start(task, probes, ctx.actor.clock(), ctx.actor, this::taskHealthUpdated,
        this::taskCheckUpdated, error -> LOG.error("{} of task {}", error, task.getTaskId().getValue()));
  }

  /**
   * The user check commands run as: the container's (set at launch under {@code --switch_user}); after an agent
   * restart, which does not restore it, the one the launch picked (the command's user, else the framework's).
   * Null for the agent's own user.
   */
  private String checkUser() {
    String user = ex.container().user();
    if (user != null || !ctx.flags.switchUser()) {
      return user;
    }
    String picked = task.getCommand().hasUser() ? task.getCommand().getUser()
        : framework != null ? framework.getUser() : "";
    return picked.isEmpty() || picked.equals(System.getProperty("user.name")) ? null : picked;
  }

  /**
   * Runs check commands as the task's user (through {@code setpriv}, as the launcher runs the task), the user
   * looked up once, on the blocking pool where commands are started.
   */
  static java.util.function.UnaryOperator<List<String>> asUser(String user) {
    if (user == null) {
      return argv -> argv;
    }
    AtomicReference<RunAs> resolved = new AtomicReference<>();
    return argv -> {
      RunAs runAs = resolved.get();
      if (runAs == null) {
        try {
          runAs = RunAs.lookup(user);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        resolved.set(runAs);
      }
      List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + runAs.uid(),
          "--regid=" + runAs.gid(), "--init-groups", "--"));
      wrapped.addAll(argv);
      return wrapped;
    };
  }

  private void stopChecks() {
    if (checks != null) {
      checks.stop();
    }
  }

  /** A health verdict: sent as an update unless the task is going away; kills the task when it says so. */
  private void taskHealthUpdated(HealthStatus health) {
    if (!isOpen() || killed || terminal) {
      return;
    }
    LOG.info("Task {} health update: healthy {}", task.getTaskId().getValue(), health.healthy());
    send(TaskChecks.healthUpdate(last(), health.healthy()));
    if (health.killTask()) {
      killedByHealthCheck = true;
      kill(killGracePeriod());
    }
  }

  /** A changed check status: sent as an update unless the task is going away. */
  private void taskCheckUpdated(CheckStatusInfo status) {
    if (!isOpen() || killed || terminal) {
      return;
    }
    LOG.info("Task {} check update: {}", task.getTaskId().getValue(), status.toString().replace('\n', ' ').trim());
    send(TaskChecks.checkUpdate(last(), status));
  }

  /** The last update sent about the task (a TASK_RUNNING made afresh after an agent restart). */
  private TaskStatus last() {
    return lastStatus != null ? lastStatus : status(task, TaskState.TASK_RUNNING, null).build();
  }

  private void kill(Event.Kill kill) {
    if (task == null || !task.getTaskId().equals(kill.getTaskId())) {
      LOG.warn("{} ignores the kill of unknown task {}", ex, kill.getTaskId().getValue());
      return;
    }
    Duration grace = kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod()
        ? gracePeriod(kill.getKillPolicy()) : killGracePeriod();
    kill(grace);
  }

  /** Kills the task within the shutdown grace period (the kill's own, when shorter). */
  private void shutdown() {
    LOG.info("Shutting down {}", ex);
    if (task == null) {
      process.kill(Signal.KILL);
      return;
    }
    Duration grace = killGracePeriod();
    Duration shutdownGrace = ex.info().hasShutdownGracePeriod()
        ? Duration.ofNanos(ex.info().getShutdownGracePeriod().getNanoseconds())
        : ctx.flags.executorShutdownGracePeriod();
    kill(grace.compareTo(shutdownGrace) > 0 ? shutdownGrace : grace);
  }

  private void kill(Duration grace) {
    if (terminal || killed) {
      return;
    }
    killed = true;
    if (checks != null) {
      checks.pause();
    }
    if (framework != null && framework.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
      update(TaskState.TASK_KILLING, null);
    }
    LOG.info("Sending SIGTERM to the process tree of task {} (pid {}), SIGKILL in {} ms",
        task.getTaskId().getValue(), process.pid(), grace.toMillis());
    LaunchedProcess target = process;
    ctx.blocking.execute(() -> signalTree(target, Signal.TERM));
    escalation = ctx.actor.delay(grace, () -> {
      if (!terminal) {
        LOG.warn("Task {} did not terminate within {} ms: sending SIGKILL to its container",
            task.getTaskId().getValue(), grace.toMillis());
        ctx.blocking.execute(() -> signalTree(target, Signal.KILL));
        if (!target.killReachesAll()) {
          target.kill(Signal.KILL);
        }
      }
    });
  }

  /**
   * Signals the command's process tree: the container's first process (the supervisor shell that records the
   * command's exit status; it survives SIGTERM to record it) and its descendants, the command and its
   * children, remembered across signals so that children
   * orphaned by the first signal still get the second. The root goes first, so that a shell cannot react to
   * a child's death by starting another one before its own signal arrives. A container in cgroups is signalled
   * through them: they hold the whole tree, orphans included, and no scan of every process is needed.
   */
  private void signalTree(LaunchedProcess target, Signal signal) {
    if (target.killReachesAll()) {
      target.kill(signal);
      return;
    }
    Optional<ProcessHandle> supervisor = ProcessHandle.of(target.pid());
    boolean commandSignalled;
    synchronized (tree) {
      supervisor.ifPresent(root -> {
        tree.add(root);
        root.descendants().forEach(tree::add);
      });
      for (ProcessHandle p : tree) {
        if (p.isAlive()) {
          if (signal == Signal.KILL) {
            p.destroyForcibly();
          } else {
            p.destroy();
          }
        }
      }
      commandSignalled = tree.size() > 1;
    }
    if (signal == Signal.TERM && !commandSignalled && supervisor.isPresent()) {
      List<ProcessHandle> late = PosixLauncher.termLateCommand(supervisor.get(), p -> {
        synchronized (tree) {
          return tree.contains(p);
        }
      });
      synchronized (tree) {
        tree.addAll(late);
      }
    }
  }

  private Duration killGracePeriod() {
    return task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()
        ? gracePeriod(task.getKillPolicy()) : DEFAULT_KILL_GRACE_PERIOD;
  }

  private static Duration gracePeriod(KillPolicy policy) {
    return Duration.ofNanos(policy.getGracePeriod().getNanoseconds());
  }

  private void update(TaskState state, String message) {
    sendUpdate(task, state, message);
  }

  /** A status update made from scratch and sent. */
  private void sendUpdate(TaskInfo about, TaskState state, String message) {
    send(status(about, state, message));
  }

  /**
   * A status update made from scratch: no health verdict, the empty check status of a checked task, except
   * that the terminal update of a task its health check killed says it is unhealthy.
   */
  private TaskStatus.Builder status(TaskInfo about, TaskState state, String message) {
    TaskStatus.Builder status = TaskStatus.newBuilder()
        .setTaskId(about.getTaskId())
        .setState(state);
    if (message != null) {
      status.setMessage(message);
    }
    if (about == task && initialCheckStatus != null) {
      status.setCheckStatus(initialCheckStatus);
    }
    if (about == task && terminal && killed && killedByHealthCheck) {
      status.setHealthy(false);
    }
    return status;
  }

  /** An UPDATE call as the executor driver sends it: a fresh uuid, the executor as source. */
  private void send(TaskStatus.Builder update) {
    TaskStatus status = sendUpdate(update);
    if (task != null && task.getTaskId().equals(status.getTaskId())) {
      lastStatus = status;
    }
  }

  /**
   * A wait status as Mesos words it: {@code "exited with status 3"}, {@code "terminated with signal
   * Killed"}.
   */
  static String describe(Integer status) {
    if (status == null) {
      return "terminated with unknown status";
    }
    int signal = status & 0x7f;
    if (signal != 0 && signal != 0x7f) {
      return "terminated with signal " + SignalNames.of(signal);
    }
    return "exited with status " + ((status >> 8) & 0xff);
  }
}
