package io.jmesos.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.cgroups.Cgroups;
import io.jmesos.agent.containers.cgroups.CgroupsProcess;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.agent.containers.cgroups.Hierarchy;
import io.jmesos.agent.containers.isolators.CgroupsCpuIsolator;
import io.jmesos.agent.containers.isolators.CgroupsMemIsolator;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The containerizer on real cgroup v1 hierarchies when the agent stops in the middle of things: a launch in
 * flight (cgroups created, process not yet forked) when it closes, a launch after it closed, and a container
 * whose first process exits after the containerizer's threads are gone. Each must leave no process and no
 * cgroup behind. Skipped where the hierarchies cannot be written.
 */
@Timeout(90)
class ContainerizerShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "memory", "freezer");

  @TempDir
  Path sandbox;
  @TempDir
  Path runtimeDir;
  final CgroupsTesting cgroups = new CgroupsTesting();
  final ExecutorService pool = Executors.newCachedThreadPool();
  Hierarchy hierarchy;
  Containerizer containerizer;

  @BeforeEach
  void prepare() throws IOException {
    CgroupsTesting.assumeWritableV1();
    hierarchy = Hierarchy.detect(CgroupsTesting.HIERARCHY, cgroups.root);
    hierarchy.prepare(CONTROLLERS);
  }

  @AfterEach
  void tearDown() {
    try {
      if (containerizer != null) {
        containerizer.close();
      }
      pool.shutdownNow();
    } finally {
      cgroups.cleanup();
    }
  }

  private Containerizer containerizer(Launcher launcher) {
    containerizer = new Containerizer(launcher, hierarchy,
        List.of(new CgroupsCpuIsolator(false), new CgroupsMemIsolator(false)), new ContainerRuntime(runtimeDir));
    return containerizer;
  }

  private Container container(String id) {
    ContainerID containerId = ContainerID.newBuilder().setValue(id).build();
    Container container = new Container(containerId, sandbox, ExecutorInfo.getDefaultInstance(),
        Resources.parse("cpus:0.1;mem:32"));
    container.setCgroups(containerizer.cgroupsFor(containerId));
    return container;
  }

  private LaunchSpec sleeper() {
    return new LaunchSpec(List.of("sleep", "600"), Map.of("PATH", System.getenv("PATH")), sandbox,
        sandbox.resolve("stdout"), sandbox.resolve("stderr"));
  }

  private boolean noContainerCgroups() throws IOException {
    for (String controller : CONTROLLERS) {
      if (!cgroups.containers(controller).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aLaunchInFlightWhenTheContainerizerClosesIsKilledAndItsCgroupsRemoved() throws Exception {
    CountDownLatch forking = new CountDownLatch(1);
    CountDownLatch fork = new CountDownLatch(1);
    PosixLauncher posix = new PosixLauncher();
    Launcher gated = spec -> {
      // The cgroups exist and have their limits; the process is about to be forked.
      forking.countDown();
      try {
        fork.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return posix.launch(spec);
    };
    Containerizer c = containerizer(gated);
    Container container = container("in-flight");
    CompletableFuture<LaunchedProcess> launch = CompletableFuture.supplyAsync(() -> {
      try {
        return c.launch(container, sleeper(), container.resources(), hit -> { });
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, pool);
    assertThat(forking.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Path memory = container.cgroups().dir("memory");
    assertThat(memory).isDirectory();

    Thread closer = new Thread(c::close, "closer");
    closer.start();
    // The agent stops while the fork is pending: either close waits for it, or it already returned.
    Awaitility.await().atMost(WAIT).until(() -> !closer.isAlive() || closer.getState() == Thread.State.TIMED_WAITING);
    fork.countDown();

    LaunchedProcess process = launch.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    closer.join(WAIT.toMillis());
    assertThat(closer.isAlive()).isFalse();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !CgroupsTesting.alive(process.pid()));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::noContainerCgroups);
    assertThat(process.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(9);
    posix.close();
  }

  @Test
  void aLaunchAfterCloseIsRefusedAndCreatesNoCgroup() throws Exception {
    try (PosixLauncher posix = new PosixLauncher()) {
      Containerizer c = containerizer(posix);
      c.close();
      Container container = container("late");
      assertThatThrownBy(() -> c.launch(container, sleeper(), container.resources(), hit -> { }))
          .isInstanceOf(IOException.class).hasMessageContaining("shutting down");
      assertThat(noContainerCgroups()).isTrue();
    }
  }

  @Test
  void anExitReportedAfterTheThreadsAreGoneStillRemovesTheCgroups() throws Exception {
    ContainerCgroups container = hierarchy.container(ContainerID.newBuilder().setValue("orphan").build(),
        CONTROLLERS);
    Cgroups.create(container);
    PosixLauncher posix = new PosixLauncher();
    ExecutorService blocking = Executors.newSingleThreadExecutor();
    AtomicReference<LaunchedProcess> launched = new AtomicReference<>();
    try {
      LaunchedProcess process = new CgroupsProcess(posix.launch(sleeper().withCgroups(container.procsFiles())),
          container, blocking, () -> { });
      launched.set(process);
      Awaitility.await().atMost(WAIT).until(() -> CgroupsTesting.pids(container.procsDir()).size() == 1);
      // The agent stopped: the launcher's and the containerizer's threads are gone when the process dies.
      posix.close();
      blocking.shutdown();
      ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);

      assertThat(process.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(9);
      for (Path dir : container.dirs()) {
        assertThat(Files.exists(dir)).as(dir.toString()).isFalse();
      }
    } finally {
      if (launched.get() != null) {
        ProcessHandle.of(launched.get().pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
      blocking.shutdownNow();
    }
  }
}
