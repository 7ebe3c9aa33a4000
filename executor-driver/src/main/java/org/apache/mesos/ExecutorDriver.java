package org.apache.mesos;

import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskStatus;

/**
 * The executor's handle on the agent. Every method is thread-safe and returns the driver's status after the
 * call ({@code DRIVER_NOT_STARTED}, {@code DRIVER_RUNNING}, {@code DRIVER_ABORTED} or {@code DRIVER_STOPPED}).
 */
public interface ExecutorDriver {

  /** Starts the driver: subscribes with the agent. Must be called before anything else. */
  Status start();

  /** Stops the driver; no callbacks are invoked afterwards. */
  Status stop();

  /** Aborts the driver: callbacks stop, and {@link #join()} returns {@code DRIVER_ABORTED}. */
  Status abort();

  /** Blocks until the driver is stopped or aborted. */
  Status join();

  /** {@link #start()} then {@link #join()}. */
  Status run();

  /** Sends a status update of a task to the framework, reliably (the agent acknowledges it). */
  Status sendStatusUpdate(TaskStatus status);

  /** Sends a best-effort message to the framework's scheduler. */
  Status sendFrameworkMessage(byte[] data);
}
