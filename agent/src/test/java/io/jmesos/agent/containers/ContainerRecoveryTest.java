package io.jmesos.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.agent.containers.cgroups.Hierarchy;
import io.jmesos.agent.containers.isolators.CgroupsMemIsolator;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers that outlive their containerizer: one containerizer launches them and {@link Containerizer#detach
 * detaches}, a second one on the same runtime directory {@link Containerizer#recover recovers} them, as an
 * agent restarted after a crash would. Real processes; the cgroup cases run on the machine's v1 hierarchies
 * and are skipped where those cannot be written.
 */
@Timeout(90)
class ContainerRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path work;
  private final List<Containerizer> containerizers = new ArrayList<>();
  private final List<Long> pids = new CopyOnWriteArrayList<>();
  private CgroupsTesting cgroups;
  private Hierarchy hierarchy;

  @AfterEach
  void tearDown() {
    try {
      containerizers.forEach(Containerizer::close);
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(p -> {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        });
      }
    } finally {
      if (cgroups != null) {
        cgroups.cleanup();
      }
    }
  }

  private Path runtimeDir() {
    return work.resolve("runtime");
  }

  private Containerizer posix() {
    Containerizer c = new Containerizer(new PosixLauncher(), null, List.of(), new ContainerRuntime(runtimeDir()));
    containerizers.add(c);
    return c;
  }

  private Containerizer withCgroups() throws IOException {
    if (cgroups == null) {
      CgroupsTesting.assumeWritableV1();
      cgroups = new CgroupsTesting();
      hierarchy = Hierarchy.detect(CgroupsTesting.HIERARCHY, cgroups.root);
      hierarchy.prepare(List.of("memory", "freezer"));
    }
    Containerizer c = new Containerizer(new PosixLauncher(), hierarchy, List.of(new CgroupsMemIsolator(false)),
        new ContainerRuntime(runtimeDir()));
    containerizers.add(c);
    return c;
  }

  private static ContainerID id(String value) {
    return ContainerID.newBuilder().setValue(value).build();
  }

  /** The agent's view of a container, as a restarted agent rebuilds it from its checkpoint: no cgroups yet. */
  private Container container(String id) throws IOException {
    Path sandbox = Files.createDirectories(work.resolve("sandboxes").resolve(id));
    return new Container(id(id), sandbox, ExecutorInfo.getDefaultInstance(), Resources.parse("cpus:0.1;mem:32"));
  }

  private LaunchedProcess launch(Containerizer c, Container container, String shell) throws IOException {
    container.setCgroups(c.cgroupsFor(container.id()));
    Path sandbox = container.sandbox();
    LaunchSpec spec = new LaunchSpec(List.of("sh", "-c", shell), Map.of("PATH", System.getenv("PATH")), sandbox,
        sandbox.resolve("stdout"), sandbox.resolve("stderr"));
    LaunchedProcess process = c.launch(container, spec, container.resources(), hit -> { });
    pids.add(process.pid());
    return process;
  }

  /** The command's process: the supervisor's only child, once it started it. */
  private static long commandOf(LaunchedProcess process) {
    Awaitility.await().atMost(WAIT).until(() -> ProcessHandle.of(process.pid())
        .map(p -> p.children().findAny().isPresent()).orElse(false));
    return ProcessHandle.of(process.pid()).orElseThrow().children().findFirst().orElseThrow().pid();
  }

  private Path runtimeDirOf(String id) {
    return runtimeDir().resolve("containers").resolve(id);
  }

  private static void touch(Path file) throws IOException {
    Files.writeString(file, "");
  }

  @Test
  void theSupervisorRecordsTheStatusTheLauncherReports() throws Exception {
    Containerizer c = posix();
    LaunchedProcess three = launch(c, container("three"), "exit 3");
    assertThat(three.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3 << 8);
    assertThat(Files.readString(runtimeDirOf("three").resolve("status")).trim()).isEqualTo("768");

    Container sleeping = container("sleeper");
    LaunchedProcess sleeper = launch(c, sleeping, "echo started >&2; exec sleep 600");
    long command = commandOf(sleeper);
    sleeper.kill(Signal.TERM);
    assertThat(sleeper.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(15);
    assertThat(Files.readString(runtimeDirOf("sleeper").resolve("status")).trim()).isEqualTo("15");
    assertThat(CgroupsTesting.alive(command)).isFalse();
    // The command's stderr only: not the shell's report of a child killed by a signal.
    assertThat(Files.readString(sleeping.sandbox().resolve("stderr"))).isEqualTo("started\n");

    // The pid checkpoint names the supervisor, with its start time and this boot.
    List<String> pidFile = Files.readAllLines(runtimeDirOf("sleeper").resolve("pid"));
    assertThat(pidFile.get(0)).isEqualTo(String.valueOf(sleeper.pid()));
    assertThat(pidFile.get(2)).isEqualTo(ProcessIdentity.currentBootId());
  }

  @Test
  void aRunningContainerIsAdoptedAndItsExitStatusReadFromTheStatusFile() throws Exception {
    Containerizer first = posix();
    Container launched = container("c1");
    LaunchedProcess original = launch(first, launched, "exec sleep 600");
    long command = commandOf(original);
    first.detach();
    assertThat(CgroupsTesting.alive(original.pid())).isTrue();
    assertThatThrownBy(() -> first.launch(launched, null, launched.resources(), hit -> { }))
        .isInstanceOf(IOException.class);

    Containerizer second = posix();
    Map<ContainerID, LaunchedProcess> recovered =
        second.recover(List.of(new KnownContainer(container("c1"), hit -> { })));
    LaunchedProcess adopted = recovered.get(id("c1"));
    assertThat(adopted.pid()).isEqualTo(original.pid());
    assertThat(adopted.onExit()).isNotDone();
    assertThat(CgroupsTesting.alive(command)).isTrue();

    adopted.kill(Signal.TERM);
    assertThat(adopted.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(15);
    assertThat(CgroupsTesting.alive(command)).isFalse();
    // Kept until the agent is done with the container.
    assertThat(runtimeDirOf("c1")).isDirectory();
    second.forget(id("c1"));
    assertThat(runtimeDirOf("c1")).doesNotExist();
  }

  @Test
  void aContainerThatExitedWhileNoContainerizerRanIsReportedWithItsStatus() throws Exception {
    Containerizer first = posix();
    Container launched = container("gone");
    LaunchedProcess original = launch(first, launched, "while [ ! -e go ]; do sleep 0.05; done; exit 3");
    first.detach();
    ProcessIdentity identity = new ContainerRuntime(runtimeDir()).process(id("gone")).orElseThrow();
    touch(launched.sandbox().resolve("go"));
    Awaitility.await().atMost(WAIT).until(() -> !identity.alive());
    assertThat(original.pid()).isEqualTo(identity.pid());

    Containerizer second = posix();
    LaunchedProcess recovered = second.recover(List.of(new KnownContainer(container("gone"), hit -> { })))
        .get(id("gone"));
    assertThat(recovered.onExit()).isCompletedWithValue(3 << 8);
    assertThat(recovered.pid()).isEqualTo(identity.pid());
  }

  @Test
  void anUnknownContainerIsAnOrphanThatIsKilledAndForgotten() throws Exception {
    Containerizer first = posix();
    LaunchedProcess orphan = launch(first, container("orphan"), "exec sleep 600");
    long command = commandOf(orphan);
    LaunchedProcess kept = launch(first, container("kept"), "exec sleep 600");
    first.detach();

    Containerizer second = posix();
    Map<ContainerID, LaunchedProcess> recovered =
        second.recover(List.of(new KnownContainer(container("kept"), hit -> { })));
    assertThat(recovered).containsOnlyKeys(id("kept"));
    // Killed and waited for before recover returns.
    assertThat(CgroupsTesting.alive(orphan.pid())).isFalse();
    Awaitility.await().atMost(WAIT).until(() -> !CgroupsTesting.alive(command));
    assertThat(runtimeDirOf("orphan")).doesNotExist();
    assertThat(CgroupsTesting.alive(kept.pid())).isTrue();
    assertThat(recovered.get(id("kept")).onExit()).isNotDone();
  }

  @Test
  void aReusedPidOrAnotherBootIsNotAdoptedAndNothingIsKilled() throws Exception {
    Process bystander = new ProcessBuilder("sleep", "600").start();
    pids.add(bystander.pid());
    ProcessIdentity real = ProcessIdentity.of(bystander.pid()).orElseThrow();
    ContainerRuntime runtime = new ContainerRuntime(runtimeDir());
    checkpoint(runtime, "reused", new ProcessIdentity(real.pid(), real.startTicks() - 1, real.bootId()));
    checkpoint(runtime, "rebooted", new ProcessIdentity(real.pid(), real.startTicks(), "another-boot"));
    checkpoint(runtime, "reused-orphan", new ProcessIdentity(real.pid(), real.startTicks() + 1, real.bootId()));
    ContainerRuntime.writeAtomically(runtime.statusFile(id("rebooted")), "768\n");

    Containerizer c = posix();
    Map<ContainerID, LaunchedProcess> recovered = c.recover(List.of(
        new KnownContainer(container("reused"), hit -> { }),
        new KnownContainer(container("rebooted"), hit -> { }),
        new KnownContainer(container("never-launched"), hit -> { })));
    assertThat(recovered.get(id("reused")).onExit()).isCompletedWithValue(null);
    // A status recorded before the reboot is still the container's.
    assertThat(recovered.get(id("rebooted")).onExit()).isCompletedWithValue(768);
    assertThat(recovered.get(id("never-launched")).onExit()).isCompletedWithValue(null);
    assertThat(recovered.get(id("never-launched")).pid()).isEqualTo(-1);
    recovered.get(id("reused")).kill(Signal.KILL);
    assertThat(runtimeDirOf("reused-orphan")).doesNotExist();
    assertThat(runtimeDirOf("reused")).isDirectory();
    c.close();
    assertThat(bystander.isAlive()).isTrue();
  }

  @Test
  void anAdoptedProcessThatIsNotAChildOfThisJvmIsSeenToExit() throws Exception {
    // As after an agent crash: the supervisor's parent is gone (setsid -f forks and its parent exits), so
    // nothing in this JVM is told of its exit.
    ContainerRuntime runtime = new ContainerRuntime(runtimeDir());
    runtime.prepare(id("stray"));
    Path status = runtime.statusFile(id("stray"));
    Process starter = new ProcessBuilder("setsid", "-f", "sh", "-c", PosixLauncher.SUPERVISE, "mesos-containerizer",
        status.toString(), "0", "0", "sleep", "600").start();
    assertThat(starter.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Awaitility.await().atMost(WAIT).until(() -> supervisorOf(status).isPresent());
    ProcessHandle supervisor = supervisorOf(status).orElseThrow();
    pids.add(supervisor.pid());
    assertThat(supervisor.parent().map(ProcessHandle::pid)).isNotEqualTo(Optional.of(ProcessHandle.current().pid()));
    checkpoint(runtime, "stray", ProcessIdentity.of(supervisor.pid()).orElseThrow());

    Containerizer c = posix();
    LaunchedProcess adopted = c.recover(List.of(new KnownContainer(container("stray"), hit -> { })))
        .get(id("stray"));
    assertThat(adopted.onExit()).isNotDone();
    Awaitility.await().atMost(WAIT).until(() -> supervisor.children().findAny().isPresent());
    adopted.kill(Signal.TERM);
    assertThat(adopted.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(15);
  }

  private static Optional<ProcessHandle> supervisorOf(Path status) {
    try (var all = ProcessHandle.allProcesses()) {
      return all.filter(p -> p.info().commandLine().orElse("").contains(status.toString())
          && p.info().commandLine().orElse("").contains("_jm_done")).findFirst();
    }
  }

  private static void checkpoint(ContainerRuntime runtime, String id, ProcessIdentity identity) throws IOException {
    runtime.prepare(id(id));
    ContainerRuntime.writeAtomically(runtime.dir(id(id)).resolve("pid"),
        identity.pid() + "\n" + identity.startTicks() + "\n" + identity.bootId() + "\n");
  }

  @Test
  void whatAPosixContainerLeavesInItsSessionDiesWithIt() throws Exception {
    Containerizer c = posix();
    Container container = container("leaver");
    // The command exits at once and leaves a child behind, outside the supervisor's tree (re-parented).
    LaunchedProcess process = launch(c, container, "sleep 600 & echo $! > child; exit 0");

    assertThat(process.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    long child = Long.parseLong(Files.readString(container.sandbox().resolve("child")).trim());
    pids.add(child);
    Awaitility.await().atMost(WAIT).until(() -> !CgroupsTesting.alive(child));
  }

  @Test
  void closeDestroysAdoptedContainersAndDetachLeavesThemRunning() throws Exception {
    Containerizer first = posix();
    LaunchedProcess original = launch(first, container("c1"), "exec sleep 600");
    first.detach();
    first.close();
    assertThat(CgroupsTesting.alive(original.pid())).isTrue();

    Containerizer second = posix();
    LaunchedProcess adopted = second.recover(List.of(new KnownContainer(container("c1"), hit -> { })))
        .get(id("c1"));
    assertThatThrownBy(() -> second.recover(List.of())).isInstanceOf(IllegalStateException.class);
    second.close();
    assertThat(adopted.onExit()).isCompletedWithValue(null);
    assertThat(CgroupsTesting.alive(original.pid())).isFalse();
    assertThat(runtimeDirOf("c1")).doesNotExist();
  }

  @Test
  void anAdoptedContainerKeepsItsCgroupsItsMemoryLimitIsStillWatchedAndTheyGoAfterItsExit() throws Exception {
    Containerizer first = withCgroups();
    Container launched = container("oom");
    // Past the 32MB limit once told to: tail keeps its newline-free input in memory.
    LaunchedProcess original = launch(first, launched,
        "while [ ! -e go ]; do sleep 0.05; done; head -c 256M /dev/zero | tail");
    ContainerCgroups containerCgroups = launched.cgroups();
    // The supervisor joins the cgroups but memory's, then starts the command, which joins memory's too (so
    // that the container's OOM killer can never take the supervisor and the status it records).
    long command = commandOf(original);
    first.detach();
    Path memory = containerCgroups.dir("memory");
    Awaitility.await().atMost(WAIT).until(() -> CgroupsTesting.pids(memory).contains(command));
    assertThat(CgroupsTesting.pids(memory)).doesNotContain(original.pid());
    for (Path dir : containerCgroups.dirs()) {
      if (!dir.equals(memory)) {
        assertThat(CgroupsTesting.pids(dir)).contains(original.pid(), command);
      }
    }

    Containerizer second = withCgroups();
    List<Limitation> limitations = new CopyOnWriteArrayList<>();
    Container known = container("oom");
    LaunchedProcess adopted = second.recover(List.of(new KnownContainer(known, limitations::add))).get(id("oom"));
    assertThat(known.cgroups().dirs()).isEqualTo(containerCgroups.dirs());
    assertThat(adopted.pid()).isEqualTo(original.pid());
    assertThat(adopted.onExit()).isNotDone();
    assertThat(CgroupsTesting.read(containerCgroups.dir("memory"), "memory.limit_in_bytes"))
        .isEqualTo(String.valueOf(32L << 20));

    touch(launched.sandbox().resolve("go"));
    Awaitility.await().atMost(WAIT).until(() -> !limitations.isEmpty());
    assertThat(limitations.get(0).reason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
    assertThat(known.limitation()).isEqualTo(limitations.get(0));
    // The OOM killer took tail (SIGKILL): the command's shell exited with 128 + 9, recorded as such.
    assertThat(adopted.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(9);
    for (Path dir : containerCgroups.dirs()) {
      assertThat(dir).doesNotExist();
    }
    assertThat(limitations).hasSize(1);
  }

  @Test
  void anOrphansCgroupsAreDestroyedAndAnExitedKnownContainersLeftoversKilled() throws Exception {
    Containerizer first = withCgroups();
    Container orphan = container("orphan");
    launch(first, orphan, "sleep 600 & exec sleep 600");
    Container leaky = container("leaky");
    // The first process exits and leaves a child behind in the cgroups.
    LaunchedProcess leakyProcess = launch(first, leaky,
        "sleep 600 & while [ ! -e go ]; do sleep 0.05; done; exit 0");
    Awaitility.await().atMost(WAIT).until(() -> CgroupsTesting.pids(orphan.cgroups().procsDir()).size() == 3
        && CgroupsTesting.pids(leaky.cgroups().procsDir()).size() >= 3);
    List<Long> orphanPids = CgroupsTesting.pids(orphan.cgroups().procsDir());
    first.detach();
    touch(leaky.sandbox().resolve("go"));
    Awaitility.await().atMost(WAIT).until(() -> !CgroupsTesting.alive(leakyProcess.pid()));
    List<Long> leftovers = CgroupsTesting.pids(leaky.cgroups().procsDir());
    assertThat(leftovers).hasSize(1);

    Containerizer second = withCgroups();
    LaunchedProcess recovered = second.recover(List.of(new KnownContainer(container("leaky"), hit -> { })))
        .get(id("leaky"));
    assertThat(orphanPids).noneMatch(CgroupsTesting::alive);
    for (Path dir : orphan.cgroups().dirs()) {
      assertThat(dir).doesNotExist();
    }
    assertThat(runtimeDirOf("orphan")).doesNotExist();
    assertThat(recovered.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(0);
    assertThat(leftovers).noneMatch(CgroupsTesting::alive);
    for (Path dir : leaky.cgroups().dirs()) {
      assertThat(dir).doesNotExist();
    }
  }
}
