package io.jmesos.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/**
 * Bounded polls for multi-process tests, where a daemon may not answer for a while (it is restarting, or not
 * elected yet): an I/O error counts as "not yet", and a timeout fails with what was last seen. Stateless.
 */
final class Polls {
  private Polls() {}

  /** Runs {@code check} every {@code poll} until it passes; after {@code within}, fails with its last failure. */
  static void eventually(String what, Duration within, Duration poll, ThrowingRunnable check) {
    try {
      await(what).atMost(within).pollInterval(poll).pollInSameThread().untilAsserted(() -> {
        try {
          check.run();
        } catch (IOException e) {
          throw new AssertionError(e.toString(), e);
        }
      });
    } catch (ConditionTimeoutException e) {
      Throwable last = e.getCause();
      throw new AssertionError(what + ": not within " + within + (last != null ? ": " + last.getMessage() : ""), e);
    }
  }

  /** Polls {@code probe} every {@code poll} until it has a value; after {@code within}, fails. */
  static <T> T awaitValue(String what, Duration within, Duration poll, Callable<Optional<T>> probe) {
    AtomicReference<T> value = new AtomicReference<>();
    AtomicReference<IOException> lastError = new AtomicReference<>();
    try {
      await(what).atMost(within).pollInterval(poll).pollInSameThread().until(() -> {
        try {
          Optional<T> v = probe.call();
          v.ifPresent(value::set);
          return v.isPresent();
        } catch (IOException e) {
          lastError.set(e);
          return false;
        }
      });
    } catch (ConditionTimeoutException e) {
      IOException last = lastError.get();
      throw new AssertionError(what + ": not within " + within + (last != null ? " (last error: " + last + ")" : ""),
          e);
    }
    return value.get();
  }
}
