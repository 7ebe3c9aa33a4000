package io.jmesos.agent.containers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Real cgroups for tests: a unique {@code --cgroups_root} per test under the machine's v1 hierarchy, an
 * assumption that skips when it cannot be written, and a cleanup that kills and removes whatever a failing
 * test left behind.
 */
final class CgroupsTesting {
  static final Path HIERARCHY = Path.of("/sys/fs/cgroup");
  static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "memory", "pids", "freezer");

  final String root = "jmesos-test-" + UUID.randomUUID().toString().substring(0, 8);

  /** Skips the test unless the cgroup v1 controllers are mounted and writable here. */
  static void assumeWritableV1() {
    boolean usable = !Files.exists(HIERARCHY.resolve("cgroup.controllers"));
    for (String controller : CONTROLLERS) {
      usable &= Files.isRegularFile(HIERARCHY.resolve(controller).resolve("cgroup.procs"))
          && Files.isWritable(HIERARCHY.resolve(controller));
    }
    assumeTrue(usable, "needs writable cgroup v1 hierarchies (cpu, cpuacct, memory, pids, freezer) under "
        + HIERARCHY + " (run as root)");
  }

  Path rootDir(String controller) {
    return HIERARCHY.resolve(controller).resolve(root);
  }

  /** The container cgroups under the test's root for the controller. */
  List<Path> containers(String controller) throws IOException {
    Path dir = rootDir(controller);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).toList();
    }
  }

  /** The single container cgroup for the controller; fails unless there is exactly one. */
  Path onlyContainer(String controller) throws IOException {
    List<Path> all = containers(controller);
    if (all.size() != 1) {
      throw new AssertionError("expected one container cgroup under " + rootDir(controller) + ", found " + all);
    }
    return all.get(0);
  }

  static String read(Path cgroup, String file) {
    try {
      return Files.readString(cgroup.resolve(file)).trim();
    } catch (IOException e) {
      return "<" + e + ">";
    }
  }

  static List<Long> pids(Path cgroup) {
    List<Long> pids = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.trim()));
        }
      }
    } catch (IOException e) {
      // Gone: no processes.
    }
    return pids;
  }

  /** True while the process exists and is not a zombie waiting for a parent that does not reap. */
  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Kills whatever is left under the test's root and removes it, deepest cgroups first. */
  void cleanup() {
    for (String controller : CONTROLLERS) {
      Path dir = rootDir(controller);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        List<Path> dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        for (Path cgroup : dirs) {
          if ("freezer".equals(controller) && Files.exists(cgroup.resolve("freezer.state"))) {
            Files.writeString(cgroup.resolve("freezer.state"), "THAWED");
          }
          Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            pids(cgroup).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return pids(cgroup).isEmpty();
          });
          Files.deleteIfExists(cgroup);
        }
      } catch (IOException | RuntimeException e) {
        System.err.println("Failed to clean up " + dir + ": " + e);
      }
    }
  }
}
