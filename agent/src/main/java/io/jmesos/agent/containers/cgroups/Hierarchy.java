package io.jmesos.agent.containers.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.mesos.Protos.ContainerID;

/**
 * The cgroup file system the agent places containers in, as found under {@code --cgroups_hierarchy}: cgroup
 * v1 (one mount per controller, {@code <hierarchy>/<controller>}) or cgroup v2 (one unified mount, recognised
 * by the {@code cgroup.controllers} file at its root). Immutable and thread-safe; only {@link #prepare}
 * touches the file system.
 */
public final class Hierarchy {
  /** The two cgroup interfaces of the Linux kernel. */
  public enum Version { V1, V2 }

  private final Path root;
  private final String cgroupsRoot;
  private final Version version;

  private Hierarchy(Path root, String cgroupsRoot, Version version) {
    this.root = Objects.requireNonNull(root);
    this.cgroupsRoot = Objects.requireNonNull(cgroupsRoot);
    this.version = Objects.requireNonNull(version);
  }

  /** Looks at {@code root} to tell v2 (a unified hierarchy) from v1 (a directory of per-controller mounts). */
  public static Hierarchy detect(Path root, String cgroupsRoot) {
    Version version = Files.isRegularFile(root.resolve("cgroup.controllers")) ? Version.V2 : Version.V1;
    return new Hierarchy(root, cgroupsRoot, version);
  }

  public Version version() {
    return version;
  }

  public Path root() {
    return root;
  }

  /** The v2 name of a v1 controller: cpuacct is part of cpu there, and freezing is built into every cgroup. */
  static String v2Name(String controller) {
    return "cpuacct".equals(controller) ? "cpu" : controller;
  }

  /** Whether the controller can be used: mounted (v1), or offered by the unified hierarchy's root (v2). */
  public boolean hasController(String controller) throws IOException {
    if (version == Version.V1) {
      return Files.isRegularFile(root.resolve(controller).resolve("cgroup.procs"));
    }
    if ("freezer".equals(controller)) {
      return true;
    }
    String offered = Files.readString(root.resolve("cgroup.controllers")).trim();
    return Arrays.asList(offered.split("\\s+")).contains(v2Name(controller));
  }

  /**
   * Checks that every controller is there and that the agent can create its {@code --cgroups_root} cgroup in
   * each (v1) or in the unified hierarchy, whose controllers it then delegates to that cgroup's children
   * (v2, through {@code cgroup.subtree_control}).
   */
  public void prepare(List<String> controllers) throws IOException {
    for (String controller : controllers) {
      if (!hasController(controller)) {
        throw new IOException("cgroup controller '" + controller + "' is not available under " + root
            + " (cgroup " + version + ")");
      }
    }
    if (version == Version.V1) {
      for (String controller : controllers) {
        Files.createDirectories(root.resolve(controller).resolve(cgroupsRoot));
      }
      return;
    }
    Path parent = root;
    for (Path part : Path.of(cgroupsRoot)) {
      enable(parent, controllers);
      parent = parent.resolve(part.toString());
      Files.createDirectories(parent);
    }
    enable(parent, controllers);
  }

  private static void enable(Path cgroup, List<String> controllers) throws IOException {
    for (String controller : controllers) {
      if (!"freezer".equals(controller)) {
        Cgroups.write(cgroup, "cgroup.subtree_control", "+" + v2Name(controller));
      }
    }
  }

  /** Where one container's cgroups live: {@code <hierarchy>/<controller>/<cgroups_root>/<id>} or v2's one. */
  public ContainerCgroups container(ContainerID containerId, List<String> controllers) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (String controller : controllers) {
      dirs.put(controller, version == Version.V1
          ? root.resolve(controller).resolve(cgroupsRoot).resolve(containerId.getValue())
          : root.resolve(cgroupsRoot).resolve(containerId.getValue()));
    }
    return new ContainerCgroups(version, dirs);
  }

  @Override
  public String toString() {
    return "cgroup " + version + " hierarchy " + root + " (root cgroup " + cgroupsRoot + ")";
  }
}
