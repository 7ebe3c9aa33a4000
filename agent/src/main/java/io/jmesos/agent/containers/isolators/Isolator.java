package io.jmesos.agent.containers.isolators;

import io.jmesos.agent.containers.Limitation;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.Protos.ResourceStatistics;

/**
 * One isolation mechanism of {@code --isolation} (Mesos' {@code Isolator}): which cgroup controllers it needs,
 * how it applies a container's resources, what usage it reports and which limitation it detects. The cgroups
 * are null for posix isolators. Stateless and thread-safe; every method may block on file I/O and runs on
 * the containerizer's threads.
 */
public interface Isolator {
  /** The name in {@code --isolation}, e.g. {@code cgroups/cpu}. */
  String name();

  /** The cgroup controllers (v1 names) the isolator needs. */
  default List<String> controllers() {
    return List.of();
  }

  /** Applies the container's resources; before the launch and whenever they change (Mesos' update). */
  default void update(ContainerCgroups cgroups, Resources resources) throws IOException {}

  /** Adds this isolator's part of the container's usage; {@code pid} is its first process. */
  void usage(ContainerCgroups cgroups, long pid, ResourceStatistics.Builder statistics) throws IOException;

  /** The limitation the container has hit, if it has. */
  default Optional<Limitation> limitation(ContainerCgroups cgroups) throws IOException {
    return Optional.empty();
  }
}
