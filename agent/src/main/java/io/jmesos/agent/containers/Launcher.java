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
     * killed by a signal) once the process exits, or with null when the status is unknown: a process a
     * restarted agent recovered (see {@link Containerizer#recover}) whose supervisor was killed before it could
     * record the status, or that the agent found gone without a record (a reboot, a launch the agent did not
     * see through). Completes on a launcher or containerizer thread, never on the caller's; the future of a
     * recovered process that had exited already is complete when it is handed out.
     */
    CompletableFuture<Integer> onExit();

    /** Sends the signal to the process and every descendant; harmless after exit. */
    void kill(Signal signal);

    /** Sends the signal to the first process only, not to its descendants; harmless after exit. */
    void signalFirst(Signal signal);

    /**
     * Whether {@link #kill} reaches every process of the container however it was re-parented (the container's
     * cgroups hold them all), so that a caller need not collect the process tree itself (a scan of every
     * process on the machine).
     */
    default boolean killReachesAll() {
      return false;
    }
  }
}
