package io.jmesos.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies and internal frames one server holds at once, read but not yet answered or
 * delivered: what a crowd of clients each sending a large body slowly would otherwise make it hold without
 * bound. A reader reserves before it buffers and releases once done; a reservation that does not fit is
 * refused, and the reader refuses its request. Thread-safe (the I/O threads of one server share it).
 */
final class ReadBudget {
  private final long max;
  private final AtomicLong used = new AtomicLong();

  ReadBudget(long max) {
    this.max = max;
  }

  /** A budget that never refuses (a client's connections: the peer is the server it chose). */
  static ReadBudget unlimited() {
    return new ReadBudget(Long.MAX_VALUE);
  }

  /** Reserves {@code bytes} if they fit; false (and nothing reserved) otherwise. */
  boolean reserve(long bytes) {
    while (true) {
      long current = used.get();
      if (bytes > max - current) {
        return false;
      }
      if (used.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  /** Returns bytes reserved earlier. */
  void release(long bytes) {
    if (bytes > 0) {
      used.addAndGet(-bytes);
    }
  }

  long used() {
    return used.get();
  }

  long max() {
    return max;
  }
}
