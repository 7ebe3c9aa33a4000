package io.jmesos.agent.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;

/**
 * A recovered framework, as Mesos' {@code state::FrameworkState}. Recovery stops at the first piece missing:
 * without an info there is no pid, without a pid (missing, empty or unreadable {@code framework.pid}) no
 * executors. The pid is as checkpointed ({@link AgentCheckpoint#NO_PID} for an HTTP scheduler). Executors
 * are in directory-name order. Immutable.
 */
public record FrameworkCheckpoint(FrameworkID id, Optional<FrameworkInfo> info, Optional<String> pid,
    Map<ExecutorID, ExecutorCheckpoint> executors) {
  public FrameworkCheckpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(pid, "pid");
    executors = Collections.unmodifiableMap(new LinkedHashMap<>(executors));
  }
}
