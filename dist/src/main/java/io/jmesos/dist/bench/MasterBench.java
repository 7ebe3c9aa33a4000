package io.jmesos.dist.bench;

import io.jmesos.flags.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The master as a whole at scale: a real {@code mesos-master} in a JVM of its own ({@link MasterProcess}, default
 * flags but for its address and work directory), {@link SimulatedAgents} and {@link SimulatedFrameworks} in this one,
 * all over loopback through the real protocols (internal messages for the agents, the v1 scheduler API in protobuf
 * for the frameworks). Scenarios:
 * <ul>
 *   <li>{@code register N}: the time to register N agents and the master's heap per agent (heap used after a full
 *       GC, before and after).
 *   <li>{@code launch AGENTS FRAMEWORKS SECONDS}: frameworks accept every offer with as many instant tasks as fit
 *       (at most {@code --tasks_per_offer}); the tasks run and finish at once; sustained TASK_RUNNING rate and
 *       ACCEPT -> TASK_RUNNING latency over SECONDS after a warm-up.
 *   <li>{@code state AGENTS RUNNING COMPLETED}: launches RUNNING tasks that keep running and COMPLETED that finish,
 *       then times {@code /state} while a framework's RECONCILE calls are timed meanwhile, then {@code
 *       /metrics/snapshot} and {@code /state-summary}.
 *   <li>{@code frameworks N}: N frameworks subscribed and launching on {@code --agents} agents for {@code
 *       --seconds}: how late their heartbeats come.
 * </ul>
 * Each prints min / median / max / p99, the master's CPU time over the measured part and its heap after a full GC.
 */
public final class MasterBench {
  private static final Pattern METRIC = Pattern.compile("\"([^\"]+)\"\\s*:\\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");
  private static final String USAGE = "Usage: bin/mesos-bench master register N | launch AGENTS FRAMEWORKS SECONDS | "
      + "state AGENTS RUNNING COMPLETED | frameworks N [--agents=1000] [--seconds=60] [--frameworks=10] "
      + "[--tasks_per_offer=1] [--agent_resources=cpus:8;mem:16384] [--task_cpus=0.1] [--task_mem=32] "
      + "[--io_threads=2] [--connections_per_framework=4] [--max_in_flight=2000] [--register_window=500] "
      + "[--requests=5] [--finish_at_once=false] [--histogram=LINES] [--master_java_opts=-Xmx4g] "
      + "[--master_flags=--a=b,--c=d] [--jfr=FILE] [--keep=true] [--timeout_secs=900]";

  private final Map<String, String> options;
  private final Path work;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Duration timeout;
  private MasterProcess master;
  private long cpuMark;

  private MasterBench(Map<String, String> options, Path work) {
    this.options = options;
    this.work = work;
    this.timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout_secs", "900")));
  }

  public static void main(String[] args) throws Exception {
    List<Long> numbers = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    String scenario = args.length > 0 ? args[0] : "";
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--") && arg.contains("=")) {
        options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        numbers.add(Long.parseLong(arg));
      }
    }
    int expected = switch (scenario) {
      case "register", "frameworks" -> 1;
      case "launch", "state" -> 3;
      default -> -1;
    };
    if (expected != numbers.size()) {
      System.err.println(USAGE);
      System.exit(2);
    }
    Path work = Files.createTempDirectory("jmesos-bench-master");
    MasterBench bench = new MasterBench(options, work);
    try {
      switch (scenario) {
        case "register" -> bench.register(numbers.get(0).intValue());
        case "launch" -> bench.launch(numbers.get(0).intValue(), numbers.get(1).intValue(), numbers.get(2));
        case "state" -> bench.state(numbers.get(0).intValue(), numbers.get(1), numbers.get(2));
        default -> bench.frameworks(numbers.get(0).intValue());
      }
    } finally {
      if (bench.master != null) {
        if (options.containsKey("jfr")) {
          System.out.println("JFR: " + bench.master.dumpFlightRecording(Path.of(options.get("jfr"))).trim());
        }
        bench.master.stop();
      }
      if (!options.containsKey("keep")) {
        deleteRecursively(work);
      }
    }
    System.exit(0); // the HTTP clients' threads
  }

  private void register(int agentCount) throws Exception {
    header("register " + agentCount + " agents");
    startMaster(List.of());
    long baseline = master.heapUsedMib();
    try (SimulatedAgents agents = agents(agentCount, false)) {
      markCpu();
      long started = System.nanoTime();
      agents.registerAll(master.address(), timeout);
      double secs = (System.nanoTime() - started) / 1e9;
      double cpu = cpuSeconds();
      System.out.printf(Locale.ROOT, "registered %d agents in %.2f s (%.0f/s); master CPU %.1f s%n", agentCount,
          secs, agentCount / secs, cpu);
      print("registration (connect -> SlaveRegisteredMessage), ms", agents.registrationNanos());
      Map<String, Double> m = metrics();
      long heap = master.heapUsedMib();
      System.out.printf(Locale.ROOT, "master: slaves_active %.0f, registry %.1f MiB, registry stores p50 %.0f ms max "
          + "%.0f ms (last %.0f); heap after a full GC %d MiB (%d MiB before the agents): %.1f KiB per agent%n",
          m.getOrDefault("master/slaves_active", -1.0),
          m.getOrDefault("registrar/registry_size_bytes", 0.0) / (1 << 20),
          m.getOrDefault("registrar/state_store_ms/p50", Double.NaN),
          m.getOrDefault("registrar/state_store_ms/max", Double.NaN),
          m.getOrDefault("registrar/state_store_ms/count", Double.NaN), heap, baseline,
          (heap - baseline) * 1024.0 / agentCount);
      footer(agents, null);
    }
  }

  private void launch(int agentCount, int frameworkCount, long seconds) throws Exception {
    header("launch: " + agentCount + " agents, " + frameworkCount + " frameworks, " + seconds + " s");
    startMaster(List.of());
    try (SimulatedAgents agents = agents(agentCount, true)) {
      agents.registerAll(master.address(), timeout);
      try (SimulatedFrameworks frameworks = newFrameworks(frameworkCount)) {
        frameworks.subscribeAll(timeout);
        frameworks.launch(Long.MAX_VALUE, 0);
        long warmUp = Long.parseLong(options.getOrDefault("warm_up_secs", "10"));
        TimeUnit.SECONDS.sleep(warmUp);
        long runningBefore = frameworks.running();
        frameworks.record(true);
        markCpu();
        long started = System.nanoTime();
        for (long s = 1; s <= seconds; s++) {
          TimeUnit.NANOSECONDS.sleep(Math.max(0, started + s * 1_000_000_000L - System.nanoTime()));
          if (s % 10 == 0 || s == seconds) {
            System.out.printf(Locale.ROOT, "  %d s: %d tasks running so far, %d awaiting TASK_RUNNING%n", s,
                frameworks.running() - runningBefore, frameworks.awaitingRunning());
          }
        }
        frameworks.record(false);
        double secs = (System.nanoTime() - started) / 1e9;
        long count = frameworks.running() - runningBefore;
        double cpu = cpuSeconds();
        frameworks.stopLaunching();
        System.out.printf(Locale.ROOT, "%d tasks reached TASK_RUNNING in %.1f s: %.0f tasks/s; master CPU %.1f s "
            + "(%.0f%% of one core)%n", count, secs, count / secs, cpu, 100 * cpu / secs);
        print("ACCEPT -> TASK_RUNNING, ms", frameworks.latencies().sorted());
        footer(agents, frameworks);
      }
    }
  }

  private void state(int agentCount, long running, long completed) throws Exception {
    header("state: " + agentCount + " agents, " + running + " running and " + completed + " completed tasks");
    int frameworkCount = Integer.parseInt(options.getOrDefault("frameworks", "10"));
    startMaster(List.of("--max_completed_tasks_per_framework=" + Math.max(1000, completed / frameworkCount + 1)));
    boolean finishAtOnce = Boolean.parseBoolean(options.getOrDefault("finish_at_once", "false"));
    long baseline = master.heapUsedMib();
    try (SimulatedAgents agents = agents(agentCount, false);
        SimulatedFrameworks frameworks = newFrameworks(frameworkCount)) {
      long registering = System.nanoTime();
      agents.registerAll(master.address(), timeout);
      System.out.printf(Locale.ROOT, "registered %d agents in %.1f s%n", agentCount,
          (System.nanoTime() - registering) / 1e9);
      long withAgents = master.heapUsedMib(); // before any offer is made
      long started = System.nanoTime();
      frameworks.launch(running + completed, completed, finishAtOnce); // from the first offers on
      frameworks.subscribeAll(timeout);
      long deadline = started + timeout.toNanos();
      long lastPrint = started;
      // The master's own counts (the frameworks' count duplicates: an update retried before its acknowledgement).
      Map<String, Double> counts = metrics();
      while (counts.getOrDefault("master/tasks_running", 0.0) < running
          || counts.getOrDefault("master/tasks_finished", 0.0) < completed) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Not there within " + timeout + ": " + counts(counts));
        }
        if (System.nanoTime() - lastPrint > 10_000_000_000L) {
          lastPrint = System.nanoTime();
          System.out.printf(Locale.ROOT, "  %.0f s: %d tasks launched; %s%n", (lastPrint - started) / 1e9,
              frameworks.launched(), counts(counts));
        }
        TimeUnit.SECONDS.sleep(1);
        counts = metrics();
      }
      frameworks.stopLaunching();
      double setup = (System.nanoTime() - started) / 1e9;
      // Quiet: no update left unacknowledged, so that the requests below compete with offers and pings only.
      long quiet = Math.min(deadline, System.nanoTime() + 30_000_000_000L);
      while (agents.tasks().pending() > 0 && System.nanoTime() < quiet) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      System.out.printf(Locale.ROOT, "launched %d tasks in %.1f s (%.0f tasks/s); %s%n", running + completed, setup,
          (running + completed) / setup, counts(metrics()));
      System.out.printf(Locale.ROOT, "%d updates awaiting acknowledgement at the agents%n", agents.tasks().pending());
      long withTasks = master.heapUsedMib();
      System.out.printf(Locale.ROOT, "master heap used after a full GC: %d MiB at start, %d MiB with the agents "
          + "(%.1f KiB per agent), %d MiB with the frameworks and tasks too (%.0f bytes per task, running and "
          + "completed alike)%n", baseline, withAgents, (withAgents - baseline) * 1024.0 / agentCount, withTasks,
          (withTasks - withAgents) * 1048576.0 / Math.max(1, running + completed));
      if (options.containsKey("histogram")) {
        System.out.println(master.classHistogram(Integer.parseInt(options.get("histogram"))));
      }
      int requests = Integer.parseInt(options.getOrDefault("requests", "5"));
      markCpu();
      long[] state = new long[requests];
      long bytes = 0;
      Latencies calls = new Latencies();
      for (int i = 0; i < requests; i++) {
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> reconciling = CompletableFuture.runAsync(() -> reconcileWhile(frameworks, done,
            calls));
        long t0 = System.nanoTime();
        bytes = get("/state").length;
        state[i] = System.nanoTime() - t0;
        done.set(true);
        reconciling.join();
      }
      double cpu = cpuSeconds();
      Arrays.sort(state);
      System.out.printf(Locale.ROOT, "/state: %d requests of %.1f MiB; master CPU %.1f s over them%n", requests,
          bytes / 1048576.0, cpu);
      print("/state, ms", state);
      print("RECONCILE call -> 202 during /state (one at a time, back to back), ms", calls.sorted());
      for (String path : List.of("/metrics/snapshot", "/state-summary")) {
        long[] times = new long[requests];
        for (int i = 0; i < requests; i++) {
          long t0 = System.nanoTime();
          bytes = get(path).length;
          times[i] = System.nanoTime() - t0;
        }
        Arrays.sort(times);
        print(path + " (" + bytes / 1024 + " KiB), ms", times);
      }
      footer(agents, frameworks);
    }
  }

  private void frameworks(int frameworkCount) throws Exception {
    int agentCount = Integer.parseInt(options.getOrDefault("agents", "1000"));
    long seconds = Long.parseLong(options.getOrDefault("seconds", "60"));
    header("frameworks: " + frameworkCount + " frameworks on " + agentCount + " agents, " + seconds + " s");
    startMaster(List.of());
    try (SimulatedAgents agents = agents(agentCount, true)) {
      agents.registerAll(master.address(), timeout);
      try (SimulatedFrameworks frameworks = newFrameworks(frameworkCount)) {
        long t0 = System.nanoTime();
        frameworks.subscribeAll(timeout);
        System.out.printf(Locale.ROOT, "%d frameworks subscribed in %.1f s%n", frameworkCount,
            (System.nanoTime() - t0) / 1e9);
        frameworks.launch(Long.MAX_VALUE, 0);
        frameworks.record(true);
        markCpu();
        long before = frameworks.running();
        TimeUnit.SECONDS.sleep(seconds);
        frameworks.record(false);
        double cpu = cpuSeconds();
        frameworks.stopLaunching();
        System.out.printf(Locale.ROOT, "in %d s: %d offers, %d tasks reached TASK_RUNNING, %d heartbeats; master "
            + "CPU %.1f s%n", seconds, frameworks.offers(), frameworks.running() - before, frameworks.heartbeats(),
            cpu);
        print("heartbeat lateness (gap - interval), ms", frameworks.heartbeatLateness().sorted());
        print("ACCEPT -> TASK_RUNNING, ms", frameworks.latencies().sorted());
        footer(agents, frameworks);
      }
    }
  }

  /** Explicit reconciliations by framework 0, one at a time, until {@code done}. */
  private static void reconcileWhile(SimulatedFrameworks frameworks, AtomicBoolean done,
      Latencies latencies) {
    while (!done.get()) {
      long t0 = System.nanoTime();
      int status = frameworks.reconcile(0).join();
      if (status == 202) {
        latencies.add(System.nanoTime() - t0);
      }
    }
  }

  private SimulatedAgents agents(int count, boolean finishTasks) {
    return new SimulatedAgents(new SimulatedAgents.Options(count, 0,
        options.getOrDefault("agent_resources", "cpus:8;mem:16384"), "cpus:0.1;mem:32",
        Integer.parseInt(options.getOrDefault("io_threads", "2")),
        Integer.parseInt(options.getOrDefault("register_window", "500")), 256,
        Durations.parse(options.getOrDefault("backoff_factor", "1secs")), finishTasks));
  }

  private SimulatedFrameworks newFrameworks(int count) {
    return new SimulatedFrameworks(master.address(), new SimulatedFrameworks.Options(count, "*",
        Double.parseDouble(options.getOrDefault("task_cpus", "0.1")),
        Double.parseDouble(options.getOrDefault("task_mem", "32")),
        Integer.parseInt(options.getOrDefault("tasks_per_offer", "1")),
        Integer.parseInt(options.getOrDefault("io_threads", "2")),
        Integer.parseInt(options.getOrDefault("connections_per_framework", "4")),
        Integer.parseInt(options.getOrDefault("max_in_flight", "2000"))));
  }

  private void startMaster(List<String> extra) throws Exception {
    List<String> flags = new ArrayList<>(List.of("--ip=127.0.0.1", "--hostname=127.0.0.1", "--port=0",
        "--work_dir=" + work.resolve("master")));
    flags.addAll(extra);
    String more = options.get("master_flags");
    if (more != null && !more.isEmpty()) {
      flags.addAll(List.of(more.split(",")));
    }
    List<String> javaOpts = new ArrayList<>(List.of(options.getOrDefault("master_java_opts", "-Xmx4g")
        .split("\\s+")));
    if (options.containsKey("jfr")) {
      javaOpts.add("-XX:StartFlightRecording=settings=profile");
    }
    master = MasterProcess.start("master-1", work, flags, javaOpts);
    MasterProcess started = master;
    Runtime.getRuntime().addShutdownHook(new Thread(started::kill, "master-bench-stop")); // not left behind
    if (master.await("recovered", timeout.toMillis()) == null) {
      throw new IllegalStateException("The master did not start; see " + work.resolve("master-1.log"));
    }
    System.out.printf(Locale.ROOT, "master pid %d on %s, flags %s, JVM %s%n", master.pid(), master.address(),
        flags, javaOpts);
  }

  private void header(String what) {
    System.out.printf(Locale.ROOT, "Master bench, %s; %d CPUs; load average %s%n", what,
        Runtime.getRuntime().availableProcessors(), loadAverage());
  }

  private void footer(SimulatedAgents agents, SimulatedFrameworks frameworks) throws Exception {
    if (frameworks != null) {
      System.out.printf(Locale.ROOT, "frameworks: %d offers (%d held a while), %d accepts, %d declines, %d tasks "
          + "launched, %d TASK_RUNNING, %d TASK_FINISHED, %d other updates, %d acknowledged, %d calls failed, %d "
          + "errors%n", frameworks.offers(), frameworks.heldOffers(), frameworks.accepts(), frameworks.declines(),
          frameworks.launched(),
          frameworks.running(), frameworks.finished(), frameworks.otherStates(), frameworks.acknowledgements(),
          frameworks.failedCalls(), frameworks.errors());
    }
    InstantTasks tasks = agents.tasks();
    System.out.printf(Locale.ROOT, "agents: %d tasks run, %d updates sent (%d retries), %d acknowledged, %d "
        + "pings, %d shutdowns, %d other messages%n", tasks.launched(), tasks.updatesSent(), tasks.retries(),
        tasks.acknowledged(), agents.pings(), agents.shutdowns(), agents.unexpectedMessages());
    System.out.printf(Locale.ROOT, "master heap used after a full GC: %d MiB; CPU of this JVM (agents, frameworks) "
        + "so far %.1f s; load average %s; master log %s%n", master.heapUsedMib(),
        ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L) / 1000.0,
        loadAverage(), work.resolve("master-1.log"));
  }

  private static String counts(Map<String, Double> m) {
    return String.format(Locale.ROOT, "master: tasks_running %.0f, tasks_finished %.0f, slaves_active %.0f, "
        + "frameworks_active %.0f", m.getOrDefault("master/tasks_running", -1.0),
        m.getOrDefault("master/tasks_finished", -1.0), m.getOrDefault("master/slaves_active", -1.0),
        m.getOrDefault("master/frameworks_active", -1.0));
  }

  private void markCpu() {
    cpuMark = cpuNanos();
  }

  private double cpuSeconds() {
    return (cpuNanos() - cpuMark) / 1e9;
  }

  private long cpuNanos() {
    return ProcessHandle.of(master.pid()).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos)
        .orElse(0L);
  }

  private byte[] get(String path) throws IOException, InterruptedException {
    InetSocketAddress address = master.address();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
        .timeout(Duration.ofMinutes(5)).build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode());
    }
    return response.body();
  }

  private Map<String, Double> metrics() throws IOException, InterruptedException {
    Map<String, Double> values = new LinkedHashMap<>();
    Matcher matcher = METRIC.matcher(new String(get("/metrics/snapshot"), java.nio.charset.StandardCharsets.UTF_8));
    while (matcher.find()) {
      values.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
    }
    return values;
  }

  /** min / median / p99 / max of sorted nanosecond values, in ms. */
  static void print(String what, long[] sorted) {
    if (sorted.length == 0) {
      System.out.printf(Locale.ROOT, "%s: no values%n", what);
      return;
    }
    System.out.printf(Locale.ROOT, "%s over %d: min %.1f, median %.1f, p99 %.1f, max %.1f%n", what, sorted.length,
        sorted[0] / 1e6, sorted[(sorted.length - 1) / 2] / 1e6,
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6, sorted[sorted.length - 1] / 1e6);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Could not delete " + root + ": " + e.getMessage());
    }
  }
}
