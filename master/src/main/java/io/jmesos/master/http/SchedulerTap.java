package io.jmesos.master.http;

import io.jmesos.master.state.SchedulerConnection;
import org.apache.mesos.Protos.FrameworkInfo;

/**
 * A seam for fault-injection tests on the scheduler API: every SUBSCRIBE stream the master opens is passed
 * through {@link #wrap} before the master uses it, so a test can drop, delay or repeat the {@code Event}s
 * a framework is sent, or end its stream from the master's side. Production uses {@link #NONE}.
 *
 * <p>Threading: {@link #wrap} is called on the master's actor, once per subscription, before the first
 * event (SUBSCRIBED) is sent; it must not block. The returned connection is used as the master uses any
 * {@link SchedulerConnection}: {@code send} on the actor, {@code onClose} callbacks on an I/O thread.
 */
@FunctionalInterface
public interface SchedulerTap {
  /** Uses every stream as it is. */
  SchedulerTap NONE = (framework, connection) -> connection;

  /**
   * @param framework the FrameworkInfo of the SUBSCRIBE call (no id for a new framework)
   * @param connection the stream the master would use
   * @return the stream the master uses instead (or {@code connection} itself)
   */
  SchedulerConnection wrap(FrameworkInfo framework, SchedulerConnection connection);
}
