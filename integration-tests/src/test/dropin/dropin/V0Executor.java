package dropin;

import com.google.protobuf.ByteString;
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
 * A custom executor written only against {@code org.apache.mesos}, as a framework author writes one: each
 * task goes RUNNING, sends a framework message naming its executor, then FINISHED with the task's data
 * echoed back. Compiled and run by DropInJarTest with a class path of the drop-in jar and protobuf-java.
 */
public final class V0Executor implements Executor {
  private String executorId = "?";

  @Override
  public void registered(ExecutorDriver driver, ExecutorInfo executor, FrameworkInfo framework, SlaveInfo agent) {
    executorId = executor.getExecutorId().getValue();
    System.out.println("executor " + executorId + " registered on " + agent.getHostname());
  }

  @Override
  public void reregistered(ExecutorDriver driver, SlaveInfo agent) {
    System.out.println("executor " + executorId + " reregistered");
  }

  @Override
  public void disconnected(ExecutorDriver driver) {
    System.out.println("executor " + executorId + " disconnected");
  }

  @Override
  public void launchTask(ExecutorDriver driver, TaskInfo task) {
    TaskID id = task.getTaskId();
    driver.sendStatusUpdate(TaskStatus.newBuilder().setTaskId(id).setState(TaskState.TASK_RUNNING).build());
    String message = "executor " + executorId + " ran " + id.getValue();
    driver.sendFrameworkMessage(message.getBytes(StandardCharsets.UTF_8));
    driver.sendStatusUpdate(TaskStatus.newBuilder().setTaskId(id).setState(TaskState.TASK_FINISHED)
        .setData(ByteString.copyFromUtf8("done:" + task.getData().toStringUtf8())).build());
  }

  @Override
  public void killTask(ExecutorDriver driver, TaskID taskId) {
    driver.sendStatusUpdate(TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_KILLED).build());
  }

  @Override
  public void frameworkMessage(ExecutorDriver driver, byte[] data) {
    System.out.println("executor " + executorId + " got " + new String(data, StandardCharsets.UTF_8));
  }

  @Override
  public void shutdown(ExecutorDriver driver) {
    System.out.println("executor " + executorId + " shutting down");
  }

  @Override
  public void error(ExecutorDriver driver, String message) {
    System.out.println("executor " + executorId + " error: " + message);
  }

  public static void main(String[] args) {
    org.apache.mesos.MesosNativeLibrary.load();
    Status status = new MesosExecutorDriver(new V0Executor()).run();
    System.exit(status == Status.DRIVER_STOPPED ? 0 : 1);
  }
}
