package io.jmesos.agent.executors;

import org.apache.mesos.Protos.TaskGroupInfo;
import org.apache.mesos.Protos.TaskInfo;

/**
 * Tasks that arrived for an executor before it subscribed: one task (delivered as LAUNCH) or a task group
 * (delivered as LAUNCH_GROUP).
 */
record PendingLaunch(TaskGroupInfo tasks, boolean group) {
  static PendingLaunch task(TaskInfo task) {
    return new PendingLaunch(TaskGroupInfo.newBuilder().addTasks(task).build(), false);
  }

  static PendingLaunch group(TaskGroupInfo group) {
    return new PendingLaunch(group, true);
  }
}
