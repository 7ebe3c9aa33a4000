package io.jmesos.state;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A state operation's result with the {@link Future} semantics of Mesos' JNI state futures
 * ({@code org_apache_mesos_state_AbstractState.cpp}):
 * <ul>
 *   <li>{@code cancel(true)} asks for a discard and returns false; {@code cancel(false)} does nothing. A
 *       discarded operation that has not started is skipped; {@code get} then throws a
 *       {@link CancellationException} ("Future was discarded"), unless the result was already there.
 *   <li>{@code isCancelled()} is always false; {@code isDone()} is true once there is a result or a discard
 *       was asked for.
 *   <li>A failure is an {@link ExecutionException} whose message is Mesos' failure message (its cause is ours).
 *   <li>{@code get(timeout, unit)} throws a {@link TimeoutException} ("Failed to wait for future within
 *       timeout") when there is no result in time. Mesos rounds the timeout down to whole seconds; this waits
 *       the exact timeout.
 * </ul>
 * Thread-safe.
 */
public final class StateFuture<T> implements Future<T> {
  private final CompletableFuture<T> result;
  private final CompletableFuture<?> operation;
  // Keeps the state, whose collection closes its storage, alive while its futures are wanted.
  private final Object state;
  private volatile boolean discarded;

  /**
   * @param result    what {@code get} returns
   * @param operation the storage operation {@code result} is derived from, cancelled on a discard
   * @param state     the state that started the operation
   */
  public StateFuture(CompletableFuture<T> result, CompletableFuture<?> operation, Object state) {
    this.result = result;
    this.operation = operation;
    this.state = state;
  }

  /** A future that is already done with {@code value}. */
  public static <T> StateFuture<T> completed(T value) {
    CompletableFuture<T> done = CompletableFuture.completedFuture(value);
    return new StateFuture<>(done, done, null);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (mayInterruptIfRunning) {
      discarded = true;
      result.cancel(false);
      operation.cancel(false);
    }
    return false; // As Mesos: a discard was asked for, whether it happens is not known.
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public boolean isDone() {
    return discarded || result.isDone();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    try {
      return result.get();
    } catch (CancellationException e) {
      throw discardedException();
    } catch (ExecutionException e) {
      throw failure(e);
    }
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return result.get(timeout, unit);
    } catch (CancellationException e) {
      throw discardedException();
    } catch (ExecutionException e) {
      throw failure(e);
    } catch (TimeoutException e) {
      throw new TimeoutException("Failed to wait for future within timeout");
    }
  }

  private static CancellationException discardedException() {
    return new CancellationException("Future was discarded");
  }

  /**
   * Mesos' failure message. A cancelled storage operation under a derived result is a discard: that is thrown
   * as a {@link CancellationException}, which is unchecked.
   */
  private static ExecutionException failure(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof CancellationException) {
      CancellationException discarded = discardedException();
      discarded.initCause(cause);
      throw discarded;
    }
    return new ExecutionException(cause.getMessage(), cause);
  }
}
