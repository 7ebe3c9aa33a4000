package io.jmesos.agent.containers;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches containers as plain child processes (Mesos' {@code posix} launcher): no resource isolation, the
 * whole process tree found through {@link ProcessHandle#descendants()} when it is signalled. Exits are
 * observed with {@link Process#onExit()} and reported on this launcher's named thread pool; with a status file
 * in the spec, the first process is a supervisor that also records the exit where a restarted agent finds it
 * (see {@link #argv}).
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
   * cgroups and switched user when the spec asks for it, so that the command's first instruction already runs
   * inside the cgroups and as the user.
   *
   * <p>With a status file, the first process is a supervisor shell ({@link #SUPERVISE}) that writes its own pid
   * to each {@code cgroup.procs} but the command's own ({@link LaunchSpec#commandCgroupProcs}, which the command
   * joins just before its exec), runs the command (through {@code setpriv} when switching user) as its child,
   * and when the command exits records its wait status in the file and exits with the command's exit code
   * (128 + N when signal N killed it, as Java reports a signalled child: the agent sees the same status either
   * way). The supervisor survives SIGTERM (a trap that does nothing, which the command does not inherit) so
   * that a TERM sent to the whole tree ends the command and still gets its status recorded; SIGKILL ends both.
   * Without a status file, a tiny shell joins the cgroups and execs the command ({@link #JOIN_CGROUPS}), or
   * the command is exec'd directly: the first process is the command itself.
   */
  static List<String> argv(LaunchSpec spec) {
    List<String> argv = new ArrayList<>(List.of("setsid", "--wait"));
    if (spec.statusFile() != null) {
      argv.addAll(List.of("sh", "-c", SUPERVISE, "mesos-containerizer", spec.statusFile().toString(),
          String.valueOf(spec.cgroupProcs().size())));
      spec.cgroupProcs().forEach(p -> argv.add(p.toString()));
      argv.add(String.valueOf(spec.commandCgroupProcs().size()));
      spec.commandCgroupProcs().forEach(p -> argv.add(p.toString()));
    } else if (!spec.cgroupProcs().isEmpty() || !spec.commandCgroupProcs().isEmpty()) {
      List<Path> all = new ArrayList<>(spec.cgroupProcs());
      all.addAll(spec.commandCgroupProcs());
      argv.addAll(List.of("sh", "-c", JOIN_CGROUPS, "mesos-containerizer", String.valueOf(all.size())));
      all.forEach(p -> argv.add(p.toString()));
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

  /**
   * The supervisor: {@code $1} the status file, {@code $2} the count of files to write our pid to and the
   * files, then the count of files only the command joins (it writes {@code 0}, itself, to each, in the
   * subshell that then execs it) and the files, then the command. Its
   * variables are prefixed, for an assignment to a variable of the container's environment would change what
   * the command inherits; the command runs in a subshell that execs it, so that a program named like a shell
   * builtin ({@code echo}, {@code kill}) is the program. While the command runs, the shell's own stderr is
   * {@code /dev/null} and the command gets the real one (through fd 3, closed before the exec): a shell reports
   * a child killed by a signal ("Terminated"), which would otherwise land in the task's stderr (or, were that
   * a closed pipe, kill the supervisor with SIGPIPE). A TERM received before the command starts ends the
   * supervisor before it runs it, as it would have ended the command. The status is written by the shell's
   * builtin {@code echo}, one small write and no process forked (a container's exit used to cost an
   * {@code mv} process): the file is only read once the supervisor is gone, so it holds the whole status or,
   * when SIGKILL came between the open and the write, nothing, which reads as an unknown status, as when the
   * supervisor is killed before it records one.
   */
  static final String SUPERVISE = "_jm_done() { "
      + "if [ \"$1\" -gt 128 ] && [ \"$1\" -lt 193 ]; then _jm_w=$(($1 - 128)); else _jm_w=$(($1 * 256)); fi; "
      + "{ echo \"$_jm_w\" > \"$_jm_f\"; } 2>/dev/null; "
      + "exit \"$1\"; }; "
      + "_jm_f=$1; _jm_n=$2; shift 2; _jm_t=; trap _jm_t=1 TERM; "
      + "while [ \"$_jm_n\" -gt 0 ]; do echo $$ > \"$1\" || _jm_done 127; _jm_n=$((_jm_n - 1)); shift; done; "
      + "_jm_m=$1; shift; [ -z \"$_jm_t\" ] || _jm_done 143; "
      + "{ (while [ \"$_jm_m\" -gt 0 ]; do echo 0 > \"$1\" 2>&3 || exit 127; _jm_m=$((_jm_m - 1)); shift; done; "
      + "exec \"$@\" 2>&3 3>&-); _jm_s=$?; } 3>&2 2>/dev/null; _jm_done \"$_jm_s\"";

  @Override
  public void close() {
    waiters.shutdown();
  }

  /**
   * Sends the signal to the process and every descendant. The tree is collected first: once the parent dies
   * its children are re-parented and lost to us. The root is signalled first, so that it cannot start new
   * children in reaction to losing the ones signalled. A handle only signals the process it was taken for,
   * never a later one under the same pid.
   */
  static void signalTree(ProcessHandle root, Signal signal) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    for (ProcessHandle handle : tree) {
      if (signal == Signal.KILL) {
        handle.destroyForcibly();
      } else {
        handle.destroy();
      }
    }
  }

  /** How long {@link #termLateCommand} waits for a supervisor to start its command. */
  static final Duration LATE_COMMAND_WAIT = Duration.ofSeconds(2);

  /**
   * After a SIGTERM that reached a container's supervisor and none of its children (it had none yet: the
   * container was killed right after its launch), sends SIGTERM to the command once the supervisor starts it: a
   * TERM that lands after the supervisor's last check and before its fork is taken by its trap, and the command,
   * started just after, would never see it (then only the kill's SIGKILL escalation would end it). Waits, on the
   * calling thread, until the supervisor has a child that {@code signalled} does not hold, exits, or
   * {@link #LATE_COMMAND_WAIT} passed; polls every 5 ms. Returns the processes it signalled. Blocking.
   */
  public static List<ProcessHandle> termLateCommand(ProcessHandle supervisor, Predicate<ProcessHandle> signalled) {
    long deadline = System.nanoTime() + LATE_COMMAND_WAIT.toNanos();
    while (supervisor.isAlive() && System.nanoTime() < deadline) {
      List<ProcessHandle> fresh = supervisor.children().filter(signalled.negate()).toList();
      if (!fresh.isEmpty()) {
        List<ProcessHandle> sent = new ArrayList<>();
        for (ProcessHandle child : fresh) {
          sent.add(child);
          child.descendants().forEach(sent::add);
        }
        sent.forEach(ProcessHandle::destroy);
        LOG.debug("Sent SIGTERM to the command {} that supervisor {} started after the container's kill",
            fresh, supervisor.pid());
        return sent;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return List.of();
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
      signalTree(process.toHandle(), signal);
    }

    @Override
    public void signalFirst(Signal signal) {
      if (signal == Signal.KILL) {
        process.destroyForcibly();
      } else {
        process.destroy();
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
