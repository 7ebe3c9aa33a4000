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
