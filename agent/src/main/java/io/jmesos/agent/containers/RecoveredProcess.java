package io.jmesos.agent.containers;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first process of a container that a restarted agent recovered: one still running (adopted), or one
 * found gone. An adopted process is not a child of this JVM, so nothing tells it when it exits: the
 * containerizer's watcher {@link #poll}s it, and the wait status is then read from the container's status file
 * (written by its supervisor), null when there is none. Signals reach the process and its descendants, and
 * only while the checkpointed process (same pid, start time and boot) still runs, never a process that reused
 * its pid.
 *
 * <p>Thread-safe.
 */
final class RecoveredProcess implements LaunchedProcess {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveredProcess.class);

  /** Reads the wait status recorded for the process; null when none was. */
  @FunctionalInterface
  interface StatusReader {
    Integer read() throws IOException;
  }

  private final String containerId;
  private final ProcessIdentity identity;
  private final StatusReader status;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private RecoveredProcess(String containerId, ProcessIdentity identity, StatusReader status) {
    this.containerId = containerId;
    this.identity = identity;
    this.status = status;
  }

  /** A process that still runs: its exit is found by {@link #poll}. */
  static RecoveredProcess adopted(String containerId, ProcessIdentity identity, StatusReader status) {
    return new RecoveredProcess(containerId, identity, status);
  }

  /** A process that is gone already: its exit is complete, with the status (or null). */
  static RecoveredProcess exited(String containerId, long pid, Integer status) {
    RecoveredProcess process = new RecoveredProcess(containerId, new ProcessIdentity(pid, -1, ""), () -> status);
    process.exit.complete(status);
    return process;
  }

  @Override
  public long pid() {
    return identity.pid();
  }

  @Override
  public CompletableFuture<Integer> onExit() {
    return exit;
  }

  @Override
  public void kill(Signal signal) {
    if (!exit.isDone()) {
      signal(identity, signal);
    }
  }

  @Override
  public void signalFirst(Signal signal) {
    if (!exit.isDone()) {
      // As in signal(): the handle first, then the check.
      ProcessHandle.of(identity.pid()).ifPresent(root -> {
        if (identity.alive()) {
          if (signal == Signal.KILL) {
            root.destroyForcibly();
          } else {
            root.destroy();
          }
        }
      });
    }
  }

  /** Signals the process and its descendants when the process is the one identified, never another. */
  static void signal(ProcessIdentity identity, Signal signal) {
    // The handle first, then the check: the handle is bound to the process running under the pid when it was
    // taken, which the check then shows to be the identified one.
    ProcessHandle.of(identity.pid()).ifPresent(root -> {
      if (identity.alive()) {
        PosixLauncher.signalTree(root, signal);
      }
    });
  }

  /**
   * Completes the exit, with the recorded status, once the process is gone. Returns whether it has exited.
   * Called by one thread at a time (the containerizer's watcher).
   */
  boolean poll() {
    if (exit.isDone()) {
      return true;
    }
    if (identity.alive()) {
      return false;
    }
    Integer recorded;
    try {
      recorded = status.read();
    } catch (IOException e) {
      LOG.warn("Cannot read the exit status of container {} (pid {}): {}", containerId, identity.pid(),
          e.getMessage());
      recorded = null;
    }
    LOG.info("Recovered container {} (pid {}) exited with status {}", containerId, identity.pid(), recorded);
    exit.complete(recorded);
    return true;
  }
}
