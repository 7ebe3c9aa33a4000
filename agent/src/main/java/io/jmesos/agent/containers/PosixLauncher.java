package io.jmesos.agent.containers;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches containers as plain child processes (Mesos' {@code posix} launcher): no resource isolation, the
 * whole process tree found through {@link ProcessHandle#descendants()} when it is signalled. Exits are
 * observed with {@link Process#onExit()} and reported on this launcher's named thread pool.
 *
 * <p>Thread-safe.
 */
public final class PosixLauncher implements Launcher, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PosixLauncher.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ExecutorService waiters = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "posix-launcher-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  @Override
  public LaunchedProcess launch(LaunchSpec spec) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv(spec))
        .directory(spec.workingDirectory().toFile())
        .redirectInput(Redirect.from(nullDevice()))
        .redirectOutput(Redirect.appendTo(spec.stdout().toFile()))
        .redirectError(Redirect.appendTo(spec.stderr().toFile()));
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(spec.environment());
    Process process = builder.start();
    LOG.debug("Launched {} as pid {}", spec.command(), process.pid());
    return new PosixProcess(process, waiters);
  }

  /**
   * The argv that starts the command in a session of its own ({@code setsid}), after the process joined its
   * cgroups and switched user when the spec asks for it: a tiny shell writes its own pid to each
   * {@code cgroup.procs} and then execs (through {@code setpriv} when switching user) the command, so the
   * command's first instruction already runs inside the cgroups.
   */
  static List<String> argv(LaunchSpec spec) {
    List<String> argv = new ArrayList<>(List.of("setsid", "--wait"));
    if (!spec.cgroupProcs().isEmpty()) {
      argv.addAll(List.of("sh", "-c", JOIN_CGROUPS, "mesos-containerizer", String.valueOf(spec.cgroupProcs().size())));
      spec.cgroupProcs().forEach(p -> argv.add(p.toString()));
    }
    RunAs user = spec.user();
    if (user != null) {
      argv.addAll(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups", "--"));
    }
    argv.addAll(spec.command());
    return argv;
  }

  /** {@code $1} files to write our pid to, then the command to exec. */
  private static final String JOIN_CGROUPS = "n=$1; shift; while [ \"$n\" -gt 0 ]; do "
      + "echo $$ > \"$1\" || exit 127; n=$((n - 1)); shift; done; exec \"$@\"";

  @Override
  public void close() {
    waiters.shutdown();
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }

  /** A child process and its descendants. */
  private static final class PosixProcess implements LaunchedProcess {
    private final Process process;
    private final CompletableFuture<Integer> exit;

    PosixProcess(Process process, ExecutorService waiters) {
      this.process = process;
      // Once the launcher is closed (the agent is stopping) the exit is still reported, on the JDK's thread.
      this.exit = process.onExit().thenApplyAsync(p -> waitStatus(p.exitValue()),
          io.jmesos.agent.containers.cgroups.CgroupsProcess.orInline(waiters));
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
      return exit;
    }

    @Override
    public void kill(Signal signal) {
      // Collect the tree first: once the parent dies its children are re-parented and lost to us. Signal
      // the root first, so that it cannot start new children in reaction to losing the ones signalled.
      List<ProcessHandle> tree = new ArrayList<>();
      tree.add(process.toHandle());
      process.toHandle().descendants().forEach(tree::add);
      for (ProcessHandle handle : tree) {
        if (signal == Signal.KILL) {
          handle.destroyForcibly();
        } else {
          handle.destroy();
        }
      }
    }

    /** Java reports a death by signal N as 128 + N; Mesos reports the raw wait status. */
    private static int waitStatus(int exitValue) {
      if (exitValue > 128 && exitValue < 128 + 65) {
        return exitValue - 128;
      }
      return (exitValue & 0xff) << 8;
    }
  }
}
