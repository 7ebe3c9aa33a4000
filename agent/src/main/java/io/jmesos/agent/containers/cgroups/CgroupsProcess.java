package io.jmesos.agent.containers.cgroups;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
    this.process = Objects.requireNonNull(process);
    this.cgroups = Objects.requireNonNull(cgroups);
    this.blocking = Objects.requireNonNull(blocking);
    this.exit = process.onExit().thenApplyAsync(status -> {
      try {
        beforeCleanup.run();
      } catch (RuntimeException e) {
        LOG.warn("Failed to inspect cgroups {} after pid {} exited: {}", cgroups, process.pid(), e.toString());
      }
      destroy();
      return status;
    }, blocking);
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
    blocking.execute(() -> {
      try {
        if (signal == Signal.TERM) {
          Cgroups.terminate(cgroups);
        } else {
          Cgroups.kill(cgroups);
        }
      } catch (IOException e) {
        LOG.warn("Failed to signal the processes of cgroups {}: {}", cgroups, e.getMessage());
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
