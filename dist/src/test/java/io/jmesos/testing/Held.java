package io.jmesos.testing;

import io.jmesos.actor.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A delayed item ({@code delayNext}): the next matching message or event is caught and held until {@link
 * #release()}, which delivers it late, through the same path it would have taken. Thread-safe.
 *
 * <p>A held item is not "in flight" for {@link FaultCluster#settle()}: the cluster settles around it. A
 * release is: settling after {@link #release()} waits until the receiver has it. Releasing before anything
 * was caught cancels the delay, so the next matching item goes on at once.
 *
 * @param <V> what is held (a parsed message, or a scheduler event)
 */
public final class Held<V> {
  private final Clock clock;
  private final CompletableFuture<V> caught = new CompletableFuture<>();
  private Runnable deliver;
  private Runnable cancel = () -> { };
  private boolean released;

  Held(Clock clock) {
    this.clock = clock;
  }

  /** Completes with the item once it is caught (on the thread that carried it). */
  public CompletableFuture<V> caught() {
    return caught;
  }

  /** Delivers the held item now, or cancels the delay if nothing was caught yet. Idempotent; any thread. */
  public void release() {
    Runnable r;
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
      r = deliver != null ? deliver : cancel;
    }
    r.run();
  }

  /**
   * Releases once the cluster's clock has moved {@code delay} past now ({@link FaultCluster#advance} stops
   * there and settles, so the late item is processed before time moves on).
   */
  public void releaseAfter(Duration delay) {
    clock.schedule(delay, Runnable::run, this::release);
  }

  public synchronized boolean isReleased() {
    return released;
  }

  void capture(V item, Runnable deliverLater) {
    boolean now;
    synchronized (this) {
      now = released;
      deliver = deliverLater;
    }
    caught.complete(item);
    if (now) {
      deliverLater.run();
    }
  }

  synchronized void onReleaseBeforeCapture(Runnable cancel) {
    this.cancel = cancel;
  }
}
