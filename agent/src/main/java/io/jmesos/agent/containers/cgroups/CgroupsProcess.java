package io.jmesos.agent.containers.cgroups;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.agent.containers.PosixLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's first process together with its cgroups (Mesos' linux launcher): signals reach every
 * process in the cgroups, not only the descendants still attached to the first one, and the container only
 * counts as exited once the first process exited, whatever it left behind was killed and the cgroups were
 * removed. Thread-safe; the blocking work runs on the given executor.
 */
public final class CgroupsProcess implements LaunchedProcess {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupsProcess.class);

  private final LaunchedProcess process;
  private final ContainerCgroups cgroups;
  private final Executor blocking;
  private final CompletableFuture<Integer> exit;

  /**
   * @param beforeCleanup runs once the first process exited, while the cgroups still exist (the last chance
   *     to read their counters)
   */
  public CgroupsProcess(LaunchedProcess process, ContainerCgroups cgroups, Executor blocking,
      Runnable beforeCleanup) {
    this(process, cgroups, blocking, beforeCleanup, () -> false);
  }

  /**
   * @param beforeCleanup runs once the first process exited, while the cgroups still exist (the last chance
   *     to read their counters)
   * @param detached true once the containerizer let go of its containers (the agent stops and leaves them
   *     running for the next one to recover): an exit seen after that cleans nothing up, for the cgroups
   *     belong to whichever containerizer recovered the container
   */
  public CgroupsProcess(LaunchedProcess process, ContainerCgroups cgroups, Executor blocking,
      Runnable beforeCleanup, BooleanSupplier detached) {
    this.process = Objects.requireNonNull(process);
    this.cgroups = Objects.requireNonNull(cgroups);
    this.blocking = Objects.requireNonNull(blocking);
    // Whatever way the first process's exit is reported (even exceptionally, by a launcher shutting down),
    // the cgroups are destroyed, on the containerizer's threads or, once those are gone (the agent is
    // stopping), on the thread that reports the exit: a skipped destroy is a leaked cgroup.
    this.exit = process.onExit().handleAsync((status, error) -> {
      if (detached.getAsBoolean()) {
        LOG.debug("Pid {} exited after its containerizer detached; leaving cgroups {}", process.pid(), cgroups);
      } else {
        try {
          beforeCleanup.run();
        } catch (RuntimeException e) {
          LOG.warn("Failed to inspect cgroups {} after pid {} exited: {}", cgroups, process.pid(), e.toString());
        }
        destroy();
      }
      if (error != null) {
        throw error instanceof java.util.concurrent.CompletionException c ? c
            : new java.util.concurrent.CompletionException(error);
      }
      return status;
    }, orInline(blocking));
  }

  /** The executor, or the calling thread when the executor no longer accepts work. */
  public static Executor orInline(Executor executor) {
    return task -> {
      try {
        executor.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
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
  public boolean killReachesAll() {
    return true;
  }

  @Override
  public void signalFirst(Signal signal) {
    process.signalFirst(signal);
  }

  /**
   * Signals the first process, then every process in the cgroups. Only the first process: right after the
   * fork it may not have joined its cgroups yet (the launch shell writes its pid to them before it starts
   * anything), and a kill of the cgroups alone would miss it; whatever it starts is born in the cgroups, so no
   * scan of the machine's processes for its descendants is needed.
   */
  @Override
  public void kill(Signal signal) {
    orInline(blocking).execute(() -> {
      process.signalFirst(signal);
      try {
        if (signal == Signal.TERM) {
          Set<Long> signalled = new HashSet<>(Cgroups.terminate(cgroups));
          signalled.add(process.pid());
          if (signalled.size() == 1) {
            // Only the supervisor had started: its command may come right after, and miss the TERM.
            ProcessHandle.of(process.pid()).ifPresent(
                supervisor -> PosixLauncher.termLateCommand(supervisor, p -> signalled.contains(p.pid())));
          }
        } else {
          Cgroups.kill(cgroups);
        }
      } catch (IOException e) {
        if (Files.isDirectory(cgroups.procsDir())) {
          LOG.warn("Failed to signal the processes of cgroups {}: {}", cgroups, e.getMessage());
        } else {
          // The first process exited meanwhile and its cleanup removed the cgroups: nothing left to signal.
          LOG.debug("Cgroups {} were removed while being signalled", cgroups);
        }
      }
    });
  }

  private void destroy() {
    try {
      Cgroups.destroy(cgroups);
    } catch (IOException e) {
      // Nothing more to do than say so: the processes are beyond our reach, and a later agent can retry.
      LOG.error("Failed to destroy cgroups {}: {}", cgroups, e.getMessage());
    }
  }
}
