package io.jmesos.executor.driver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;

/** Records every callback as a short string ("launchTask t1") and the thread it ran on. Thread-safe. */
final class RecordingExecutor implements Executor {
  final List<String> callbacks = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();
  volatile ExecutorInfo executorInfo;
  volatile FrameworkInfo frameworkInfo;
  volatile SlaveInfo slaveInfo;

  private void record(String callback) {
    callbacks.add(callback);
    threads.add(Thread.currentThread().getName());
  }

  @Override
  public void registered(ExecutorDriver driver, ExecutorInfo executor, FrameworkInfo framework, SlaveInfo slave) {
    executorInfo = executor;
    frameworkInfo = framework;
    slaveInfo = slave;
    record("registered");
  }

  @Override
  public void reregistered(ExecutorDriver driver, SlaveInfo slave) {
    slaveInfo = slave;
    record("reregistered");
  }

  @Override
  public void disconnected(ExecutorDriver driver) {
    record("disconnected");
  }

  @Override
  public void launchTask(ExecutorDriver driver, TaskInfo task) {
    record("launchTask " + task.getTaskId().getValue());
  }

  @Override
  public void killTask(ExecutorDriver driver, TaskID taskId) {
    record("killTask " + taskId.getValue());
  }

  @Override
  public void frameworkMessage(ExecutorDriver driver, byte[] data) {
    record("frameworkMessage " + new String(data, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void shutdown(ExecutorDriver driver) {
    record("shutdown");
  }

  @Override
  public void error(ExecutorDriver driver, String message) {
    record("error " + message);
  }
}
