package io.jmesos.agent.executors;

import io.jmesos.agent.containers.Container;
import io.jmesos.agent.containers.LaunchSpec;
import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Limitation;
import io.jmesos.agent.resources.PersistentVolumes;
import io.jmesos.resources.Resources;
import io.jmesos.security.authz.Action;
import io.jmesos.security.authz.AuthorizationObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.TaskInfo;

/**
 * Starts an executor's container: prepares the launch on the actor (argv, environment, sandbox paths, the
 * user to run as, the cgroups), then on the blocking pool creates the sandbox, attaches it to {@code /files},
 * fetches the executor's URIs into it, links its persistent volumes into it and has the containerizer launch it,
 * and hands the result back to the actor. Volumes that tasks bring or take later are relinked on the blocking pool.
 */
final class ContainerStarter {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContainerStarter.class);

  private final ExecutorManager manager;

  ContainerStarter(ExecutorManager manager) {
    this.manager = manager;
  }

  void start(ExecutorState ex, FrameworkInfo framework) {
    AgentContext ctx = manager.ctx;
    Container container = ex.container();
    Path sandbox = container.sandbox();
    Map<String, String> env = ExecutorEnvironment.of(ctx.environment, ex.info(), ctx.slaveId(), ctx.endpoint,
        ctx.pid, sandbox, framework.getCheckpoint(), ctx.flags.executorShutdownGracePeriod());
    if (framework.getCheckpoint()) {
      // How long the executor waits for a restarted agent before it gives up: the agent's --recovery_timeout.
      env = new java.util.LinkedHashMap<>(env);
      env.put("MESOS_RECOVERY_TIMEOUT", io.jmesos.flags.Durations.format(ctx.flags.recoveryTimeout()));
      // Mesos gives executors --executor_reregistration_timeout as their maximum backoff, so that a random retry
      // can land just after the agent gave up on them; half of it leaves every executor two chances.
      env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX",
          io.jmesos.flags.Durations.format(ctx.flags.executorReregistrationTimeout().dividedBy(2)));
    }
    String token = ctx.executorToken(ex.frameworkId(), ex.id(), container.id());
    if (token != null && ex.embedded == null && ex.defaultExecutor == null) {
      // Mesos' agent gives every executor it launches a token naming it; the executor library presents it as
      // `Authorization: Bearer`. The embedded command executor runs inside the agent and needs none.
      env = new java.util.LinkedHashMap<>(env);
      env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", token);
    }
    CommandExecutorArchive.Launch launch;
    if (ex.embedded != null) {
      // The task's command, with the environment the command executor would give it.
      TaskInfo task = ex.queuedTasks().get(0);
      launch = new CommandExecutorArchive.Launch(EmbeddedCommandExecutor.argv(task.getCommand()), false);
      env = EmbeddedCommandExecutor.environment(env, task, sandbox);
    } else if (ex.defaultExecutor != null) {
      // The default executor runs in the agent: its container holds a placeholder, its tasks nested containers.
      launch = new CommandExecutorArchive.Launch(EmbeddedDefaultExecutor.PLACEHOLDER, false);
    } else if (ex.isCommandExecutor()) {
      launch = ctx.sandboxes.archive.next(ctx.commandExecutorCommand);
    } else {
      launch = new CommandExecutorArchive.Launch(CommandExecutors.argv(ex.info().getCommand()), false);
    }
    List<String> argv = launch.argv;
    LaunchSpec spec = new LaunchSpec(argv, env, sandbox, sandbox.resolve("stdout"), sandbox.resolve("stderr"));
    List<CommandInfo.URI> uris = ex.info().getCommand().getUrisList();
    String latest = SandboxServices.latestRunPath(ex.frameworkId(), ex.id());
    container.setUser(user(ctx, ex, framework));
    container.setCgroups(ctx.containerizer.cgroupsFor(container.id()));
    Resources resources = container.resources();
    container.onVolumesChanged((before, after) -> ctx.blocking.execute(() -> relinkVolumes(ctx, container, before,
        after)));
    CompletableFuture
        .supplyAsync(() -> {
          prepare(ctx.sandboxes, container, spec, latest, uris, sandboxReaders(ctx.sandboxes, ex, framework));
          linkVolumes(ctx, spec.workingDirectory(), resources);
          return fork(ctx, container, spec, resources,
              limitation -> ctx.actor.execute(() -> manager.launches.limited(ex, limitation)));
        }, ctx.blocking)
        .whenComplete((process, error) -> {
          if (launch.dumps) {
            if (error != null) {
              ctx.sandboxes.archive.dumpFailed();
            } else {
              process.onExit().whenComplete((status, e) -> ctx.sandboxes.archive.dumperExited());
            }
          }
        })
        .whenCompleteAsync((process, error) -> manager.launches.launched(ex, process, unwrap(error), resources),
            ctx.actor);
  }

  /**
   * The user the executor runs as under {@code --switch_user}, as Mesos picks it: the command's user, else
   * the framework's (for a command task, its task's command counts). Null, the agent's own user, without
   * {@code --switch_user}, for an empty user or when it is the agent's user already.
   */
  static String user(AgentContext ctx, ExecutorState ex, FrameworkInfo framework) {
    if (!ctx.flags.switchUser()) {
      return null;
    }
    CommandInfo command = ex.info().getCommand();
    if (ex.isCommandExecutor() && !ex.queuedTasks().isEmpty()) {
      command = ex.queuedTasks().get(0).getCommand();
    }
    String user = command.hasUser() ? command.getUser() : framework.getUser();
    if (user.isEmpty() || user.equals(System.getProperty("user.name"))) {
      return null;
    }
    return user;
  }

  /**
   * Creates the sandbox with its {@code stdout} and {@code stderr} and the {@code runs/latest} link, attaches
   * it to {@code /files} (under its own path and the executor's {@code latest} virtual path, readable by
   * {@code readers}), then fetches
   * the URIs into it; a failed fetch fails the launch.
   */
  private static void prepare(SandboxServices services, Container container, LaunchSpec spec, String latest,
      List<CommandInfo.URI> uris, Predicate<Optional<String>> readers) {
    Path sandbox = spec.workingDirectory();
    try {
      Files.createDirectories(sandbox);
      touch(spec.stdout());
      touch(spec.stderr());
      Path link = sandbox.resolveSibling("latest");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, sandbox.getFileName());
      services.files.attach(sandbox, sandbox.toString(), readers);
      services.files.attach(sandbox, latest, readers);
      services.fetcher.fetch(container.id(), uris, sandbox, spec.stderr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Links the container's persistent volumes into its sandbox (Mesos' posix filesystem isolator). */
  private static void linkVolumes(AgentContext ctx, Path sandbox, Resources resources) {
    try {
      PersistentVolumes.link(ctx.flags.workDir(), sandbox, Resources.empty(), resources);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A task brought or took a persistent volume: the sandbox's links follow. On the blocking pool. */
  private static void relinkVolumes(AgentContext ctx, Container container, Resources before, Resources after) {
    try {
      PersistentVolumes.link(ctx.flags.workDir(), container.sandbox(), before, after);
    } catch (IOException e) {
      LOG.warn("Failed to update the persistent volumes of container {}: {}", container.id().getValue(),
          e.getMessage());
    }
  }

  private static LaunchedProcess fork(AgentContext ctx, Container container, LaunchSpec spec, Resources resources,
      Consumer<Limitation> onLimitation) {
    try {
      return ctx.containerizer.launch(container, spec, resources, onLimitation);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void touch(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof java.util.concurrent.CompletionException || e instanceof UncheckedIOException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /**
   * Who may read the executor's sandbox: the access_sandboxes ACLs, by the executor's command user or else the
   * framework's, as Mesos' agent attaches sandboxes. The authorizer is pure, so it answers on the caller's thread.
   */
  private static Predicate<Optional<String>> sandboxReaders(SandboxServices services, ExecutorState ex,
      FrameworkInfo framework) {
    AuthorizationObject object = AuthorizationObject.executor(ex.info(), framework);
    return principal -> services.authorizer.authorized(Action.ACCESS_SANDBOX, principal, object);
  }
}
