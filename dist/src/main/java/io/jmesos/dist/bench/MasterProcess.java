package io.jmesos.dist.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code mesos-master} ({@link io.jmesos.master.MasterMain}) in a JVM of its own, on this JVM's class path, for
 * benchmarks that need it apart: its own file descriptors (one per agent connection), heap and GC, and a death
 * that is a real process exit. Its log (WARN, plus INFO of the few classes whose lines mark an election and a
 * recovery) is copied to {@code master-N.log} in the work directory; the time ({@link System#nanoTime()} here) at
 * which each {@link #MARKS mark} first appeared is kept. Thread-safe.
 */
final class MasterProcess {
  /** Log lines that mark a step, by name. */
  static final Map<String, Pattern> MARKS = Map.of(
      "started", Pattern.compile("Master (\\S+) started on ([0-9.]+):(\\d+)"),
      "following", Pattern.compile("the newly elected leader is"),
      "elected", Pattern.compile("Elected as the leading master!"),
      "fetched", Pattern.compile("Successfully fetched the registry"),
      "recovered", Pattern.compile("Recovered \\d+ agents from the registry"));
  private static final String LOGBACK = """
      <configuration>
        <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
          <target>System.err</target>
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n</pattern></encoder>
        </appender>
        <logger name="io.jmesos.master.Master" level="INFO"/>
        <logger name="io.jmesos.master.election.Candidacy" level="INFO"/>
        <logger name="io.jmesos.master.registry.Registrar" level="INFO"/>
        <logger name="io.jmesos.master.core.MasterRecovery" level="INFO"/>
        <root level="${JMESOS_LOG_LEVEL:-WARN}"><appender-ref ref="STDERR"/></root>
      </configuration>
      """;

  private final String name;
  private final Process process;
  private final Map<String, Long> marks = new ConcurrentHashMap<>();
  private volatile String id;
  private volatile InetSocketAddress address;
  private volatile long exitedNanos;

  private MasterProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts {@code mesos-master} with {@code flags} ({@code --name=value}) and JVM options {@code javaOpts}. */
  static MasterProcess start(String name, Path work, List<String> flags, List<String> javaOpts) throws IOException {
    Path logback = work.resolve("master-logback.xml");
    if (!Files.exists(logback)) {
      Files.writeString(logback, LOGBACK);
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(javaOpts);
    command.add("-Dlogback.configurationFile=" + logback);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(io.jmesos.master.MasterMain.class.getName());
    command.addAll(flags);
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    MasterProcess master = new MasterProcess(name, process);
    process.onExit().thenRun(() -> master.exitedNanos = System.nanoTime());
    Thread reader = new Thread(() -> master.read(work.resolve(name + ".log")), name + "-log");
    reader.setDaemon(true);
    reader.start();
    return master;
  }

  private void read(Path logFile) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
            StandardCharsets.UTF_8));
        PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        long now = System.nanoTime();
        log.println(line);
        for (Map.Entry<String, Pattern> mark : MARKS.entrySet()) {
          Matcher matcher = mark.getValue().matcher(line);
          if (!marks.containsKey(mark.getKey()) && matcher.find()) {
            if (mark.getKey().equals("started")) {
              id = matcher.group(1);
              address = new InetSocketAddress(matcher.group(2), Integer.parseInt(matcher.group(3)));
            }
            marks.put(mark.getKey(), now);
          }
        }
      }
    } catch (IOException e) {
      marks.putIfAbsent("log-error", System.nanoTime());
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /** The master's id, once started. */
  String id() {
    return id;
  }

  /** The bound address, once started. */
  InetSocketAddress address() {
    return address;
  }

  /** When the mark's line first appeared, or null. */
  Long at(String mark) {
    return marks.get(mark);
  }

  /** Waits up to {@code timeoutMillis} for the mark; returns its time, or null if it did not come or the JVM exited. */
  Long await(String mark, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (System.nanoTime() < deadline && process.isAlive()) {
      Long at = marks.get(mark);
      if (at != null) {
        return at;
      }
      Thread.sleep(2);
    }
    return marks.get(mark);
  }

  /** When the process exited (System.nanoTime), 0 while it runs. */
  long exitedNanos() {
    return exitedNanos;
  }

  /** SIGTERM: the master closes (its ZooKeeper session ends at once). */
  void terminate() {
    process.destroy();
  }

  /** SIGKILL: a crash; its ZooKeeper session lives until it times out. */
  void kill() {
    process.destroyForcibly();
  }

  /** Kills the process if still alive and waits for it. */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Heap used after a full GC, in MiB ({@code jcmd GC.run}, then {@code GC.heap_info}); -1 if unknown. */
  long heapUsedMib() {
    try {
      jcmd("GC.run");
      Matcher used = Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
      return used.find() ? Long.parseLong(used.group(1)) >> 10 : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The first {@code lines} lines of the heap's class histogram ({@code jcmd GC.class_histogram}: a full GC). */
  String classHistogram(int lines) throws IOException, InterruptedException {
    return jcmd("GC.class_histogram").lines().limit(lines).collect(java.util.stream.Collectors.joining("\n"));
  }

  /** Writes the flight recording started with {@code -XX:StartFlightRecording} to {@code file}. */
  String dumpFlightRecording(Path file) throws IOException, InterruptedException {
    return jcmd("JFR.dump", "filename=" + file);
  }

  private String jcmd(String... command) throws IOException, InterruptedException {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    Path jcmd = java.resolveSibling("jcmd");
    List<String> line = new ArrayList<>(List.of(Files.exists(jcmd) ? jcmd.toString() : "jcmd",
        Long.toString(process.pid())));
    line.addAll(List.of(command));
    Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }
}
