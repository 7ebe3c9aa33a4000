package io.jmesos.agent.containers;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A container the agent's checkpoint says it should have, handed to {@link Containerizer#recover}, with where
 * to report a resource limitation it hits (told on a containerizer thread, as for a launch; possibly before
 * {@code recover} returns, for a container whose cgroups recorded an OOM while no agent ran). Immutable.
 */
public record KnownContainer(Container container, Consumer<Limitation> onLimitation) {
  public KnownContainer {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(onLimitation, "onLimitation");
  }
}
