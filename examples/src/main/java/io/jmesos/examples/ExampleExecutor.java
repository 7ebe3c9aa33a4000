package io.jmesos.examples;

import java.nio.charset.StandardCharsets;
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
 * The executor of {@link ExampleFramework}, written only against Mesos' Java API: for each task it reports
 * TASK_RUNNING, prints the task's data to its sandbox stdout, sends a framework message and reports
 * TASK_FINISHED.
 */
public final class ExampleExecutor implements Executor {

  @Override
  public void registered(ExecutorDriver driver, ExecutorInfo executorInfo, FrameworkInfo frameworkInfo,
      SlaveInfo slaveInfo) {
    System.out.println("Registered executor on " + slaveInfo.getHostname());
  }

  @Override
  public void reregistered(ExecutorDriver driver, SlaveInfo slaveInfo) {
    System.out.println("Re-registered executor on " + slaveInfo.getHostname());
  }

  @Override
  public void disconnected(ExecutorDriver driver) {}

  @Override
  public void launchTask(ExecutorDriver driver, TaskInfo task) {
    driver.sendStatusUpdate(status(task.getTaskId(), TaskState.TASK_RUNNING, null));
    System.out.println("Running task " + task.getTaskId().getValue() + ": " + task.getData().toStringUtf8());
    driver.sendFrameworkMessage(("finished task " + task.getTaskId().getValue()).getBytes(StandardCharsets.UTF_8));
    driver.sendStatusUpdate(status(task.getTaskId(), TaskState.TASK_FINISHED, "done"));
  }

  @Override
  public void killTask(ExecutorDriver driver, TaskID taskId) {
    driver.sendStatusUpdate(status(taskId, TaskState.TASK_KILLED, "killed by the framework"));
  }

  @Override
  public void frameworkMessage(ExecutorDriver driver, byte[] data) {}

  @Override
  public void shutdown(ExecutorDriver driver) {
    System.out.println("Shutting down");
  }

  @Override
  public void error(ExecutorDriver driver, String message) {
    System.err.println("Error: " + message);
  }

  private static TaskStatus status(TaskID id, TaskState state, String message) {
    TaskStatus.Builder b = TaskStatus.newBuilder().setTaskId(id).setState(state);
    if (message != null) {
      b.setMessage(message);
    }
    return b.build();
  }

  public static void main(String[] args) {
    MesosExecutorDriver driver = new MesosExecutorDriver(new ExampleExecutor());
    System.exit(driver.run() == Status.DRIVER_STOPPED ? 0 : 1);
  }
}
