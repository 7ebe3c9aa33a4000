package io.jmesos.agent.containers;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Starts and stops the process tree of a container. The posix launcher forks a plain child process; a
 * cgroups launcher will also place it in its cgroups. Implementations are thread-safe; {@link #launch} may
 * block briefly (fork/exec) and is therefore called off the agent's actor.
 */
public interface Launcher {

  /** Starts the container's first process. */
  LaunchedProcess launch(LaunchSpec spec) throws IOException;

  /** Signals the launcher can deliver to a container's processes. */
  enum Signal {
    /** Ask politely (SIGTERM). */
    TERM,
    /** Stop now (SIGKILL). */
    KILL
  }

  /** A running (or exited) container process. Thread-safe. */
  interface LaunchedProcess {
    long pid();

    /**
     * Completes with the wait status Mesos reports (exit code shifted left by 8, or the signal number when
     * killed by a signal) once the process exits. Completes on a launcher thread, never on the caller's.
     */
    CompletableFuture<Integer> onExit();

    /** Sends the signal to the process and every descendant; harmless after exit. */
    void kill(Signal signal);
  }
}
