package org.apache.mesos;

import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;

/**
 * Callback interface implemented by executors. The driver invokes these methods one at a time, on its own
 * thread; a callback that blocks delays every later callback of the same driver.
 */
public interface Executor {

  /** The executor subscribed with the agent for the first time. */
  void registered(ExecutorDriver driver, ExecutorInfo executorInfo, FrameworkInfo frameworkInfo,
      SlaveInfo slaveInfo);

  /** The executor subscribed again after the agent (or the connection to it) restarted. */
  void reregistered(ExecutorDriver driver, SlaveInfo slaveInfo);

  /** The connection to the agent broke; the driver tries to reconnect if the framework checkpoints. */
  void disconnected(ExecutorDriver driver);

  /** A task was launched on this executor; it stays launched until a terminal status update is sent. */
  void launchTask(ExecutorDriver driver, TaskInfo task);

  /** The framework asked to kill a task; the executor answers with a terminal status update. */
  void killTask(ExecutorDriver driver, TaskID taskId);

  /** A message from the framework's scheduler; delivery is best effort. */
  void frameworkMessage(ExecutorDriver driver, byte[] data);

  /** The executor should kill its tasks and exit; the driver stops once this returns. */
  void shutdown(ExecutorDriver driver);

  /** A fatal error in the driver or the executor; the driver is aborted before this is called. */
  void error(ExecutorDriver driver, String message);
}
