package io.jmesos.agent.containers;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.agent.containers.cgroups.CgroupsProcess;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container without cgroups (posix isolation) whose first process leads a session of its own (the launcher
 * starts it under {@code setsid}): the container only counts as exited once its first process exited and
 * whatever was left in its session was killed, as Mesos' posix launcher destroys a container's session. A
 * process tree's snapshot can miss a child forked just before a kill (a command that forks right as it is
 * signalled), and that child would otherwise outlive its container. Thread-safe; the session's kill (a scan
 * of {@code /proc}) runs on the given executor.
 */
public final class SessionProcess implements LaunchedProcess {
  private static final Logger LOG = LoggerFactory.getLogger(SessionProcess.class);

  private final LaunchedProcess process;
  private final Executor blocking;
  private final CompletableFuture<Integer> exit;

  public SessionProcess(LaunchedProcess process, Executor blocking) {
    this.process = Objects.requireNonNull(process);
    this.blocking = Objects.requireNonNull(blocking);
    this.exit = process.onExit().handleAsync((status, error) -> {
      killSession(process.pid());
      if (error != null) {
        throw error instanceof CompletionException c ? c : new CompletionException(error);
      }
      return status;
    }, CgroupsProcess.orInline(blocking));
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public CompletableFuture<Integer> onExit() {
    return exit;
  }

  /** Signals the process tree; a SIGKILL also reaches the rest of the session, orphans included. */
  @Override
  public void kill(Signal signal) {
    process.kill(signal);
    if (signal == Signal.KILL && !process.onExit().isDone()) {
      long sid = process.pid();
      CgroupsProcess.orInline(blocking).execute(() -> killSession(sid));
    }
  }

  @Override
  public void signalFirst(Signal signal) {
    process.signalFirst(signal);
  }

  /**
   * SIGKILL to every process of the session {@code sid}, found in {@code /proc} (field 6 of each
   * {@code stat}). Blocking.
   */
  static void killSession(long sid) {
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          String stat = Files.readString(proc.resolve("stat"));
          // After "pid (comm) ": state, ppid, pgrp, session, ...
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(fields[3]) == sid) {
            long pid = Long.parseLong(proc.getFileName().toString());
            ProcessHandle.of(pid).ifPresent(p -> {
              if (p.destroyForcibly()) {
                LOG.debug("Killed pid {} left in session {}", pid, sid);
              }
            });
          }
        } catch (IOException | RuntimeException e) {
          // Gone meanwhile, or not ours to read.
        }
      }
    } catch (IOException e) {
      LOG.warn("Failed to list /proc to kill session {}: {}", sid, e.toString());
    }
  }
}
