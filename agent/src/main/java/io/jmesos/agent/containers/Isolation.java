package io.jmesos.agent.containers;

import io.jmesos.agent.containers.cgroups.Hierarchy;
import io.jmesos.agent.containers.isolators.CgroupsCpuIsolator;
import io.jmesos.agent.containers.isolators.CgroupsMemIsolator;
import io.jmesos.agent.containers.isolators.CgroupsPidsIsolator;
import io.jmesos.agent.containers.isolators.Isolator;
import io.jmesos.agent.containers.isolators.PosixIsolators;
import io.jmesos.agent.flags.AgentFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the containerizer {@code --isolation} asks for: the isolators by name, and for any cgroups isolator
 * the detected hierarchy with every controller they need prepared (plus freezer on cgroup v1, which the launcher
 * uses to kill). As Mesos, an isolator that cannot be created stops the agent. Stateless.
 */
final class Isolation {
  private static final Logger LOG = LoggerFactory.getLogger(Isolation.class);

  private Isolation() {}

  static Containerizer containerizer(AgentFlags flags, Launcher launcher) {
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
    return new Containerizer(launcher, hierarchy, isolators, new ContainerRuntime(flags.runtimeDir()));
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
}
