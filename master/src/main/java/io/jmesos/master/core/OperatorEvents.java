package io.jmesos.master.core;

import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskStatus;

/**
 * The changes the operator event stream reports, called by the master's managers on its actor at the points
 * where Mesos 1.11 sends its events: a task added (launched, or re-added by a re-registering agent), a task's
 * state changed, an agent added (registered, or re-admitted after a failover or partition), an agent removed
 * (unregistered), a framework added (subscribed, or recovered from an agent), updated (re-subscribed, updated)
 * or removed.
 */
public interface OperatorEvents {
  OperatorEvents NONE = new OperatorEvents() {};

  /** Open operator event stream subscriptions (Mesos' {@code master/operator_event_stream_subscribers}). */
  default int subscribers() {
    return 0;
  }

  default void taskAdded(Framework framework, Task task) {}

  /** {@code task} with {@code status} applied (its state is the task's latest state). */
  default void taskUpdated(Framework framework, Task task, TaskStatus status) {}

  default void agentAdded(Agent agent) {}

  default void agentRemoved(SlaveID id) {}

  default void frameworkAdded(Framework framework) {}

  default void frameworkUpdated(Framework framework) {}

  default void frameworkRemoved(FrameworkInfo info) {}
}
