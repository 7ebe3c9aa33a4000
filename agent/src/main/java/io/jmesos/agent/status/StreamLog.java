package io.jmesos.agent.status;

import io.jmesos.internal.Messages.StatusUpdateRecord;
import java.io.IOException;

/**
 * Where one task's status update stream is checkpointed (the agent's {@code task.updates} file): every update
 * and every acknowledgement is appended, durably, before the status update manager acts on it. Streams of
 * frameworks that do not checkpoint have no log.
 */
public interface StreamLog extends AutoCloseable {
  /** Appends one record and returns once it is on disk. */
  void append(StatusUpdateRecord record) throws IOException;

  @Override
  void close();
}
