package io.jmesos.agent.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.SlaveID;

/**
 * The recovered agent, as Mesos' {@code state::SlaveState}: the id {@code meta/slaves/latest} points to, its
 * info (absent when {@code slave.info} is missing, empty or unreadable; then no framework is recovered
 * either) and its frameworks in directory-name order. Immutable.
 */
public record SlaveCheckpoint(SlaveID id, Optional<SlaveInfo> info,
    Map<FrameworkID, FrameworkCheckpoint> frameworks) {
  public SlaveCheckpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(info, "info");
    frameworks = Collections.unmodifiableMap(new LinkedHashMap<>(frameworks));
  }
}
