package org.apache.mesos;

import io.jmesos.executor.driver.HttpExecutorDriver;
import java.util.Objects;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskStatus;

/**
 * The concrete {@link ExecutorDriver}: connects an {@link Executor} to the agent that launched it, reading
 * the agent's address and the executor's identity from the environment Mesos sets ({@code MESOS_FRAMEWORK_ID},
 * {@code MESOS_EXECUTOR_ID}, {@code MESOS_AGENT_ENDPOINT}, ...). Pure Java over the v1 executor HTTP API; see
 * {@link HttpExecutorDriver} for the behaviour.
 *
 * <p>Thread-safe; callbacks run one at a time on the driver's own thread.
 */
public class MesosExecutorDriver implements ExecutorDriver {
  private final HttpExecutorDriver driver;

  /** Creates a driver for {@code executor}; call {@link #run()} (or {@link #start()}) to connect. */
  public MesosExecutorDriver(Executor executor) {
    Objects.requireNonNull(executor, "Not expecting a null Executor");
    this.driver = HttpExecutorDriver.builder(executor)
        .callbackDriver(this)
        .exitHook(HttpExecutorDriver.haltProcessTree())
        .build();
  }

  @Override
  public Status start() {
    return driver.start();
  }

  @Override
  public Status stop() {
    return driver.stop();
  }

  @Override
  public Status abort() {
    return driver.abort();
  }

  @Override
  public Status join() {
    return driver.join();
  }

  @Override
  public Status run() {
    Status status = start();
    return status != Status.DRIVER_RUNNING ? status : join();
  }

  @Override
  public Status sendStatusUpdate(TaskStatus status) {
    Objects.requireNonNull(status, "Not expecting a null TaskStatus");
    return driver.sendStatusUpdate(status);
  }

  @Override
  public Status sendFrameworkMessage(byte[] data) {
    Objects.requireNonNull(data, "Not expecting a null framework message");
    return driver.sendFrameworkMessage(data);
  }
}
