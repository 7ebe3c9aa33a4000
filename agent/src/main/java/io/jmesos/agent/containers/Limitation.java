package io.jmesos.agent.containers;

import java.util.Objects;
import org.apache.mesos.Protos.TaskStatus;

/**
 * A resource limit a container ran into (Mesos' {@code ContainerLimitation}): the container is destroyed and
 * its tasks fail with this reason and message. Immutable.
 */
public record Limitation(String resource, TaskStatus.Reason reason, String message) {
  public Limitation {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
