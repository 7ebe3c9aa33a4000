package io.jmesos.agent.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.TaskID;

/**
 * A recovered executor run, as Mesos' {@code state::RunState}: {@code completed} when its
 * {@code executor.sentinel} is present; its tasks (in directory-name order); the executor's forked pid, absent
 * when it was never forked (no {@code pids/forked.pid}) or the host rebooted since. Only with a forked pid is
 * the connection known: {@code libprocessPid} for an executor that registered by libprocess message (then
 * {@code http} is false, as Mesos), else {@code http} when {@code http.marker} is present; neither means the
 * executor had not subscribed yet. Immutable.
 */
public record RunCheckpoint(ContainerID id, OptionalLong forkedPid, boolean http, boolean completed,
    Map<TaskID, TaskCheckpoint> tasks, Optional<String> libprocessPid) {
  public RunCheckpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(forkedPid, "forkedPid");
    Objects.requireNonNull(libprocessPid, "libprocessPid");
    tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
  }

  /** A run without a libprocess pid. */
  public RunCheckpoint(ContainerID id, OptionalLong forkedPid, boolean http, boolean completed,
      Map<TaskID, TaskCheckpoint> tasks) {
    this(id, forkedPid, http, completed, tasks, Optional.empty());
  }
}
