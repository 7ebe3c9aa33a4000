package io.jmesos.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * An open-ended drop rule ({@code dropAll}): every matching item is dropped until {@link #close()}. Records
 * what it dropped. Thread-safe.
 *
 * @param <V> what was dropped (a parsed message, or a scheduler event)
 */
public final class Dropping<V> implements AutoCloseable {
  private final List<V> dropped = new ArrayList<>();
  private Runnable remove = () -> { };
  private boolean closed;

  Dropping() {}

  synchronized void add(V item) {
    dropped.add(item);
  }

  synchronized void onClose(Runnable remove) {
    this.remove = remove;
  }

  /** What was dropped so far, oldest first. */
  public synchronized List<V> dropped() {
    return List.copyOf(dropped);
  }

  /** How many items were dropped so far. */
  public synchronized int count() {
    return dropped.size();
  }

  /** Stops dropping: matching items go on again from now on. Idempotent. */
  @Override
  public void close() {
    Runnable r;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      r = remove;
    }
    r.run();
  }
}
