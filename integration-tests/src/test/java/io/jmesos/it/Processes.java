package io.jmesos.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the real bin/ scripts as processes for multi-process tests, and cleans up after them. */
final class Processes implements AutoCloseable {
  private final Path root;
  private final Path logs;
  private final List<Process> started = new ArrayList<>();

  Processes(Path logs) throws IOException {
    String prop = System.getProperty("jmesos.root");
    this.root = (prop != null ? Paths.get(prop) : Paths.get("..")).toAbsolutePath().normalize();
    this.logs = Files.createDirectories(logs);
  }

  Path root() {
    return root;
  }

  /** Starts {@code bin/<script> args...} with stdout and stderr in {@code <logs>/<logName>.log}. */
  Process start(String logName, String script, String... args) throws IOException {
    return start(logName, Map.of(), script, args);
  }

  /** As {@link #start(String, String, String...)}, with {@code env} added to this process' environment. */
  Process start(String logName, Map<String, String> env, String script, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin").resolve(script).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(logs.resolve(logName + ".log").toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    started.add(p);
    return p;
  }

  String log(String logName) throws IOException {
    Path file = logs.resolve(logName + ".log");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** The last {@code lines} lines of {@code <logs>/<logName>.log}, for diagnostics. */
  String tail(String logName, int lines) throws IOException {
    List<String> all = List.of(log(logName).split("\n", -1));
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Sends {@code signal} (a name such as {@code STOP} or {@code CONT}) to {@code pid} with {@code kill(1)};
   * fails unless kill exits 0.
   */
  static void signal(long pid, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
        .redirectErrorStream(true)
        .start();
    String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + pid + " failed: " + output.strip());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** Kills {@code p} and everything it started, hard, like a crash. */
  static void kill9(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops every started process: SIGTERM to each tree, then SIGKILL to what is still alive after 15s. */
  @Override
  public void close() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : started) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          kill9(p);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill9(p);
      }
    }
  }
}
