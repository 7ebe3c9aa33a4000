package io.jmesos.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.agent.containers.cgroups.CgroupsProcess;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.agent.containers.cgroups.Hierarchy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.ContainerID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher on a real cgroup v2 hierarchy (the unified mount, where one exists and is writable): the
 * process joins the container's cgroup before it runs, and a kill takes every process of the cgroup with it
 * and removes the cgroup.
 */
@Timeout(60)
class CgroupsV2LauncherTest {
  private static final List<Path> CANDIDATES = List.of(Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup"));

  @TempDir
  Path sandbox;
  final String root = "jmesos-test-" + UUID.randomUUID().toString().substring(0, 8);
  final ExecutorService pool = Executors.newCachedThreadPool();
  Path rootDir;

  @AfterEach
  void tearDown() throws Exception {
    pool.shutdownNow();
    if (rootDir != null && Files.isDirectory(rootDir)) {
      try (var children = Files.list(rootDir)) {
        for (Path child : children.filter(Files::isDirectory).toList()) {
          CgroupsTesting.pids(child).forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
          Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> CgroupsTesting.pids(child).isEmpty());
          Files.deleteIfExists(child);
        }
      }
      Files.deleteIfExists(rootDir);
    }
  }

  private static Path unified() {
    for (Path candidate : CANDIDATES) {
      if (Files.isRegularFile(candidate.resolve("cgroup.controllers")) && Files.isWritable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  @Test
  void killTakesTheWholeCgroupAndRemovesIt() throws Exception {
    Path mount = unified();
    assumeTrue(mount != null, "needs a writable cgroup v2 hierarchy at " + CANDIDATES + " (run as root)");
    Hierarchy hierarchy = Hierarchy.detect(mount, root);
    assertThat(hierarchy.version()).isEqualTo(Hierarchy.Version.V2);
    hierarchy.prepare(List.of("freezer"));
    rootDir = mount.resolve(root);
    ContainerCgroups cgroups = hierarchy.container(ContainerID.newBuilder().setValue("c1").build(),
        List.of("freezer"));
    io.jmesos.agent.containers.cgroups.Cgroups.create(cgroups);
    Path cgroup = cgroups.procsDir();

    try (PosixLauncher launcher = new PosixLauncher()) {
      LaunchSpec spec = new LaunchSpec(List.of("sh", "-c", "cat /proc/self/cgroup > cgroup; "
          + "sleep 600 & sleep 600 & wait"), Map.of("PATH", System.getenv("PATH")), sandbox,
          sandbox.resolve("stdout"), sandbox.resolve("stderr")).withCgroups(cgroups.procsFiles());
      LaunchedProcess process = new CgroupsProcess(launcher.launch(spec), cgroups, pool, () -> { });
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> CgroupsTesting.pids(cgroup).size() == 3);
      List<Long> pids = CgroupsTesting.pids(cgroup);
      assertThat(pids).contains(process.pid());
      // The shell saw itself in the container's cgroup: it joined before running the command.
      assertThat(Files.readString(sandbox.resolve("cgroup"))).contains("0::/" + root + "/c1");

      process.kill(Signal.KILL);
      int status = process.onExit().get(30, TimeUnit.SECONDS);
      assertThat(status).isEqualTo(9);
      assertThat(Files.exists(cgroup)).isFalse();
      assertThat(pids).noneMatch(CgroupsTesting::alive);
    }
  }
}
