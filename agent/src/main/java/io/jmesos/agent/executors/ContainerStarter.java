package io.jmesos.agent.executors;

import io.jmesos.agent.containers.Container;
import io.jmesos.agent.containers.LaunchSpec;
import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.FrameworkInfo;

/**
 * Starts an executor's container: prepares the launch on the actor (argv, environment, sandbox paths), then
 * creates the sandbox and forks on the blocking pool, and hands the result back to the actor.
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
    CompletableFuture
        .supplyAsync(() -> fork(ctx, spec), ctx.blocking)
        .whenCompleteAsync((process, error) -> manager.launched(ex, process, unwrap(error)), ctx.actor);
  }

  private static LaunchedProcess fork(AgentContext ctx, LaunchSpec spec) {
    try {
      Files.createDirectories(spec.workingDirectory());
      touch(spec.stdout());
      touch(spec.stderr());
      return ctx.launcher.launch(spec);
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
