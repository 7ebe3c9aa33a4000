package io.jmesos.agent.containers;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.cgroups.Cgroups;
import io.jmesos.agent.containers.cgroups.CgroupsProcess;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.agent.containers.cgroups.Hierarchy;
import io.jmesos.agent.containers.isolators.CgroupsMemIsolator;
import io.jmesos.agent.containers.isolators.Isolator;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>Containers outlive the agent: each one's first process is a supervisor in a session of its own that
 * records the command's exit status under {@code --runtime_dir} ({@link ContainerRuntime}), where the
 * containerizer also checkpoints the process before {@link #launch} returns. An agent that stops may
 * {@link #detach} and leave its containers running; the next one {@link #recover}s them, adopting the ones
 * still running and destroying the ones it does not know (orphans), as Mesos' containerizer does.
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
  /** How long recovery waits for a killed orphan's first process to go away. */
  private static final Duration ORPHAN_WAIT = Duration.ofSeconds(30);

  private final Launcher launcher;
  private final ContainerRuntime runtime;
  private final Hierarchy hierarchy;
  private final List<Isolator> isolators;
  private final List<String> controllers;
  private final ExecutorService blocking = Executors.newCachedThreadPool(r -> thread(r, "containerizer-"));
  private final ExecutorService updates = Executors.newSingleThreadExecutor(r -> thread(r, "containerizer-update-"));
  private final ScheduledExecutorService watcher =
      Executors.newSingleThreadScheduledExecutor(r -> thread(r, "containerizer-watch-"));
  private final Map<String, Watch> watched = new ConcurrentHashMap<>();
  private final Map<String, LaunchedProcess> live = new ConcurrentHashMap<>();
  /** Recovered first processes still running: not children of this JVM, the watcher polls them. */
  private final Set<RecoveredProcess> adopted = ConcurrentHashMap.newKeySet();
  /**
   * Guards {@link #closed}, {@link #launching}, {@link #launched} and {@link #recovered}: a launch in flight
   * when the agent stops is waited for, and recovery (which destroys unknown containers) comes once, before
   * the first launch.
   */
  private final Object lifecycle = new Object();
  private boolean closed;
  private int launching;
  private boolean launched;
  private boolean recovered;
  /** Set by {@link #detach}: from then on, exits clean nothing up (the next agent owns the containers). */
  private volatile boolean detached;

  Containerizer(Launcher launcher, Hierarchy hierarchy, List<Isolator> isolators, ContainerRuntime runtime) {
    this.launcher = Objects.requireNonNull(launcher);
    this.runtime = Objects.requireNonNull(runtime);
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
    return Isolation.containerizer(flags, launcher);
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
      launched = true;
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

  /**
   * Launches a nested container's process (Mesos' {@code LAUNCH_NESTED_CONTAINER}): in the cgroups of its root
   * container (no cgroups of its own: the nested container shares its parent's limits, as Mesos' containers do
   * with {@code share_cgroups}), as the root container's user (the sandbox chowned to it), without a supervisor
   * or a checkpoint: a restarted agent does not recover nested containers. Its exit, and a SIGKILL, reach what
   * is left in its session ({@link SessionProcess}). The caller kills it with its root.
   * Blocking.
   *
   * @throws IOException with a message for the launch's error (unknown user, fork)
   */
  public LaunchedProcess launchNested(Container root, LaunchSpec spec) throws IOException {
    synchronized (lifecycle) {
      if (closed) {
        throw new IOException("The containerizer is shutting down");
      }
      launching++;
      launched = true;
    }
    try {
      LaunchSpec launch = spec;
      if (root.user() != null) {
        RunAs user = RunAs.lookup(root.user());
        chown(spec.workingDirectory(), user);
        launch = launch.withUser(user);
      }
      ContainerCgroups cgroups = root.cgroups();
      if (cgroups != null) {
        launch = launch.withCgroups(cgroups.procsFiles());
      }
      // Its own session either way: the root's cgroups outlive it, so what it leaves there is found by session.
      return new SessionProcess(launcher.launch(launch), blocking);
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
    ContainerID id = container.id();
    launch = launch.withStatusFile(runtime.statusFile(id));
    try {
      runtime.prepare(id);
      ContainerCgroups cgroups = container.cgroups();
      if (cgroups == null) {
        LaunchedProcess process = launcher.launch(launch);
        checkpoint(id, process);
        return track(container, new SessionProcess(process, blocking));
      }
      return launchInCgroups(container, cgroups, launch, resources, onLimitation);
    } catch (IOException | RuntimeException e) {
      try {
        runtime.remove(id);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private LaunchedProcess launchInCgroups(Container container, ContainerCgroups cgroups, LaunchSpec launch,
      Resources resources, Consumer<Limitation> onLimitation) throws IOException {
    String id = container.id().getValue();
    try {
      Cgroups.create(cgroups);
      for (Isolator isolator : isolators) {
        isolator.update(cgroups, resources);
      }
      // Watched before the fork: a process that exits at once finds its watch for the last check.
      watched.put(id, new Watch(container, onLimitation));
      LaunchedProcess started = launcher.launch(
          launch.withCgroups(cgroups.supervisorProcsFiles(), cgroups.commandProcsFiles()));
      checkpoint(container.id(), started);
      LaunchedProcess process = new CgroupsProcess(started, cgroups, blocking, () -> lastCheck(container),
          () -> detached);
      return track(container, process);
    } catch (IOException | RuntimeException e) {
      watched.remove(id);
      try {
        Cgroups.destroy(cgroups);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Records the first process for a restarted agent; a process that cannot be recorded is killed. */
  private void checkpoint(ContainerID id, LaunchedProcess process) throws IOException {
    try {
      runtime.checkpoint(id, process.pid());
    } catch (IOException | RuntimeException e) {
      process.kill(Launcher.Signal.KILL);
      throw new IOException("Failed to checkpoint pid " + process.pid() + " of container " + id.getValue() + ": "
          + e.getMessage(), e);
    }
  }

  private LaunchedProcess track(Container container, LaunchedProcess process) {
    String id = container.id().getValue();
    live.put(id, process);
    process.onExit().whenComplete((status, error) -> live.remove(id, process));
    return process;
  }

  /**
   * Recovers the containers the agent's checkpoint knows (Mesos' containerizer recover), before any launch.
   * For each one, a process that stands for its first process: when the checkpointed process still runs
   * (same pid, start time and boot) it is adopted: its exit is noticed by the watcher (within
   * {@link #WATCH_INTERVAL}) and reported with the status its supervisor recorded (null if it was killed before
   * it could), it can be killed as a launched one, and its cgroups are watched for limitations and destroyed
   * after it exits. Otherwise it is reported exited already, with the recorded status or null (after a reboot,
   * a reused pid, or no checkpoint at all); whatever is left in its cgroups is killed and they are removed
   * (a limitation the cgroups recorded meanwhile is reported first). Every container under the runtime
   * directory that is not known is an orphan: its processes and cgroups are killed, waited for and its
   * runtime directory removed. Only the runtime directory names orphans: the cgroups root may be shared
   * with other agents. Blocking.
   *
   * <p>The runtime directory of a known container stays until {@link #forget}.
   *
   * @return the recovered processes, by container id, in the order given
   * @throws IOException when the runtime directory cannot be read
   * @throws IllegalStateException when a container was launched, or recovery ran, already
   */
  public Map<ContainerID, LaunchedProcess> recover(Collection<KnownContainer> known) throws IOException {
    synchronized (lifecycle) {
      if (closed) {
        throw new IOException("The containerizer is shutting down");
      }
      if (launched || recovered) {
        throw new IllegalStateException("Containers are recovered once, before the first launch");
      }
      recovered = true;
    }
    Map<ContainerID, LaunchedProcess> processes = new LinkedHashMap<>();
    Set<String> knownIds = new HashSet<>();
    for (KnownContainer container : known) {
      knownIds.add(container.container().id().getValue());
      processes.put(container.container().id(), recover(container));
    }
    int orphans = 0;
    for (ContainerID id : runtime.containers()) {
      if (!knownIds.contains(id.getValue())) {
        destroyOrphan(id);
        orphans++;
      }
    }
    LOG.info("Recovered {} containers ({} running), destroyed {} orphans", processes.size(), adopted.size(),
        orphans);
    return processes;
  }

  private LaunchedProcess recover(KnownContainer known) throws IOException {
    Container container = known.container();
    ContainerID id = container.id();
    ContainerCgroups cgroups = existingCgroups(id);
    if (cgroups != null && container.cgroups() == null) {
      container.setCgroups(cgroups);
    }
    Optional<ProcessIdentity> checkpointed = runtime.process(id);
    RecoveredProcess process;
    if (checkpointed.isPresent() && checkpointed.get().alive()) {
      process = RecoveredProcess.adopted(id.getValue(), checkpointed.get(), () -> runtime.status(id));
      adopted.add(process);
      LOG.info("Recovered running container {} with pid {}{}", id.getValue(), process.pid(),
          cgroups == null ? "" : " in cgroups " + cgroups);
    } else {
      Integer status = runtime.status(id);
      long pid = checkpointed.map(ProcessIdentity::pid).orElse(-1L);
      process = RecoveredProcess.exited(id.getValue(), pid, status);
      LOG.info("Recovered container {} (pid {}) is gone ({}) with status {}", id.getValue(), pid,
          gone(checkpointed), status);
    }
    if (cgroups == null) {
      // An adopted one's session is still its (its leader lives); a gone one's number may be another's now.
      return track(container, process.onExit().isDone() ? process : new SessionProcess(process, blocking));
    }
    // Watched before the cleanup of an exited one can run, so that its last check finds the watch.
    watched.put(id.getValue(), new Watch(container, known.onLimitation()));
    return track(container, new CgroupsProcess(process, cgroups, blocking, () -> lastCheck(container),
        () -> detached));
  }

  private static String gone(Optional<ProcessIdentity> checkpointed) {
    if (checkpointed.isEmpty()) {
      return "no pid checkpointed";
    }
    return checkpointed.get().bootId().equals(ProcessIdentity.currentBootId()) ? "exited"
        : "the machine rebooted";
  }

  /** The container's cgroups when some of them exist, else null (posix isolation, or never created). */
  private ContainerCgroups existingCgroups(ContainerID id) {
    ContainerCgroups cgroups = cgroupsFor(id);
    if (cgroups == null || cgroups.dirs().stream().noneMatch(Files::isDirectory)) {
      return null;
    }
    return cgroups;
  }

  /**
   * Kills an unknown container's first process (when the checkpointed one still runs) and its descendants,
   * waits until it is gone, destroys its cgroups and removes its runtime directory. A failure is logged and
   * leaves the directory for the next recovery.
   */
  private void destroyOrphan(ContainerID id) {
    String value = id.getValue();
    try {
      Optional<ProcessIdentity> checkpointed = runtime.process(id);
      boolean running = checkpointed.isPresent() && checkpointed.get().alive();
      if (running) {
        ProcessIdentity identity = checkpointed.get();
        RecoveredProcess.signal(identity, Launcher.Signal.KILL);
        long deadline = System.nanoTime() + ORPHAN_WAIT.toNanos();
        while (identity.alive()) {
          if (System.nanoTime() > deadline) {
            throw new IOException("pid " + identity.pid() + " still runs " + ORPHAN_WAIT.toSeconds()
                + "s after SIGKILL");
          }
          Thread.sleep(10);
        }
      }
      ContainerCgroups cgroups = existingCgroups(id);
      if (cgroups != null) {
        Cgroups.destroy(cgroups);
      }
      runtime.remove(id);
      LOG.warn("Destroyed orphan container {}: unknown to the agent (pid {}{}{})", value,
          checkpointed.map(ProcessIdentity::pid).orElse(-1L), running ? ", killed" : ", not running",
          cgroups == null ? "" : ", cgroups " + cgroups);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Failed to destroy orphan container {}: {}", value, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("Interrupted while destroying orphan container {}", value);
    }
  }

  /**
   * Removes the container's runtime directory: the agent is done with the container (its executor completed)
   * and needs its exit status no more. Harmless when it is gone. Blocking (a few small files).
   */
  public void forget(ContainerID containerId) {
    try {
      runtime.remove(containerId);
    } catch (IOException e) {
      LOG.warn("Failed to remove the runtime directory of container {}: {}", containerId.getValue(),
          e.getMessage());
    }
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
    // Nothing may escape: an exception would end the periodic task for good.
    try {
      for (RecoveredProcess process : adopted) {
        if (process.poll()) {
          adopted.remove(process);
        }
      }
      for (Watch watch : watched.values()) {
        check(watch);
      }
    } catch (RuntimeException e) {
      LOG.warn("Failed to watch the containers: {}", e.toString());
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
   * Kills every container still running and waits (bounded) until each is destroyed, cgroups included, and
   * removes their runtime directories, so that an agent that stops leaves nothing behind. Idempotent; does
   * nothing after {@link #detach}.
   */
  @Override
  public void close() {
    if (!stopLaunches()) {
      return;
    }
    Map<String, LaunchedProcess> killed = Map.copyOf(live);
    List<CompletableFuture<Integer>> exits = new ArrayList<>();
    for (LaunchedProcess process : killed.values()) {
      process.kill(Launcher.Signal.KILL);
      exits.add(process.onExit());
    }
    try {
      CompletableFuture.allOf(exits.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Containers {} were not destroyed cleanly: {}", live.keySet(), e.toString());
    }
    killed.forEach((id, process) -> {
      if (process.onExit().isDone()) {
        forget(ContainerID.newBuilder().setValue(id).build());
      }
    });
    stopThreads();
  }

  /**
   * Stops the containerizer and leaves every container running, cgroups and runtime directories included, for
   * the next agent to {@link #recover}: launches are refused (those in flight are waited for), limitations are
   * no longer watched nor resources updated, and exits seen from now on clean nothing up. Idempotent; does
   * nothing after {@link #close}.
   */
  public void detach() {
    detach(true);
  }

  /**
   * {@link #detach()} as a crash leaves things: launches in flight are not waited for (a process they fork is
   * recovered or destroyed as an orphan by the next agent). For tests of what a restarted agent finds.
   */
  public void abandon() {
    detach(false);
  }

  private void detach(boolean waitForLaunches) {
    if (!stopLaunches(waitForLaunches)) {
      return;
    }
    detached = true;
    LOG.info("Detached from containers {}: they keep running for the next agent to recover", live.keySet());
    stopThreads();
  }

  /**
   * Refuses launches from now on and waits (bounded) for the ones in flight, so that every container that
   * exists is in {@link #live}: one that finished launching afterwards would escape a close's kills. False
   * when the containerizer was stopped already.
   */
  private boolean stopLaunches() {
    return stopLaunches(true);
  }

  private boolean stopLaunches(boolean waitForLaunches) {
    synchronized (lifecycle) {
      if (closed) {
        return false;
      }
      closed = true;
      if (!waitForLaunches) {
        return true;
      }
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
      return true;
    }
  }

  private void stopThreads() {
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
