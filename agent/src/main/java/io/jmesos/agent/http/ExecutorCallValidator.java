package io.jmesos.agent.http;

import java.util.Optional;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Call;

/**
 * Stateless validation of an executor {@link Call}, as Mesos' {@code validation::executor::call::validate}:
 * required fields, the matching sub-message for the call type, and for UPDATE a uuid, an executor id that
 * matches the caller's, an executor source and no TASK_STAGING. Thread-safe.
 */
public final class ExecutorCallValidator {
  private ExecutorCallValidator() {}

  /** The reason the call is invalid, or empty when it is valid. */
  public static Optional<String> validate(Call call) {
    if (!call.isInitialized()) {
      return Optional.of("Not initialized: " + String.join(", ", call.findInitializationErrors()));
    }
    if (!call.hasType()) {
      return Optional.of("Expecting 'type' to be present");
    }
    switch (call.getType()) {
      case SUBSCRIBE:
        return call.hasSubscribe() ? Optional.empty() : Optional.of("Expecting 'subscribe' to be present");
      case UPDATE:
        return call.hasUpdate() ? validateUpdate(call) : Optional.of("Expecting 'update' to be present");
      case MESSAGE:
        return call.hasMessage() ? Optional.empty() : Optional.of("Expecting 'message' to be present");
      case HEARTBEAT:
        return Optional.empty();
      default:
        return Optional.of("Unknown call type " + call.getType());
    }
  }

  private static Optional<String> validateUpdate(Call call) {
    TaskStatus status = call.getUpdate().getStatus();
    if (!status.hasUuid()) {
      return Optional.of("'TaskStatus.uuid' must be set");
    }
    if (status.getUuid().size() != 16) {
      return Optional.of("'TaskStatus.uuid' is not a valid UUID");
    }
    if (status.hasExecutorId() && !status.getExecutorId().equals(call.getExecutorId())) {
      return Optional.of("ExecutorID in Call: " + call.getExecutorId().getValue()
          + " does not match ExecutorID in TaskStatus: " + status.getExecutorId().getValue());
    }
    if (status.hasSource() && status.getSource() != TaskStatus.Source.SOURCE_EXECUTOR) {
      return Optional.of("Received Call from executor " + call.getExecutorId().getValue()
          + " of framework " + call.getFrameworkId().getValue() + " with invalid source " + status.getSource());
    }
    if (status.getState() == TaskState.TASK_STAGING) {
      return Optional.of("Received TASK_STAGING from executor " + call.getExecutorId().getValue()
          + " of framework " + call.getFrameworkId().getValue() + " which is not allowed");
    }
    return Optional.empty();
  }
}
