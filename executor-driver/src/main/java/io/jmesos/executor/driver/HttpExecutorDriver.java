package io.jmesos.executor.driver;

import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor driver behind {@link org.apache.mesos.MesosExecutorDriver}: the driver status machine
 * ({@code DRIVER_NOT_STARTED -> DRIVER_RUNNING -> DRIVER_STOPPED | DRIVER_ABORTED}) in front of an
 * {@link ExecutorProcess} actor that speaks the v1 executor HTTP API with the agent.
 *
 * <p>Thread-safe: the public methods only check the status under this object's lock and enqueue work on the
 * process' actor; {@link #join()} waits on the same lock. Executor callbacks run on the actor's thread.
 */
public final class HttpExecutorDriver implements ExecutorDriver {
  private static final Logger LOG = LoggerFactory.getLogger(HttpExecutorDriver.class);
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

  private final Executor executor;
  private final Map<String, String> environment;
  private final Clock clock;
  private final ExecutorDriver callbackDriver;
  private final IntConsumer exitHook;
  private Status status = Status.DRIVER_NOT_STARTED; // Guarded by this.
  private ExecutorProcess process; // Set once by start(), under this.

  private HttpExecutorDriver(Builder b) {
    this.executor = Objects.requireNonNull(b.executor, "executor");
    this.environment = Map.copyOf(b.environment);
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.callbackDriver = b.callbackDriver == null ? this : b.callbackDriver;
    this.exitHook = b.exitHook;
  }

  /** A builder with the process environment, the system clock and no exit hook. */
  public static Builder builder(Executor executor) {
    return new Builder(executor);
  }

  @Override
  public synchronized Status start() {
    if (status != Status.DRIVER_NOT_STARTED) {
      return status;
    }
    ExecutorEnvironment env;
    try {
      env = ExecutorEnvironment.parse(environment);
    } catch (IllegalArgumentException e) {
      LOG.error("Executor driver cannot start: {}", e.getMessage());
      status = Status.DRIVER_ABORTED;
      notifyAll();
      return status;
    }
    process = new ExecutorProcess(this, callbackDriver, executor, env, clock, exitHook);
    process.start();
    status = Status.DRIVER_RUNNING;
    return status;
  }

  @Override
  public Status stop() {
    CompletableFuture<Void> terminated;
    boolean aborted;
    synchronized (this) {
      if (status != Status.DRIVER_RUNNING && status != Status.DRIVER_ABORTED) {
        return status;
      }
      aborted = status == Status.DRIVER_ABORTED;
      status = Status.DRIVER_STOPPED;
      notifyAll();
      if (process == null) { // Aborted by start() itself: nothing runs.
        return Status.DRIVER_ABORTED;
      }
      terminated = process.stop();
    }
    if (!process.inActorThread()) {
      awaitQuietly(terminated, FLUSH_TIMEOUT);
    }
    return aborted ? Status.DRIVER_ABORTED : Status.DRIVER_STOPPED;
  }

  @Override
  public synchronized Status abort() {
    if (status != Status.DRIVER_RUNNING) {
      return status;
    }
    process.abort();
    status = Status.DRIVER_ABORTED;
    notifyAll();
    return status;
  }

  @Override
  public synchronized Status join() {
    while (status == Status.DRIVER_RUNNING) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return status;
      }
    }
    return status;
  }

  @Override
  public Status run() {
    Status started = start();
    return started != Status.DRIVER_RUNNING ? started : join();
  }

  @Override
  public synchronized Status sendStatusUpdate(TaskStatus taskStatus) {
    Objects.requireNonNull(taskStatus, "taskStatus");
    if (status != Status.DRIVER_RUNNING) {
      return status;
    }
    process.sendStatusUpdate(taskStatus);
    return status;
  }

  @Override
  public synchronized Status sendFrameworkMessage(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (status != Status.DRIVER_RUNNING) {
      return status;
    }
    process.sendFrameworkMessage(data.clone());
    return status;
  }

  /**
   * Mesos' executor suicide for a real executor process: kills every descendant process with SIGKILL, then
   * halts the JVM with the given status.
   */
  public static IntConsumer haltProcessTree() {
    return exitStatus -> {
      LOG.warn("Executor did not exit within its shutdown grace period; killing its process tree");
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
      Runtime.getRuntime().halt(exitStatus);
    };
  }

  /** The driver's current status. */
  public synchronized Status status() {
    return status;
  }

  /**
   * Completes once every status update sent so far has been acknowledged by the agent (at once if none is
   * pending). Never completes if the driver stops first; callers bound their wait.
   */
  public CompletableFuture<Void> whenAllAcknowledged() {
    ExecutorProcess p;
    synchronized (this) {
      p = process;
    }
    return p == null ? CompletableFuture.completedFuture(null) : p.whenAllAcknowledged();
  }

  /**
   * Waits until a stopped driver has closed its connections and handed its queued calls to the agent;
   * returns false if that took longer than {@code timeout}. Call after {@link #join()} before exiting.
   */
  public boolean awaitTermination(Duration timeout) {
    ExecutorProcess p;
    synchronized (this) {
      p = process;
    }
    return p == null || awaitQuietly(p.terminated(), timeout);
  }

  private static boolean awaitQuietly(CompletableFuture<Void> future, Duration timeout) {
    try {
      future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** Builds an {@link HttpExecutorDriver}. Not thread-safe. */
  public static final class Builder {
    private final Executor executor;
    private Map<String, String> environment = System.getenv();
    private Clock clock = SystemClock.get();
    private ExecutorDriver callbackDriver;
    private IntConsumer exitHook;

    private Builder(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** The executor environment to read instead of {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The driver handed to executor callbacks (the public facade); defaults to the built driver. */
    public Builder callbackDriver(ExecutorDriver callbackDriver) {
      this.callbackDriver = callbackDriver;
      return this;
    }

    /**
     * Called with an exit status when a shut-down executor is still alive after
     * {@code MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD} (Mesos' executor suicide). Null (the default) disables it;
     * it is never armed when {@code MESOS_LOCAL} is set.
     */
    public Builder exitHook(IntConsumer exitHook) {
      this.exitHook = exitHook;
      return this;
    }

    public HttpExecutorDriver build() {
      return new HttpExecutorDriver(this);
    }
  }
}
