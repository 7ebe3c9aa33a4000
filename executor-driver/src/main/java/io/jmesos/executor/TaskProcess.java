package io.jmesos.executor;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.mesos.Protos.CommandInfo;

/**
 * One command task's process tree: started from a {@link CommandInfo}, waited for on a named reaper thread,
 * and signalled as a tree (the process and every descendant, remembered across the signals so that children
 * orphaned by the first signal still receive the second).
 *
 * <p>Thread-safe: signalling and waiting may happen on different threads.
 */
final class TaskProcess {
  private final Process process;
  private final Set<ProcessHandle> tree = new LinkedHashSet<>(); // Guarded by itself.

  private TaskProcess(Process process) {
    this.process = process;
  }

  /**
   * Starts {@code command} in {@code workDir} with exactly {@code environment}: {@code /bin/sh -c value} when
   * {@code shell} (the default), else {@code value} executed with {@code arguments[1..]} (arguments[0] is argv[0],
   * which Java cannot set). Standard output and error are inherited; standard input is /dev/null.
   */
  static TaskProcess start(CommandInfo command, Map<String, String> environment, File workDir) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(CommandArgv.of(command, "/bin/sh"))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    if (workDir != null) {
      builder.directory(workDir);
    }
    builder.environment().clear();
    builder.environment().putAll(environment);
    return new TaskProcess(builder.start());
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the exit on a new thread named {@code threadName}, then calls {@code onExit} with the status. */
  void onExit(String threadName, IntConsumer onExit) {
    Thread reaper = new Thread(() -> {
      int status;
      try {
        status = process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      onExit.accept(status);
    }, threadName);
    reaper.setDaemon(true);
    reaper.start();
  }

  /** Sends SIGTERM to the process and its descendants. */
  void terminate() {
    for (ProcessHandle p : snapshot()) {
      p.destroy();
    }
  }

  /** Sends SIGKILL to the process and every descendant seen so far. */
  void kill() {
    for (ProcessHandle p : snapshot()) {
      p.destroyForcibly();
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The task's process and every descendant seen so far, root first. The whole tree is captured before
   * anything is signalled (a child whose parent dies is re-parented and no longer found through it), and
   * the root is signalled first, so that a shell cannot react to a child's death by starting another one
   * before its own signal arrives.
   */
  private List<ProcessHandle> snapshot() {
    synchronized (tree) {
      ProcessHandle root = process.toHandle();
      tree.add(root);
      root.descendants().forEach(tree::add);
      List<ProcessHandle> alive = new ArrayList<>();
      for (ProcessHandle p : tree) {
        if (p.isAlive()) {
          alive.add(p);
        }
      }
      return alive;
    }
  }

  /**
   * Describes an exit status as Mesos does ({@code "exited with status 3"}, {@code "terminated with signal
   * Killed"}). Java reports death by signal N as status 128 + N, which is how those are recognised.
   */
  static String describe(int status) {
    if (status > 128 && status < 128 + 32) {
      return "terminated with signal " + SignalNames.of(status - 128);
    }
    return "exited with status " + status;
  }
}
