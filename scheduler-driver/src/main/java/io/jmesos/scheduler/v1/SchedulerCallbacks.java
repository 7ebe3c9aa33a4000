package io.jmesos.scheduler.v1;

import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import java.util.Objects;
import org.apache.mesos.v1.scheduler.Mesos;
import org.apache.mesos.v1.scheduler.Scheduler;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a v1 {@link Scheduler}'s callbacks one at a time, in the order they were asked for, on a thread of their
 * own, as Mesos' library serializes them with a mutex: a scheduler that blocks in a callback (or sends a call and
 * waits for its answer) holds up later callbacks, never the library.
 *
 * <p>A callback that throws ends the delivery of callbacks: Mesos' JNI bridge aborts the whole process then. Here
 * the exception is logged, {@code onFailure} runs (the owner stops its library) and nothing more is delivered.
 *
 * <p>Threading: thread-safe; callbacks run on the callback thread.
 */
public final class SchedulerCallbacks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerCallbacks.class);

  private final Actor thread;
  private final Scheduler scheduler;
  private final Mesos mesos;
  private final Runnable onFailure;
  private volatile boolean closed;

  /**
   * @param mesos handed to every callback
   * @param onFailure run on the callback thread after a callback threw
   */
  public SchedulerCallbacks(String name, Clock clock, Scheduler scheduler, Mesos mesos, Runnable onFailure) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.mesos = Objects.requireNonNull(mesos, "mesos");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.thread = new Actor(name + "-callbacks", clock);
  }

  public void connected() {
    deliver("connected", () -> scheduler.connected(mesos));
  }

  public void disconnected() {
    deliver("disconnected", () -> scheduler.disconnected(mesos));
  }

  public void received(Event event) {
    deliver("received " + event.getType(), () -> scheduler.received(mesos, event));
  }

  /** True when no callback is queued or running. Any thread; never blocks. */
  public boolean isIdle() {
    return thread.isIdle();
  }

  private void deliver(String callback, Runnable invocation) {
    thread.execute(() -> {
      if (closed) {
        LOG.debug("Ignoring {} callback: the library is closed", callback);
        return;
      }
      try {
        invocation.run();
      } catch (RuntimeException | LinkageError | AssertionError e) {
        LOG.error("Scheduler callback {} threw; no further callbacks are delivered", callback, e);
        closed = true;
        onFailure.run();
      }
    });
  }

  /** Stops delivering: callbacks not yet run are dropped. Idempotent; any thread, including a callback. */
  @Override
  public void close() {
    closed = true;
    thread.close();
  }
}
