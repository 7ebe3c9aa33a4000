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
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkInfo;

/**
 * Starts an executor's container: prepares the launch on the actor (argv, environment, sandbox paths), then
 * on the blocking pool creates the sandbox, attaches it to {@code /files}, fetches the executor's URIs into
 * it and forks, and hands the result back to the actor.
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
    CommandExecutorArchive.Launch launch = ex.isCommandExecutor()
        ? ctx.sandboxes.archive.next(ctx.commandExecutorCommand)
        : new CommandExecutorArchive.Launch(CommandExecutors.argv(ex.info().getCommand()), false);
    List<String> argv = launch.argv;
    Map<String, String> env = ExecutorEnvironment.of(System.getenv(), ex.info(), ctx.slaveId(), ctx.endpoint,
        ctx.pid, sandbox, framework.getCheckpoint(), ctx.flags.executorShutdownGracePeriod());
    LaunchSpec spec = new LaunchSpec(argv, env, sandbox, sandbox.resolve("stdout"), sandbox.resolve("stderr"));
    List<CommandInfo.URI> uris = ex.info().getCommand().getUrisList();
    String latest = SandboxServices.latestRunPath(ex.frameworkId(), ex.id());
    CompletableFuture
        .supplyAsync(() -> {
          prepare(ctx.sandboxes, container, spec, latest, uris);
          return fork(ctx, spec);
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
        .whenCompleteAsync((process, error) -> manager.launched(ex, process, unwrap(error)), ctx.actor);
  }

  /**
   * Creates the sandbox with its {@code stdout} and {@code stderr} and the {@code runs/latest} link, attaches
   * it to {@code /files} (under its own path and the executor's {@code latest} virtual path), then fetches
   * the URIs into it; a failed fetch fails the launch.
   */
  private static void prepare(SandboxServices services, Container container, LaunchSpec spec, String latest,
      List<CommandInfo.URI> uris) {
    Path sandbox = spec.workingDirectory();
    try {
      Files.createDirectories(sandbox);
      touch(spec.stdout());
      touch(spec.stderr());
      Path link = sandbox.resolveSibling("latest");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, sandbox.getFileName());
      services.files.attach(sandbox, sandbox.toString());
      services.files.attach(sandbox, latest);
      services.fetcher.fetch(container.id(), uris, sandbox, spec.stderr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LaunchedProcess fork(AgentContext ctx, LaunchSpec spec) {
    try {
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
