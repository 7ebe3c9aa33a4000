package io.jmesos.state;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage whose operations run one at a time, in submission order, on one daemon thread of its own (Mesos runs
 * them in one libprocess process). Subclasses do blocking I/O in the callables they {@link #submit}.
 */
abstract class SerialStorage implements Storage {
  static final String CLOSED = "No longer managing storage";
  private static final Logger LOG = LoggerFactory.getLogger(SerialStorage.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  SerialStorage(String kind) {
    String name = kind + "-" + THREADS.incrementAndGet();
    executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Uncaught exception in {}", t.getName(), e));
      return thread;
    });
  }

  /** Runs {@code operation} after every operation submitted before it, unless its future is done by then. */
  final <T> CompletableFuture<T> submit(Callable<T> operation) {
    Task<T> task = new Task<>(operation);
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.abort();
    }
    return task.future;
  }

  /**
   * Stops the thread (interrupting the running operation), fails the operations still queued, then calls
   * {@link #closed()}.
   */
  @Override
  public final void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<Runnable> queued = executor.shutdownNow();
    for (Runnable task : queued) {
      ((Task<?>) task).abort();
    }
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("A state storage operation is still running after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed();
  }

  /** Releases the subclass' resources, once the thread has stopped. */
  abstract void closed();

  private static final class Task<T> implements Runnable {
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final Callable<T> operation;

    Task(Callable<T> operation) {
      this.operation = operation;
    }

    void abort() {
      future.completeExceptionally(new StorageException(CLOSED));
    }

    @Override
    public void run() {
      if (future.isDone()) {
        return; // Discarded before it started.
      }
      try {
        future.complete(operation.call());
      } catch (StorageException e) {
        future.completeExceptionally(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
      } catch (Exception | Error e) {
        LOG.warn("State storage operation failed", e);
        future.completeExceptionally(new StorageException(String.valueOf(e.getMessage()), e));
        if (e instanceof Error) {
          throw (Error) e; // The executor replaces the thread.
        }
      }
    }
  }
}
