package io.jmesos.dist.bench;

import io.jmesos.agent.Agent;
import io.jmesos.dist.LocalCluster;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.resources.Resources;
import io.jmesos.transport.Connection;
import io.jmesos.transport.MessageTap;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.SchedulerDriver;

/**
 * Agent restart with recovery: a local cluster (one master, one agent, real processes), a checkpointing framework
 * on the Java scheduler driver that runs N {@code sleep 100000} command tasks (cpus:0.01;mem:1 each, acknowledged)
 * on the agent; then, each round, the agent is stopped as SIGTERM stops it ({@link Agent#detach()}) and a new one
 * is started on the same work directory and port ({@link LocalCluster#restartAgent}), and the bench times, from
 * the detach call: the detach itself; the new agent's {@code start()} returning (checkpoint read, containers
 * recovered); recovery over ({@link Agent#isRecovering()} false); and the agent's receipt of
 * {@code SlaveReregisteredMessage} (a message tap on the agent's side of the master link), i.e. the master has it
 * active again. After each round (and a one-second settle) it checks that every container's checkpointed process
 * ({@code <work_dir>/runtime/containers/<id>/pid}) is the same process, alive, with the same start time, that the
 * same N {@code sleep} processes run, that the framework got no status update since all tasks were running, and
 * that the master and agent metrics show one active agent and N running tasks.
 *
 * <p>Usage: {@code bin/mesos-bench agent-restart [tasks (default 100)] [--rounds=3]
 * [--command_executor=embedded (default, as the agent)|jvm]}; with {@code jvm} each task has an executor JVM that
 * must re-subscribe to the new agent (keep N small). At the end the framework tears down, the cluster closes
 * (killing the containers) and the bench fails if any {@code sleep 100000} process is left.
 */
public final class AgentRestartBench extends BenchScheduler {
  /** The command of every task; a distinctive length so leftovers can be found among the processes. */
  static final String SLEEP = "sleep 100000";
  private static final Pattern METRIC = Pattern.compile("\"([^\"]+)\"\\s*:\\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");
  private static final String REREGISTERED = SlaveReregisteredMessage.getDescriptor().getFullName();

  private final int total;
  private final Resources taskResources = Resources.parse("cpus:0.01;mem:1");
  private final CountDownLatch allRunning;
  /** Every status update the framework got, in order, by task. */
  private final Map<Integer, List<TaskState>> updates = new HashMap<>();
  private final AtomicInteger updateCount = new AtomicInteger();
  private int launched;
  private volatile String failure;

  AgentRestartBench(int total) {
    this.total = total;
    this.allRunning = new CountDownLatch(total);
  }

  @Override
  public synchronized void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (Offer offer : offers) {
      List<TaskInfo> tasks = SleepTasks.fill(offer, taskResources, taskResources, "restart-", SLEEP, launched,
          total - launched);
      launched += tasks.size();
      Filters filters = Filters.newBuilder().setRefuseSeconds(tasks.isEmpty() ? 3600 : 0.001).build();
      driver.launchTasks(List.of(offer.getId()), tasks, filters);
    }
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    int n = Integer.parseInt(status.getTaskId().getValue());
    boolean first;
    synchronized (this) {
      List<TaskState> states = updates.computeIfAbsent(n, k -> new ArrayList<>());
      first = status.getState() == TaskState.TASK_RUNNING && !states.contains(TaskState.TASK_RUNNING);
      states.add(status.getState());
    }
    updateCount.incrementAndGet();
    if (first) {
      allRunning.countDown();
    } else if (status.getState() != TaskState.TASK_STARTING && status.getState() != TaskState.TASK_RUNNING
        && failure == null) {
      failure = "task " + n + " reached " + status.getState() + " (" + status.getReason() + "): "
          + status.getMessage();
      while (allRunning.getCount() > 0) {
        allRunning.countDown();
      }
    }
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    failure = message;
    while (allRunning.getCount() > 0) {
      allRunning.countDown();
    }
  }

  /** Notes when the agent's side of the master link receives {@code SlaveReregisteredMessage}. */
  private static final class ReregisteredTap implements MessageTap {
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong lastNanos = new AtomicLong();

    @Override
    public void inbound(Connection connection, Envelope envelope, Runnable deliver) {
      if (envelope.getType().equals(REREGISTERED)) {
        lastNanos.set(System.nanoTime());
        count.incrementAndGet();
      }
      deliver.run();
    }

    @Override
    public void outbound(Connection connection, Envelope envelope, Runnable send) {
      send.run();
    }
  }

  /** One round's times, in ms from the detach call, and its checks. */
  private record Round(double detached, double started, double recovered, double reregistered, double cpuSeconds,
      String problems) {}

  public static void main(String[] args) throws Exception {
    int tasks = 100;
    int rounds = 3;
    String commandExecutor = "embedded";
    for (String arg : args) {
      if (arg.startsWith("--rounds=")) {
        rounds = Integer.parseInt(arg.substring("--rounds=".length()));
      } else if (arg.startsWith("--command_executor=")) {
        commandExecutor = arg.substring("--command_executor=".length());
      } else {
        tasks = Integer.parseInt(arg);
      }
    }
    Path work = Files.createTempDirectory("jmesos-bench-restart");
    Path runtime = work.resolve("agents/0/runtime/containers");
    String isolation = "posix/cpu,posix/mem";
    // Exactly what N tasks take (the master does not count the command executor's allowance), plus room.
    String resources = String.format(Locale.ROOT, "cpus:%.2f;mem:%d;disk:1024", tasks * 0.01 + 0.5, tasks + 64);
    AgentRestartBench bench = new AgentRestartBench(tasks);
    ReregisteredTap tap = new ReregisteredTap();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<Round> results = new ArrayList<>();
    String failed = null;
    try (LocalCluster cluster = LocalCluster.builder(work).agents(1).resources(resources)
        .env(Map.of("MESOS_ISOLATION", isolation, "MESOS_COMMAND_EXECUTOR", commandExecutor))
        .agent((index, builder) -> builder.messageTap(tap))
        .start()) {
      FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("").setName("agent-restart-bench")
          .setCheckpoint(true).build();
      MesosSchedulerDriver driver = new MesosSchedulerDriver(bench, framework, cluster.masterUrl());
      long launchStart = System.nanoTime();
      driver.start();
      try {
        if (!bench.allRunning.await(10, TimeUnit.MINUTES) || bench.failure != null) {
          throw new IllegalStateException("Tasks did not all reach TASK_RUNNING: " + bench.failure);
        }
        System.out.printf(Locale.ROOT, "%d '%s' command tasks running on one agent (--command_executor=%s, "
            + "--isolation=%s, --resources=%s) after %.1f s%n", tasks, SLEEP, commandExecutor, isolation, resources,
            (System.nanoTime() - launchStart) / 1e9);
        Thread.sleep(1000); // Acknowledgements reach the agent.
        Map<String, String> pids = pidCheckpoints(runtime);
        Map<Long, Instant> starts = startTimes(pids);
        Set<Long> sleeps = sleepPids();
        int updatesBefore = bench.updateCount.get();
        Map<Integer, Integer> perTaskBefore = bench.updatesPerTask();
        System.out.printf(Locale.ROOT, "%d containers checkpointed, %d alive, %d '%s' processes, %d status updates%n",
            pids.size(), starts.size(), sleeps.size(), SLEEP, updatesBefore);
        if (starts.size() != tasks || sleeps.size() != tasks) {
          throw new IllegalStateException("Expected " + tasks + " live containers and sleeps");
        }
        for (int r = 0; r < rounds; r++) {
          Round round = restart(cluster, tap);
          Thread.sleep(1000); // Let any status update the restart would cause reach the framework.
          List<String> problems = new ArrayList<>();
          if (!round.problems().isEmpty()) {
            problems.add(round.problems());
          }
          Map<String, String> pidsAfter = pidCheckpoints(runtime);
          if (!pidsAfter.equals(pids)) {
            problems.add("pid checkpoints changed: " + diff(pids, pidsAfter));
          }
          Map<Long, Instant> startsAfter = startTimes(pidsAfter);
          if (!startsAfter.equals(starts)) {
            problems.add((starts.size() - startsAfter.size()) + " container processes gone or replaced");
          }
          Set<Long> sleepsAfter = sleepPids();
          if (!sleepsAfter.equals(sleeps)) {
            problems.add("'" + SLEEP + "' processes: " + sleepsAfter.size() + " now, " + sleeps.size() + " before, "
                + sleepsAfter.stream().filter(sleeps::contains).count() + " the same");
          }
          int newUpdates = bench.updateCount.get() - updatesBefore;
          if (newUpdates != 0) {
            problems.add(newUpdates + " status updates since the tasks ran: " + bench.changedTasks(perTaskBefore));
          }
          Map<String, Double> master = metrics(http, cluster.masterAddress());
          Map<String, Double> agent = metrics(http, cluster.agents().get(0).address());
          checkMetric(problems, "master", master, "master/slaves_active", 1);
          checkMetric(problems, "master", master, "master/tasks_running", tasks);
          checkMetric(problems, "agent", agent, "slave/registered", 1);
          checkMetric(problems, "agent", agent, "slave/tasks_running", tasks);
          String verdict = problems.isEmpty() ? "ok" : String.join("; ", problems);
          results.add(new Round(round.detached(), round.started(), round.recovered(), round.reregistered(),
              round.cpuSeconds(), verdict));
          System.out.printf(Locale.ROOT, "round %d: detach %.1f ms, start() returned %.1f ms, recovery over %.1f ms, "
              + "re-registered %.1f ms (from the detach call); CPU %.2f s; %d container processes and %d sleeps alive, "
              + "%d new status updates: %s%n", r + 1, round.detached(), round.started(), round.recovered(),
              round.reregistered(), round.cpuSeconds(), startsAfter.size(), sleepsAfter.size(), newUpdates, verdict);
          if (!problems.isEmpty() && failed == null) {
            failed = "round " + (r + 1) + ": " + verdict;
          }
        }
        report(results);
        System.out.printf(Locale.ROOT, "heap used %d MiB; load average %.2f%n", AllocatorBenchCluster.heapUsedMib(),
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      } finally {
        driver.stop();
        driver.join();
      }
    }
    long leaked = awaitNoSleeps(Duration.ofSeconds(30));
    System.out.printf(Locale.ROOT, "'%s' processes left after the cluster stopped: %d%n", SLEEP, leaked);
    deleteTree(work);
    if (failed != null || leaked > 0) {
      throw new IllegalStateException("Benchmark failed: " + (failed != null ? failed : leaked + " processes left"));
    }
  }

  /** Restarts agent 0 and times it; waits up to 2 minutes for each step. */
  private static Round restart(LocalCluster cluster, ReregisteredTap tap) throws InterruptedException {
    Agent old = cluster.agents().get(0);
    int reregistered = tap.count.get();
    long cpu = processCpuNanos();
    long t0 = System.nanoTime();
    old.detach();
    long detached = System.nanoTime();
    Agent agent = cluster.restartAgent(0, Map.of());
    long started = System.nanoTime();
    long deadline = started + TimeUnit.MINUTES.toNanos(2);
    while (agent.isRecovering() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
    long recovered = System.nanoTime();
    String problems = agent.isRecovering() ? "still recovering after 2 minutes" : "";
    while (tap.count.get() == reregistered && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
    double reregisteredMs = tap.count.get() == reregistered ? Double.NaN : (tap.lastNanos.get() - t0) / 1e6;
    if (tap.count.get() == reregistered) {
      problems += (problems.isEmpty() ? "" : "; ") + "not re-registered after 2 minutes";
    } else if (tap.count.get() > reregistered + 1) {
      problems += (problems.isEmpty() ? "" : "; ") + (tap.count.get() - reregistered) + " SlaveReregisteredMessages";
    }
    double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
    return new Round((detached - t0) / 1e6, (started - t0) / 1e6, (recovered - t0) / 1e6, reregisteredMs,
        cpuSeconds, problems);
  }

  /** How many status updates each task got so far. */
  private synchronized Map<Integer, Integer> updatesPerTask() {
    Map<Integer, Integer> sizes = new HashMap<>();
    updates.forEach((task, states) -> sizes.put(task, states.size()));
    return sizes;
  }

  /** The tasks that got status updates since {@code before}, with all their updates (the first 10 tasks). */
  private synchronized String changedTasks(Map<Integer, Integer> before) {
    List<String> changed = new ArrayList<>();
    updates.forEach((task, states) -> {
      if (states.size() != before.getOrDefault(task, 0)) {
        changed.add(task + " " + states);
      }
    });
    return changed.size() + " tasks: " + String.join(", ", changed.subList(0, Math.min(10, changed.size())));
  }

  private static void checkMetric(List<String> problems, String who, Map<String, Double> metrics, String name,
      double expected) {
    Double value = metrics.get(name);
    if (value == null || value != expected) {
      problems.add(who + " " + name + " = " + value + ", expected " + expected);
    }
  }

  /** The content of every container's pid checkpoint (pid, start ticks, boot id), by container id. */
  private static Map<String, String> pidCheckpoints(Path containers) throws IOException {
    Map<String, String> pids = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(containers)) {
      for (Path dir : dirs.toList()) {
        try {
          pids.put(dir.getFileName().toString(), Files.readString(dir.resolve("pid")));
        } catch (NoSuchFileException e) {
          pids.put(dir.getFileName().toString(), "");
        }
      }
    }
    return pids;
  }

  /** The start time of each checkpointed process that is alive, by pid. */
  private static Map<Long, Instant> startTimes(Map<String, String> pidCheckpoints) {
    Map<Long, Instant> starts = new TreeMap<>();
    for (String checkpoint : pidCheckpoints.values()) {
      if (checkpoint.isBlank()) {
        continue;
      }
      long pid = Long.parseLong(checkpoint.lines().findFirst().orElseThrow().trim());
      Optional<Instant> start = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .flatMap(p -> p.info().startInstant());
      start.ifPresent(s -> starts.put(pid, s));
    }
    return starts;
  }

  private static String diff(Map<String, String> before, Map<String, String> after) {
    Set<String> changed = new TreeSet<>();
    before.forEach((id, pid) -> {
      if (!pid.equals(after.get(id))) {
        changed.add(id);
      }
    });
    after.keySet().stream().filter(id -> !before.containsKey(id)).forEach(changed::add);
    return changed.size() + " containers " + changed.stream().limit(5).toList();
  }

  /** The {@code sleep 100000} processes themselves (not the supervisor shells, whose arguments end the same). */
  private static Set<Long> sleepPids() {
    String[] argv = SLEEP.split(" ");
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return new TreeSet<>(all.filter(p -> p.info().command().map(c -> c.endsWith("/" + argv[0])).orElse(false)
              && p.info().arguments().map(a -> a.length == 1 && a[0].equals(argv[1])).orElse(false))
          .map(ProcessHandle::pid).toList());
    }
  }

  /** Waits for the {@code sleep} processes to go; returns how many are left. */
  private static long awaitNoSleeps(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!sleepPids().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    return sleepPids().size();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** A daemon's /metrics/snapshot; empty when it does not answer. */
  private static Map<String, Double> metrics(HttpClient http, InetSocketAddress address) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address.getHostString() + ":"
        + address.getPort() + "/metrics/snapshot")).timeout(Duration.ofMinutes(1)).build();
    String body;
    try {
      body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      System.out.printf(Locale.ROOT, "  no metrics from %s: %s%n", address, e);
      return Map.of();
    }
    Map<String, Double> values = new HashMap<>();
    Matcher matcher = METRIC.matcher(body);
    while (matcher.find()) {
      values.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
    }
    return values;
  }

  private static void report(List<Round> rounds) {
    if (rounds.isEmpty()) {
      return;
    }
    System.out.printf(Locale.ROOT, "%d rounds, ms from the detach call %10s %10s %10s%n", rounds.size(), "min",
        "median", "max");
    line("detach() returned", rounds.stream().mapToDouble(Round::detached).toArray());
    line("new agent's start() returned", rounds.stream().mapToDouble(Round::started).toArray());
    line("recovery over", rounds.stream().mapToDouble(Round::recovered).toArray());
    line("SlaveReregisteredMessage", rounds.stream().mapToDouble(Round::reregistered).toArray());
    line("process CPU s (to re-registered)", rounds.stream().mapToDouble(Round::cpuSeconds).toArray());
  }

  private static void line(String name, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "  %-34s %10.2f %10.2f %10.2f%n", name, sorted[0], sorted[sorted.length / 2],
        sorted[sorted.length - 1]);
  }

  /**
   * Deletes the work directory; tries again (for up to a minute, 500 ms apart) when files appear while it deletes,
   * and says which: a closed agent should write nothing more, but its actor may still be working off its queue.
   */
  private static void deleteTree(Path root) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (true) {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
          Files.deleteIfExists(p);
        }
        return;
      } catch (java.nio.file.DirectoryNotEmptyException e) {
        List<String> appeared;
        try (Stream<Path> left = Files.walk(Path.of(e.getFile()))) {
          appeared = left.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).toList();
        }
        System.out.printf(Locale.ROOT, "files written in the work directory after the cluster closed: %s%n",
            appeared);
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }
}
