package io.jmesos.it.fault;

import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.MesosExecutorDriver;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;

/**
 * A custom executor for the fault-tolerance scenarios (Mesos' {@code MockExecutor} with
 * {@code SendStatusUpdateFromTask(TASK_RUNNING)}): a real process, written against Mesos' Java API, that
 * reports TASK_RUNNING for every task it is given and keeps it running until the task is killed or the
 * executor is shut down or dies.
 */
public final class StayingExecutor implements Executor {

  @Override
  public void registered(ExecutorDriver driver, ExecutorInfo executorInfo, FrameworkInfo frameworkInfo,
      SlaveInfo slaveInfo) {}

  @Override
  public void reregistered(ExecutorDriver driver, SlaveInfo slaveInfo) {}

  @Override
  public void disconnected(ExecutorDriver driver) {}

  @Override
  public void launchTask(ExecutorDriver driver, TaskInfo task) {
    driver.sendStatusUpdate(TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(TaskState.TASK_RUNNING)
        .build());
  }

  @Override
  public void killTask(ExecutorDriver driver, TaskID taskId) {
    driver.sendStatusUpdate(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_KILLED).build());
  }

  @Override
  public void frameworkMessage(ExecutorDriver driver, byte[] data) {}

  @Override
  public void shutdown(ExecutorDriver driver) {}

  @Override
  public void error(ExecutorDriver driver, String message) {
    System.err.println("Executor error: " + message);
  }

  public static void main(String[] args) {
    Status status = new MesosExecutorDriver(new StayingExecutor()).run();
    System.exit(status == Status.DRIVER_STOPPED ? 0 : 1);
  }
}
