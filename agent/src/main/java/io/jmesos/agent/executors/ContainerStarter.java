package io.jmesos.agent.executors;

import io.jmesos.agent.containers.Container;
import io.jmesos.agent.containers.LaunchSpec;
import io.jmesos.agent.containers.Limitation;
import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkInfo;

/**
 * Starts an executor's container: prepares the launch on the actor (argv, environment, sandbox paths, the
 * user to run as, the cgroups), then creates the sandbox and has the containerizer launch it on the blocking
 * pool, and hands the result back to the actor.
 */
final class ContainerStarter {
  private final ExecutorManager manager;

  ContainerStarter(ExecutorManager manager) {
    this.manager = manager;
  }

  void start(ExecutorState ex, FrameworkInfo framework) {
    AgentContext ctx = manager.ctx;
    Container container = ex.container();
    Path sandbox = container.sandbox();
    List<String> argv = ex.isCommandExecutor()
        ? ctx.commandExecutorCommand : CommandExecutors.argv(ex.info().getCommand());
    Map<String, String> env = ExecutorEnvironment.of(System.getenv(), ex.info(), ctx.slaveId(), ctx.endpoint,
        ctx.pid, sandbox, framework.getCheckpoint(), ctx.flags.executorShutdownGracePeriod());
    LaunchSpec spec = new LaunchSpec(argv, env, sandbox, sandbox.resolve("stdout"), sandbox.resolve("stderr"));
    container.setUser(user(ctx, ex, framework));
    container.setCgroups(ctx.containerizer.cgroupsFor(container.id()));
    Resources resources = container.resources();
    CompletableFuture
        .supplyAsync(() -> fork(ctx, container, spec, resources,
            limitation -> ctx.actor.execute(() -> manager.limited(ex, limitation))), ctx.blocking)
        .whenCompleteAsync((process, error) -> manager.launched(ex, process, unwrap(error), resources), ctx.actor);
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

  private static LaunchedProcess fork(AgentContext ctx, Container container, LaunchSpec spec, Resources resources,
      Consumer<Limitation> onLimitation) {
    try {
      Files.createDirectories(spec.workingDirectory());
      touch(spec.stdout());
      touch(spec.stderr());
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
}
