package io.jmesos.dist.bench;

import io.jmesos.dist.LocalCluster;
import io.jmesos.resources.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.SchedulerDriver;

/**
 * Launch throughput of one agent: after one warm-up task (whose command executor leaves the agent's AppCDS
 * archive in its work directory, as the first command executor on any agent does), a framework packs every
 * offer with as many {@code sleep} command tasks as fit (each one its own command executor and container)
 * until N are launched, then reports launches per second (first ACCEPT to the N-th TASK_RUNNING) and ACCEPT
 * to TASK_RUNNING percentiles, kills every task, waits for the N TASK_KILLED updates and checks that no
 * {@code sleep} process is left.
 *
 * <p>Usage: {@code bin/mesos-bench launch-burst [tasks (default 200)] [--isolation=posix/cpu,posix/mem]
 * [--command_executor=embedded (default, as the agent)|jvm] [--rounds=1]}; with {@code embedded} each task's
 * command is its container's process and the agent plays its command executor (no executor JVM, no AppCDS
 * archive to wait for). With several rounds the burst (launch N, kill N) is repeated on the same cluster and
 * each round reported: the first runs on a cold JVM (the JIT compiles the launch path as it goes), the later
 * ones show the steady state of a long-running agent. Each round also reports kills per second (first kill
 * to the N-th TASK_KILLED) and this JVM's CPU time per task (master, agent and driver; the forked processes
 * and the kernel's work for them not included) for the launches and for the kills.
 * The agent declares {@code cpus:64;mem:16384}, or more for more than 256 tasks, so that the N containers (task
 * {@code cpus:0.05;mem:32} plus the command executor's {@code cpus:0.1;mem:32}) fit on one agent (declared
 * resources: each {@code sleep} uses far less than its memory limit).
 */
public final class LaunchBurst extends BenchScheduler {
  /** The sleep every task runs; a distinctive length so leftovers can be found among the processes. */
  static final String SLEEP = "sleep 86387";
  /** Tasks per round. */
  private final int total;
  private final Resources taskResources = Resources.parse("cpus:0.05;mem:32");
  private final Resources perContainer = Resources.parse("cpus:0.15;mem:64");
  /** By task id (0 to rounds x total - 1): when it was accepted, reached TASK_RUNNING, and its terminal state. */
  private final long[] acceptNanos;
  private final long[] runningNanos;
  private final long[] killedNanos;
  private final Map<Integer, TaskState> terminal = new ConcurrentHashMap<>();
  private volatile CountDownLatch allRunning = new CountDownLatch(0);
  private volatile CountDownLatch allTerminal = new CountDownLatch(0);
  private final CountDownLatch warmedUp = new CountDownLatch(1);
  private volatile boolean burst;
  private boolean warmUpLaunched;
  /** Tasks launched so far, and how many should be by the end of the current round. */
  private int launched;
  private int target;
  private volatile String failure;

  LaunchBurst(int total, int rounds) {
    this.total = total;
    this.acceptNanos = new long[total * rounds];
    this.runningNanos = new long[total * rounds];
    this.killedNanos = new long[total * rounds];
  }

  @Override
  public synchronized void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (Offer offer : offers) {
      if (!burst) {
        warmUp(driver, offer);
        continue;
      }
      List<TaskInfo> tasks = SleepTasks.fill(offer, perContainer, taskResources, "burst-", SLEEP, launched,
          target - launched);
      launched += tasks.size();
      long now = System.nanoTime();
      for (TaskInfo t : tasks) {
        acceptNanos[Integer.parseInt(t.getTaskId().getValue())] = now;
      }
      Filters filters = Filters.newBuilder().setRefuseSeconds(tasks.isEmpty() ? 3600 : 0.001).build();
      driver.launchTasks(List.of(offer.getId()), tasks, filters);
    }
  }

  /** One {@code true} task before the burst: the agent's first command executor writes its AppCDS archive. */
  private void warmUp(SchedulerDriver driver, Offer offer) {
    if (warmUpLaunched) {
      driver.declineOffer(offer.getId(), Filters.newBuilder().setRefuseSeconds(0.001).build());
      return;
    }
    warmUpLaunched = true;
    driver.launchTasks(List.of(offer.getId()), List.of(TaskInfo.newBuilder()
        .setName("warm-up")
        .setTaskId(TaskID.newBuilder().setValue("warm-up"))
        .setSlaveId(offer.getSlaveId())
        .addAllResources(taskResources.toList())
        .setCommand(CommandInfo.newBuilder().setValue("true"))
        .build()), Filters.newBuilder().setRefuseSeconds(0.001).build());
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    long now = System.nanoTime();
    if (status.getTaskId().getValue().equals("warm-up")) {
      if (status.getState() == TaskState.TASK_FINISHED) {
        warmedUp.countDown();
      } else if (status.getState() != TaskState.TASK_STARTING && status.getState() != TaskState.TASK_RUNNING) {
        failure = "warm-up task reached " + status.getState() + ": " + status.getMessage();
        warmedUp.countDown();
      }
      return;
    }
    int n = Integer.parseInt(status.getTaskId().getValue());
    switch (status.getState()) {
      case TASK_STARTING:
        break;
      case TASK_RUNNING:
        if (runningNanos[n] == 0) {
          runningNanos[n] = now;
          allRunning.countDown();
        }
        break;
      case TASK_KILLING:
        break;
      default:
        if (terminal.putIfAbsent(n, status.getState()) == null) {
          killedNanos[n] = now;
          allTerminal.countDown();
          if (status.getState() != TaskState.TASK_KILLED && failure == null) {
            failure = "task " + n + " reached " + status.getState() + ": " + status.getMessage();
            release(allRunning);
          }
        }
    }
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    failure = message;
    release(allRunning);
  }

  private static void release(CountDownLatch latch) {
    while (latch.getCount() > 0) {
      latch.countDown();
    }
  }

  public static void main(String[] args) throws Exception {
    int tasks = 200;
    int rounds = 1;
    String isolation = "posix/cpu,posix/mem";
    String commandExecutor = "embedded";
    for (String arg : args) {
      if (arg.startsWith("--isolation=")) {
        isolation = arg.substring("--isolation=".length());
      } else if (arg.startsWith("--command_executor=")) {
        commandExecutor = arg.substring("--command_executor=".length());
      } else if (arg.startsWith("--rounds=")) {
        rounds = Integer.parseInt(arg.substring("--rounds=".length()));
      } else {
        tasks = Integer.parseInt(arg);
      }
    }
    if (tasks < 1 || rounds < 1) {
      throw new IllegalArgumentException("Tasks and rounds must be at least 1");
    }
    Path work = Files.createTempDirectory("jmesos-bench-burst");
    // A cgroups root of its own, so that leftovers are this run's and nobody else's.
    String cgroupsRoot = "jmesos-bench-" + work.getFileName().toString().replaceAll("[^A-Za-z0-9]", "");
    LaunchBurst bench = new LaunchBurst(tasks, rounds);
    boolean ok = true;
    String setup = "--isolation=" + isolation + " --command_executor=" + commandExecutor;
    String agentResources = String.format(Locale.ROOT, "cpus:%d;mem:%d",
        Math.max(64, (int) Math.ceil(tasks * 0.15) + 1), Math.max(16384, tasks * 64 + 1024));
    try (LocalCluster cluster = LocalCluster.start("127.0.0.1", 0, 1, work, agentResources,
        Map.of("MESOS_ISOLATION", isolation, "MESOS_COMMAND_EXECUTOR", commandExecutor,
            "MESOS_CGROUPS_ROOT", cgroupsRoot))) {
      FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("").setName("launch-burst-bench")
          .addCapabilities(FrameworkInfo.Capability.newBuilder()
              .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
          .build();
      MesosSchedulerDriver driver = new MesosSchedulerDriver(bench, framework, cluster.masterUrl());
      driver.start();
      if (!bench.warmedUp.await(2, TimeUnit.MINUTES) || bench.failure != null) {
        throw new IllegalStateException("Warm-up failed: " + bench.failure);
      }
      if (commandExecutor.equals("jvm")) {
        boolean archived = awaitArchive(work.resolve("agents/0"));
        System.out.printf(Locale.ROOT, "warm-up task finished; command executor class data archive %s%n",
            archived ? "ready" : "NOT ready (executors start without it)");
      } else {
        System.out.println("warm-up task finished; embedded command executor (no executor JVM)");
      }
      System.out.printf(Locale.ROOT, "%d '%s' command tasks on one agent (%s), %d round(s)%n", tasks, SLEEP, setup,
          rounds);
      for (int round = 0; round < rounds && ok; round++) {
        ok = bench.round(driver, round);
      }
      driver.stop();
      driver.join();
    }
    deleteTree(work);
    long leaked = leftovers();
    System.out.printf(Locale.ROOT, "'%s' processes left after the cluster stopped: %d%n", SLEEP, leaked);
    List<Path> cgroups = leftoverCgroups(cgroupsRoot);
    if (isolation.contains("cgroups/")) {
      System.out.printf(Locale.ROOT, "container cgroups left under %s after the cluster stopped: %d%n", cgroupsRoot,
          cgroups.size());
    }
    if (!ok || leaked > 0 || !cgroups.isEmpty()) {
      throw new IllegalStateException("Benchmark failed: " + (bench.failure != null ? bench.failure
          : leaked > 0 ? leaked + " processes leaked" : !cgroups.isEmpty() ? "cgroups leaked: " + cgroups
          : "timed out"));
    }
  }

  /**
   * One burst: launches the round's N tasks, waits until all run, kills them all and waits for the N terminal
   * updates, then reports. False when it failed or timed out.
   */
  private boolean round(SchedulerDriver driver, int round) throws InterruptedException {
    int first = round * total;
    allRunning = new CountDownLatch(total);
    allTerminal = new CountDownLatch(total);
    long cpuBefore = processCpuNanos();
    synchronized (this) {
      target = first + total;
      burst = true;
    }
    driver.reviveOffers();
    boolean running = allRunning.await(10, TimeUnit.MINUTES);
    long cpuLaunched = processCpuNanos();
    long killNanos = System.nanoTime();
    int upTo;
    synchronized (this) {
      upTo = launched;
    }
    for (int i = first; i < upTo; i++) {
      driver.killTask(TaskID.newBuilder().setValue(Integer.toString(i)).build());
    }
    boolean killed = allTerminal.await(5, TimeUnit.MINUTES);
    long cpuKilled = processCpuNanos();
    report(round, first, killNanos, cpuLaunched - cpuBefore, cpuKilled - cpuLaunched, killed);
    return running && killed && failure == null;
  }

  /** Waits (up to 30 s) for the AppCDS archive the warm-up task's executor writes as it exits. */
  private static boolean awaitArchive(Path agentWorkDir) throws InterruptedException, java.io.IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(agentWorkDir)) {
        if (files.anyMatch(f -> f.getFileName().toString().endsWith(".jsa"))) {
          return true;
        }
      }
      Thread.sleep(100);
    }
    return false;
  }

  /**
   * Deletes the run's work directory. The stopped agent's last clean-ups (runtime directories of containers
   * that just exited, on its blocking pool) may still remove files under it meanwhile: a walk that finds a
   * file gone is started again.
   */
  private static void deleteTree(Path root) throws java.io.IOException {
    for (int attempt = 0; ; attempt++) {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toArray(Path[]::new)) {
          Files.deleteIfExists(p);
        }
        return;
      } catch (java.nio.file.NoSuchFileException | java.nio.file.DirectoryNotEmptyException
          | java.io.UncheckedIOException e) {
        if (!Files.exists(root)) {
          return;
        }
        if (attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /**
   * The container cgroups left under the run's cgroups root in each v1 controller (or the v2 hierarchy);
   * removes the root itself once it is empty.
   */
  private static List<Path> leftoverCgroups(String root) throws java.io.IOException {
    List<Path> left = new ArrayList<>();
    Path hierarchy = Path.of("/sys/fs/cgroup");
    List<Path> roots = new ArrayList<>(List.of(hierarchy.resolve(root)));
    if (Files.isDirectory(hierarchy)) {
      try (Stream<Path> controllers = Files.list(hierarchy)) {
        controllers.filter(Files::isDirectory).forEach(c -> roots.add(c.resolve(root)));
      }
    }
    for (Path dir : roots) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> here;
      try (Stream<Path> containers = Files.list(dir)) {
        here = containers.filter(Files::isDirectory).toList();
      }
      left.addAll(here);
      if (here.isEmpty()) {
        Files.deleteIfExists(dir);
      }
    }
    return left;
  }

  /**
   * The task processes still there, given up to 5 seconds to go: a process SIGKILLed as its container ended may
   * still be listed for a moment after the container was reported gone (bounded poll).
   */
  private static long leftovers() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long left = countLeftovers();
    while (left > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      left = countLeftovers();
    }
    return left;
  }

  private static long countLeftovers() {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(p -> p.info().commandLine().map(c -> c.endsWith(SLEEP)).orElse(false)).count();
    }
  }

  /** One round's figures: launch and kill rates, ACCEPT -> TASK_RUNNING percentiles, this JVM's CPU per task. */
  private void report(int round, int first, long killNanos, long launchCpuNanos, long killCpuNanos,
      boolean killed) {
    long firstAccept = Long.MAX_VALUE;
    long lastRunning = 0;
    long lastKilled = 0;
    int killedCount = 0;
    List<Double> toRunning = new ArrayList<>();
    for (int i = first; i < first + total; i++) {
      if (killedNanos[i] != 0 && terminal.get(i) == TaskState.TASK_KILLED) {
        lastKilled = Math.max(lastKilled, killedNanos[i]);
        killedCount++;
      }
      if (runningNanos[i] == 0) {
        continue;
      }
      firstAccept = Math.min(firstAccept, acceptNanos[i]);
      lastRunning = Math.max(lastRunning, runningNanos[i]);
      toRunning.add((runningNanos[i] - acceptNanos[i]) / 1e6);
    }
    Collections.sort(toRunning);
    double seconds = (lastRunning - firstAccept) / 1e9;
    double killSeconds = (lastKilled - killNanos) / 1e9;
    System.out.printf(Locale.ROOT, "round %d: running: %d in %.2f s from the first ACCEPT = %.1f launches/s, "
        + "%.1f ms of this JVM's CPU (master, agent, driver) per task%n", round + 1, toRunning.size(), seconds,
        toRunning.size() / seconds, launchCpuNanos / 1e6 / Math.max(1, toRunning.size()));
    if (!toRunning.isEmpty()) {
      System.out.printf(Locale.ROOT, "round %d: ACCEPT -> TASK_RUNNING ms: p50 %.0f, p90 %.0f, p99 %.0f, max %.0f%n",
          round + 1, pct(toRunning, 0.50), pct(toRunning, 0.90), pct(toRunning, 0.99),
          toRunning.get(toRunning.size() - 1));
    }
    if (killedCount == 0) {
      System.out.printf(Locale.ROOT, "round %d: killed: 0 of %d TASK_KILLED%s%n", round + 1, total,
          killed ? "" : " (timed out waiting)");
      return;
    }
    System.out.printf(Locale.ROOT, "round %d: killed: %d of %d TASK_KILLED%s in %.2f s from the first kill = "
        + "%.1f kills/s, %.1f ms of this JVM's CPU per task%n", round + 1, killedCount, total,
        killed ? "" : " (timed out waiting)", killSeconds, killedCount / killSeconds,
        killCpuNanos / 1e6 / killedCount);
  }

  /** The CPU time (user + system) of this JVM so far; its forked children are not counted. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double pct(List<Double> sorted, double p) {
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
