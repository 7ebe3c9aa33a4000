package io.jmesos.actor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mailbox with one thread: the owner of a component's state (the libprocess model). Work submitted with
 * {@link #execute(Runnable)} runs one item at a time, in submission order, on a thread named after the actor.
 * Handlers never need locks around state the actor owns.
 *
 * <p>Thread-safe: any thread may submit work. Anything thrown by one item (an exception or an error such as
 * a stack overflow) is logged and handed to the actor's failure handler; the default handler does nothing more
 * and the actor goes on with the next item. An owner whose state may be half-changed by a failed item (the
 * master) passes a handler that stops it.
 */
public class Actor implements Executor, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Actor.class);

  private final String name;
  private final Clock clock;
  private final ArrayDeque<Runnable> mailbox = new ArrayDeque<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Thread thread;
  private final Consumer<Throwable> onFailure;
  private boolean closed;

  public Actor(String name, Clock clock) {
    this(name, clock, failure -> { });
  }

  /** An actor that calls {@code onFailure} (on its own thread) with anything an item throws. */
  public Actor(String name, Clock clock, Consumer<Throwable> onFailure) {
    this.name = Objects.requireNonNull(name, "name");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  public String name() {
    return name;
  }

  public Clock clock() {
    return clock;
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    synchronized (mailbox) {
      if (closed) {
        LOG.debug("Actor {} is closed; dropping work", name);
        return;
      }
      pending.incrementAndGet();
      mailbox.addLast(task);
      mailbox.notifyAll();
    }
  }

  /** Runs {@code task} on this actor after {@code delay} on the actor's clock. */
  public Clock.Timer delay(Duration delay, Runnable task) {
    return clock.schedule(delay, this, task);
  }

  /** Runs {@code supplier} on the actor and completes the future with its result. */
  public <T> CompletableFuture<T> call(Supplier<T> supplier) {
    CompletableFuture<T> result = new CompletableFuture<>();
    execute(() -> {
      try {
        result.complete(supplier.get());
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  public boolean inActorThread() {
    return Thread.currentThread() == thread;
  }

  /** Fails loudly when called off the actor's thread; use at the top of state-touching methods. */
  public void assertInActorThread() {
    if (!inActorThread()) {
      throw new IllegalStateException("Called from " + Thread.currentThread().getName() + ", not actor " + name);
    }
  }

  /**
   * How many queued items (not counting the one running) {@code kind} accepts: the event queue gauges of
   * Mesos, which count a process' queued events by kind.
   */
  public int countQueued(Predicate<Runnable> kind) {
    synchronized (mailbox) {
      int count = 0;
      for (Runnable queued : mailbox) {
        count += kind.test(queued) ? 1 : 0;
      }
      return count;
    }
  }

  /** True when nothing is queued or running. */
  public boolean isIdle() {
    return pending.get() == 0;
  }

  private void loop() {
    while (true) {
      Runnable next;
      synchronized (mailbox) {
        while (mailbox.isEmpty() && !closed) {
          try {
            mailbox.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (mailbox.isEmpty()) {
          return;
        }
        next = mailbox.pollFirst();
      }
      try {
        next.run();
      } catch (Throwable e) { // never let one message kill the only thread that owns this state
        LOG.error("Actor {} failed to process a message", name, e);
        failed(e);
      } finally {
        pending.decrementAndGet();
      }
    }
  }

  private void failed(Throwable failure) {
    try {
      onFailure.accept(failure);
    } catch (RuntimeException | Error e) {
      LOG.error("Failure handler of actor {} failed", name, e);
    }
  }

  /** Stops taking work; work already queued still runs. Idempotent. */
  @Override
  public void close() {
    synchronized (mailbox) {
      closed = true;
      mailbox.notifyAll();
    }
  }

  /** Waits until the actor's thread has finished its remaining work after {@link #close()}. */
  public void join(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
  }
}
