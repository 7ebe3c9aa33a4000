package io.jmesos.agent.containers.cgroups;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container's cgroups: the directory per controller (v1; cpu and cpuacct may be separate hierarchies) or
 * the single directory holding every controller (v2). Immutable and thread-safe.
 */
public final class ContainerCgroups {
  private final Hierarchy.Version version;
  private final Map<String, Path> dirs;

  ContainerCgroups(Hierarchy.Version version, Map<String, Path> dirs) {
    this.version = version;
    this.dirs = new LinkedHashMap<>(dirs);
  }

  public Hierarchy.Version version() {
    return version;
  }

  /** The container's cgroup for the controller (v1 name), or null when that controller is not used. */
  public Path dir(String controller) {
    return dirs.get(controller);
  }

  public boolean has(String controller) {
    return dirs.containsKey(controller);
  }

  /** Every distinct cgroup directory, in controller order. */
  public List<Path> dirs() {
    List<Path> distinct = new ArrayList<>();
    for (Path dir : dirs.values()) {
      if (!distinct.contains(dir)) {
        distinct.add(dir);
      }
    }
    return distinct;
  }

  /** The {@code cgroup.procs} files the container's first process writes its pid to. */
  public List<Path> procsFiles() {
    return dirs().stream().map(d -> d.resolve("cgroup.procs")).toList();
  }

  /**
   * The {@code cgroup.procs} files a supervised container's supervisor joins: all but the ones of
   * {@link #commandProcsFiles}.
   */
  public List<Path> supervisorProcsFiles() {
    List<Path> commandOnly = commandProcsFiles();
    return procsFiles().stream().filter(p -> !commandOnly.contains(p)).toList();
  }

  /**
   * The {@code cgroup.procs} files only the supervised command joins, not its supervisor: the memory
   * controller's on v1 when it is a hierarchy of its own, so that the supervisor, which records the command's
   * status, is never a victim of the container's OOM killer (the kernel may kill a second process of a cgroup
   * before the first victim's memory is released; it took the supervisor about once in a hundred OOMs under
   * load) and its few pages are not charged to the container. Empty on v2: one cgroup holds every controller.
   */
  public List<Path> commandProcsFiles() {
    Path memory = dirs.get("memory");
    if (version != Hierarchy.Version.V1 || memory == null) {
      return List.of();
    }
    for (Map.Entry<String, Path> e : dirs.entrySet()) {
      if (!e.getKey().equals("memory") && e.getValue().equals(memory)) {
        return List.of();
      }
    }
    return List.of(memory.resolve("cgroup.procs"));
  }

  /** The directory that lists the container's processes: the freezer's (v1) or the unified one (v2). */
  public Path procsDir() {
    Path freezer = dirs.get("freezer");
    return freezer != null ? freezer : dirs().get(0);
  }

  @Override
  public String toString() {
    return dirs().toString();
  }
}
