package io.jmesos.agent.containers;

import java.util.List;
import java.util.Objects;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.TaskResourceLimitation;
import org.apache.mesos.Protos.TaskStatus;

/**
 * A resource limit a container ran into (Mesos' {@code ContainerLimitation}): the container is destroyed and
 * its tasks fail with this reason and message, and with the limited resources (e.g. {@code mem:160}) as the
 * status' {@code limitation}. Immutable.
 */
public record Limitation(String resource, List<Resource> resources, TaskStatus.Reason reason, String message) {
  public Limitation {
    Objects.requireNonNull(resource, "resource");
    resources = List.copyOf(resources);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** The {@code TaskStatus.limitation} of the tasks that fail with it. */
  public TaskResourceLimitation toProto() {
    return TaskResourceLimitation.newBuilder().addAllResources(resources).build();
  }
}
