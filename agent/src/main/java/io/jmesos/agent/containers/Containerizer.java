package io.jmesos.agent.containers;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.cgroups.Cgroups;
import io.jmesos.agent.containers.cgroups.CgroupsProcess;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.agent.containers.cgroups.Hierarchy;
import io.jmesos.agent.containers.isolators.CgroupsCpuIsolator;
import io.jmesos.agent.containers.isolators.CgroupsMemIsolator;
import io.jmesos.agent.containers.isolators.CgroupsPidsIsolator;
import io.jmesos.agent.containers.isolators.Isolator;
import io.jmesos.agent.containers.isolators.PosixIsolators;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ResourceStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's containerizer (Mesos' {@code MesosContainerizer} without images): the isolators of
 * {@code --isolation} and a launcher. A launch switches the sandbox to the executor's user, creates the
 * container's cgroups, applies its resources, and starts the executor so that it joins the cgroups before
 * its first instruction; resource changes are applied in order on one thread; usage is read from the cgroups
 * (or /proc under posix isolation); a watcher polls the isolators for limitations (a memory cgroup's OOM
 * kills) and reports them. The kernel's OOM notification (an eventfd) is out of reach of Java, hence the poll.
 *
 * <p>Thread-safe. Every method but {@link #cgroupsFor} and {@link #update} blocks on the file system or on
 * processes and must not be called on the agent's actor; {@link #checkLimitation} only reads one control
 * file per isolator and may be.
 */
public final class Containerizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Containerizer.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  /** How often running containers are checked for limitations. */
  public static final Duration WATCH_INTERVAL = Duration.ofMillis(200);
  /** How long {@link #close} waits for launches in flight (cgroups created, process being forked). */
  private static final Duration LAUNCH_WAIT = Duration.ofSeconds(30);

  private final Launcher launcher;
  private final Hierarchy hierarchy;
  private final List<Isolator> isolators;
  private final List<String> controllers;
  private final ExecutorService blocking = Executors.newCachedThreadPool(r -> thread(r, "containerizer-"));
  private final ExecutorService updates = Executors.newSingleThreadExecutor(r -> thread(r, "containerizer-update-"));
  private final ScheduledExecutorService watcher =
      Executors.newSingleThreadScheduledExecutor(r -> thread(r, "containerizer-watch-"));
  private final Map<String, Watch> watched = new ConcurrentHashMap<>();
  private final Map<String, LaunchedProcess> live = new ConcurrentHashMap<>();
  /** Guards {@link #closed} and {@link #launching}: a launch in flight when the agent stops is waited for. */
  private final Object lifecycle = new Object();
  private boolean closed;
  private int launching;

  Containerizer(Launcher launcher, Hierarchy hierarchy, List<Isolator> isolators) {
    this.launcher = Objects.requireNonNull(launcher);
    this.hierarchy = hierarchy;
    this.isolators = List.copyOf(isolators);
    List<String> needed = new ArrayList<>();
    if (hierarchy != null) {
      isolators.forEach(i -> needed.addAll(i.controllers()));
      if (hierarchy.version() == Hierarchy.Version.V1) {
        // The launcher freezes the container to kill it (Mesos' linux launcher).
        needed.add("freezer");
      }
    }
    this.controllers = needed.stream().distinct().toList();
    watcher.scheduleWithFixedDelay(this::watch, WATCH_INTERVAL.toMillis(), WATCH_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * The containerizer {@code --isolation} asks for.
   *
   * @throws IllegalStateException when a cgroups isolator is asked for but the hierarchy lacks a controller or
   *     cannot be written (the agent does not start, as Mesos)
   */
  public static Containerizer create(AgentFlags flags, Launcher launcher) {
    List<String> names = flags.isolators();
    Hierarchy hierarchy = null;
    if (names.stream().anyMatch(n -> n.startsWith("cgroups/"))) {
      Hierarchy candidate = Hierarchy.detect(flags.cgroupsHierarchy(), flags.cgroupsRoot());
      List<String> needed = new ArrayList<>();
      isolators(names, flags, candidate).forEach(i -> needed.addAll(i.controllers()));
      if (candidate.version() == Hierarchy.Version.V1) {
        needed.add("freezer");
      }
      try {
        candidate.prepare(needed.stream().distinct().toList());
        if (flags.cgroupsLimitSwap() && names.contains("cgroups/mem") && candidate.version() == Hierarchy.Version.V1
            && !Files.exists(candidate.root().resolve("memory").resolve("memory.memsw.limit_in_bytes"))) {
          throw new IOException("--cgroups_limit_swap needs memory.memsw.limit_in_bytes (swap accounting is off)");
        }
        hierarchy = candidate;
      } catch (IOException | RuntimeException e) {
        // As Mesos: an isolator that cannot be created is fatal, never a silent loss of enforcement.
        throw new IllegalStateException("Failed to create a containerizer: cannot use " + candidate
            + " for isolation " + String.join(",", names) + ": " + e.getMessage(), e);
      }
    }
    List<Isolator> isolators = isolators(names, flags, hierarchy);
    List<String> used = isolators.stream().map(Isolator::name).toList();
    if (hierarchy != null) {
      LOG.info("Using isolators {} on {}", used, hierarchy);
    } else {
      LOG.info("Using posix-only isolators {}: containers are process trees, their resources are not enforced",
          used);
    }
    return new Containerizer(launcher, hierarchy, isolators);
  }

  private static List<Isolator> isolators(List<String> names, AgentFlags flags, Hierarchy hierarchy) {
    List<Isolator> isolators = new ArrayList<>();
    for (String name : names) {
      switch (name) {
        case "cgroups/cpu" -> isolators.add(new CgroupsCpuIsolator(flags.cgroupsEnableCfs()));
        case "cgroups/mem" -> isolators.add(new CgroupsMemIsolator(flags.cgroupsLimitSwap()));
        case "cgroups/pids" -> isolators.add(new CgroupsPidsIsolator());
        case "posix/cpu" -> isolators.add(PosixIsolators.cpu());
        case "posix/mem" -> isolators.add(PosixIsolators.mem());
        default -> throw new IllegalArgumentException("Unknown isolator " + name);
      }
    }
    return isolators;
  }

  /** The isolators in use, by name. */
  public List<String> isolatorNames() {
    return isolators.stream().map(Isolator::name).toList();
  }

  /** The cgroup hierarchy in use, empty under posix isolation. */
  public Optional<Hierarchy> hierarchy() {
    return Optional.ofNullable(hierarchy);
  }

  /** Where the container's cgroups will be, or null under posix isolation. Pure; callable on the actor. */
  public ContainerCgroups cgroupsFor(ContainerID containerId) {
    return hierarchy == null ? null : hierarchy.container(containerId, controllers);
  }

  /**
   * Launches the container: sandbox ownership, cgroups and their limits, then the process. On failure
   * nothing is left behind. Blocking.
   *
   * @param onLimitation told (on a containerizer thread) when the running container hits a limitation
   * @throws IOException with a message for the task's status (unknown user, cgroups not writable, fork)
   */
  public LaunchedProcess launch(Container container, LaunchSpec spec, Resources resources,
      Consumer<Limitation> onLimitation) throws IOException {
    synchronized (lifecycle) {
      if (closed) {
        throw new IOException("The containerizer is shutting down");
      }
      launching++;
    }
    try {
      return launchNow(container, spec, resources, onLimitation);
    } finally {
      synchronized (lifecycle) {
        launching--;
        lifecycle.notifyAll();
      }
    }
  }

  private LaunchedProcess launchNow(Container container, LaunchSpec spec, Resources resources,
      Consumer<Limitation> onLimitation) throws IOException {
    LaunchSpec launch = spec;
    if (container.user() != null) {
      RunAs user = RunAs.lookup(container.user());
      chown(container.sandbox(), user);
      launch = launch.withUser(user);
    }
    ContainerCgroups cgroups = container.cgroups();
    if (cgroups == null) {
      return track(container, launcher.launch(launch));
    }
    try {
      Cgroups.create(cgroups);
      for (Isolator isolator : isolators) {
        isolator.update(cgroups, resources);
      }
      LaunchedProcess process = new CgroupsProcess(launcher.launch(launch.withCgroups(cgroups.procsFiles())),
          cgroups, blocking, () -> lastCheck(container));
      watched.put(container.id().getValue(), new Watch(container, onLimitation));
      return track(container, process);
    } catch (IOException | RuntimeException e) {
      try {
        Cgroups.destroy(cgroups);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private LaunchedProcess track(Container container, LaunchedProcess process) {
    String id = container.id().getValue();
    live.put(id, process);
    process.onExit().whenComplete((status, error) -> live.remove(id, process));
    return process;
  }

  /** Applies a running container's new resources; changes are applied one at a time, in call order. */
  public void update(Container container, Resources resources) {
    ContainerCgroups cgroups = container.cgroups();
    if (cgroups == null) {
      return;
    }
    String id = container.id().getValue();
    updates.execute(() -> {
      if (!Files.isDirectory(cgroups.procsDir())) {
        return;
      }
      try {
        for (Isolator isolator : isolators) {
          isolator.update(cgroups, resources);
        }
        LOG.info("Updated container {} to cpus {} and mem {}MB", id, resources.scalar("cpus"),
            resources.scalar("mem"));
      } catch (IOException e) {
        LOG.warn("Failed to update the resources of container {}: {}", id, e.getMessage());
      }
    });
  }

  /**
   * The container's resource usage, as Mesos' {@code usage}: each isolator's part, the limits of the
   * container's resources and, with cgroups, its process and thread counts. Blocking.
   */
  public ResourceStatistics usage(ContainerCgroups cgroups, long pid, Resources resources, double timestamp)
      throws IOException {
    ResourceStatistics.Builder statistics = ResourceStatistics.newBuilder().setTimestamp(timestamp);
    if (pid <= 0) {
      return statistics.build();
    }
    for (Isolator isolator : isolators) {
      isolator.usage(cgroups, pid, statistics);
    }
    if (resources.scalar("cpus") > 0) {
      statistics.setCpusLimit(resources.scalar("cpus"));
    }
    if (resources.scalar("mem") > 0) {
      statistics.setMemLimitBytes(CgroupsMemIsolator.limitBytes(resources.scalar("mem")));
    }
    if (cgroups != null && !statistics.hasProcesses()) {
      Path procs = cgroups.procsDir();
      statistics.setProcesses(Cgroups.pids(procs).size());
      if (cgroups.version() == Hierarchy.Version.V1) {
        try (Stream<String> tasks = Files.lines(procs.resolve("tasks"))) {
          statistics.setThreads((int) tasks.count());
        }
      }
    }
    return statistics.build();
  }

  /**
   * Asks the isolators now whether the running container hit a limitation, as the watcher would on its next
   * round; records it on the container. Reads one small control file per isolator.
   */
  public Optional<Limitation> checkLimitation(Container container) {
    if (container.limitation() != null) {
      return Optional.of(container.limitation());
    }
    Watch watch = watched.get(container.id().getValue());
    if (watch == null) {
      return Optional.empty();
    }
    return check(watch);
  }

  /** The first process exited: the last look at the counters before the cgroups go. */
  private void lastCheck(Container container) {
    Watch watch = watched.remove(container.id().getValue());
    if (watch != null) {
      check(watch);
    }
  }

  private void watch() {
    for (Watch watch : watched.values()) {
      check(watch);
    }
  }

  private Optional<Limitation> check(Watch watch) {
    ContainerCgroups cgroups = watch.container.cgroups();
    for (Isolator isolator : isolators) {
      try {
        Optional<Limitation> hit = isolator.limitation(cgroups);
        if (hit.isPresent()) {
          if (watch.container.recordLimitation(hit.get())) {
            watched.remove(watch.container.id().getValue());
            LOG.warn("Container {} hit its {} limit", watch.container.id().getValue(), hit.get().resource());
            watch.onLimitation.accept(hit.get());
          }
          return Optional.of(watch.container.limitation());
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("Cannot check {} of container {}: {}", isolator.name(), watch.container.id().getValue(),
            e.toString());
      }
    }
    return Optional.empty();
  }

  /** Gives the sandbox to the executor's user, as Mesos chowns the executor's run directory. */
  private static void chown(Path sandbox, RunAs user) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(sandbox)) {
      paths = walk.toList();
    }
    for (Path path : paths) {
      Files.setAttribute(path, "unix:uid", (int) user.uid());
      Files.setAttribute(path, "unix:gid", (int) user.gid());
    }
  }

  /**
   * Kills every container still running and waits (bounded) until each is destroyed, cgroups included, so
   * that an agent that stops leaves nothing behind. Idempotent.
   */
  @Override
  public void close() {
    // No launch may start from now on, and the ones in flight are waited for (a fork is quick), so that
    // every container that exists is in `live` and killed below: a launch that finished after the kills
    // would leave its process and its cgroups behind.
    synchronized (lifecycle) {
      closed = true;
      long deadline = System.nanoTime() + LAUNCH_WAIT.toNanos();
      while (launching > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          LOG.warn("{} container launches still in flight after {}s; stopping anyway", launching,
              LAUNCH_WAIT.toSeconds());
          break;
        }
        try {
          lifecycle.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    List<java.util.concurrent.CompletableFuture<Integer>> exits = new ArrayList<>();
    for (LaunchedProcess process : live.values()) {
      process.kill(Launcher.Signal.KILL);
      exits.add(process.onExit());
    }
    try {
      java.util.concurrent.CompletableFuture.allOf(exits.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
          .get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("Containers {} were not destroyed cleanly: {}", live.keySet(), e.toString());
    }
    watcher.shutdownNow();
    updates.shutdown();
    blocking.shutdown();
    if (launcher instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("Launcher failed to close: {}", e.toString());
      }
    }
  }

  private static Thread thread(Runnable r, String prefix) {
    Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  /** A running container whose limitations are watched. */
  private record Watch(Container container, Consumer<Limitation> onLimitation) {}
}
