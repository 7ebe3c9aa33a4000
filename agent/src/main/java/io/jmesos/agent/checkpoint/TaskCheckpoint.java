package io.jmesos.agent.checkpoint;

import com.google.protobuf.ByteString;
import io.jmesos.internal.Messages.StatusUpdate;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;

/**
 * A recovered task, as Mesos' {@code state::TaskState}: its {@code task.info} (a {@link Task}) and, read
 * only when that is present, its status update stream: the updates in the order received and the uuids
 * acknowledged (in record order). Immutable.
 */
public record TaskCheckpoint(TaskID id, Optional<Task> info, List<StatusUpdate> updates, Set<ByteString> acks) {
  public TaskCheckpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(info, "info");
    updates = List.copyOf(updates);
    acks = Collections.unmodifiableSet(new LinkedHashSet<>(acks));
  }
}
