package io.jmesos.agent.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;

/**
 * A recovered executor, as Mesos' {@code state::ExecutorState}: all its runs (in directory-name order),
 * {@code latest} the run {@code runs/latest} points to. The info is read only when there is a latest run, as
 * Mesos does; {@code generatedForCommandTask} comes from its marker, or for a checkpoint without one from
 * Mesos' heuristic (a {@code mesos-executor} command named {@code Command Executor...}), false without info.
 * Immutable.
 */
public record ExecutorCheckpoint(ExecutorID id, Optional<ExecutorInfo> info, boolean generatedForCommandTask,
    Optional<ContainerID> latest, Map<ContainerID, RunCheckpoint> runs) {
  public ExecutorCheckpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(latest, "latest");
    runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
  }
}
