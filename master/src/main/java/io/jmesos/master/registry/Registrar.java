package io.jmesos.master.registry;

import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.flags.Durations;
import io.jmesos.internal.RegistryProtos.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.mesos.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's registrar, as Mesos' {@code Registrar}: recovers the registry when this master starts leading,
 * then applies {@link RegistryOperation}s in order, each answered only once the registry holding it is stored.
 * Operations asked for while a store is in flight are batched into the next store. Fetch and store run on one
 * worker thread (they block on disk or ZooKeeper); everything else, including every future's completion, runs on
 * the master's actor.
 *
 * <p>Failure is final: a fetch that outlasts {@code --registry_fetch_timeout}, a store that outlasts
 * {@code --registry_store_timeout}, a failed or fenced store all call {@code onFailure} (the master aborts rather
 * than run on a registry it cannot keep; its supervisor restarts it and another master may lead) and fail every
 * pending operation. Timeouts run on the master's clock, so tests drive them with a paused clock.
 */
public final class Registrar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);

  private final Actor actor;
  private final RegistryStore store;
  private final Duration fetchTimeout;
  private final Duration storeTimeout;
  private final Consumer<Throwable> onFailure;
  private final ExecutorService worker;
  private final RegistrarMetrics metrics = new RegistrarMetrics();
  private final List<Pending> queue = new ArrayList<>();
  private Registry registry;
  private boolean storing;
  private Throwable failure;
  /** A fetch or store is running on the worker, or its result is not yet back on the actor. */
  private volatile boolean busy;

  public Registrar(Actor actor, RegistryStore store, Duration fetchTimeout, Duration storeTimeout,
      Consumer<Throwable> onFailure) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.store = Objects.requireNonNull(store, "store");
    this.fetchTimeout = fetchTimeout;
    this.storeTimeout = storeTimeout;
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "registrar");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Fetches the registry and stores it back with {@code leader} as its master (so that a master that lost the
   * registry to this one is fenced at its next store). Completes on the actor with the recovered registry.
   */
  public CompletableFuture<Registry> recover(MasterInfo leader) {
    actor.assertInActorThread();
    if (registry != null) {
      throw new IllegalStateException("Registrar already recovered");
    }
    CompletableFuture<Registry> recovered = new CompletableFuture<>();
    long started = System.nanoTime();
    boolean[] done = new boolean[1];
    Clock.Timer timer = actor.delay(fetchTimeout, () -> {
      if (!done[0]) {
        done[0] = true;
        fail(new RegistrarException("Failed to recover registrar: Failed to perform fetch within "
            + Durations.format(fetchTimeout)), recovered);
      }
    });
    LOG.info("Recovering registrar from {}", store.describe());
    offActor(store::fetch, (fetched, e) -> {
      if (done[0]) {
        return;
      }
      done[0] = true;
      timer.cancel();
      if (e != null) {
        fail(new RegistrarException("Failed to recover registrar: " + e.getMessage(), e), recovered);
        return;
      }
      metrics.fetched(System.nanoTime() - started);
      LOG.info("Successfully fetched the registry ({}B) in {}ms", fetched.getSerializedSize(),
          (System.nanoTime() - started) / 1_000_000);
      registry = fetched;
      apply(RegistryOperations.master(leader)).whenComplete((ok, error) -> {
        if (error != null) {
          recovered.completeExceptionally(error);
        } else {
          LOG.info("Successfully recovered registrar");
          recovered.complete(registry);
        }
      });
    });
    return recovered;
  }

  /**
   * Applies {@code operation} after every operation asked for before it; completes on the actor, once stored,
   * with whether it changed the registry. Fails (and the master aborts) if the registry cannot be stored.
   */
  public CompletableFuture<Boolean> apply(RegistryOperation operation) {
    actor.assertInActorThread();
    if (registry == null) {
      throw new IllegalStateException("Registrar not recovered: cannot " + operation.describe());
    }
    Pending pending = new Pending(operation);
    if (failure != null) {
      pending.future.completeExceptionally(failure);
      return pending.future;
    }
    queue.add(pending);
    metrics.queued(queue.size());
    if (!storing) {
      update();
    }
    return pending.future;
  }

  /** True when no fetch or store is in flight; a snapshot for tests that settle a cluster by polling. */
  public boolean isIdle() {
    return !busy;
  }

  /** The last stored registry; null before {@link #recover}. */
  public Registry registry() {
    return registry;
  }

  public RegistrarMetrics metrics() {
    return metrics;
  }

  /** Applies every queued operation to a copy of the registry and stores it once. */
  private void update() {
    List<Pending> batch = new ArrayList<>(queue);
    queue.clear();
    metrics.queued(0);
    Registry.Builder next = registry.toBuilder();
    boolean mutated = false;
    AdmittedAgents admitted = new AdmittedAgents(next);
    for (Pending pending : batch) {
      pending.mutated = pending.operation.apply(next, admitted);
      mutated |= pending.mutated;
    }
    if (!mutated) {
      batch.forEach(p -> p.future.complete(false));
      return;
    }
    Registry updated = next.build();
    storing = true;
    long started = System.nanoTime();
    boolean[] done = new boolean[1];
    Clock.Timer timer = actor.delay(storeTimeout, () -> {
      if (!done[0]) {
        done[0] = true;
        storing = false;
        fail(new RegistrarException("Failed to update registry: Failed to perform store within "
            + Durations.format(storeTimeout)), null, batch);
      }
    });
    offActor(() -> {
      store.store(updated);
      return null;
    }, (ignored, error) -> stored(updated, batch, error, started, done, timer));
  }

  /**
   * Runs {@code work} on the worker and hands its result to {@code then} on the actor; a store that does not
   * block (in memory) runs inline, so that an in-memory master answers in the same actor turn.
   */
  private <T> void offActor(java.util.concurrent.Callable<T> work, java.util.function.BiConsumer<T, Throwable> then) {
    if (!store.blocking()) {
      T result = null;
      Throwable error = null;
      try {
        result = work.call();
      } catch (Exception | Error e) {
        error = e;
      }
      then.accept(result, error);
      return;
    }
    busy = true;
    worker.execute(() -> {
      T result = null;
      Throwable error = null;
      try {
        result = work.call();
      } catch (Exception | Error e) {
        error = e;
      }
      T r = result;
      Throwable err = error;
      actor.execute(() -> {
        busy = false;
        then.accept(r, err);
      });
    });
  }

  private void stored(Registry updated, List<Pending> batch, Throwable error, long started, boolean[] done,
      Clock.Timer timer) {
    if (done[0]) {
      return;
    }
    done[0] = true;
    timer.cancel();
    storing = false;
    if (error != null) {
      String why = error instanceof RegistryStore.FencedException
          ? "Failed to update registry: another master took over the registry: " + error.getMessage()
          : "Failed to update registry: " + error.getMessage();
      fail(new RegistrarException(why, error), null, batch);
      return;
    }
    registry = updated;
    metrics.stored(System.nanoTime() - started, updated.getSerializedSize());
    for (Pending pending : batch) {
      LOG.debug("Applied registry operation: {}", pending.operation.describe());
      pending.future.complete(pending.mutated);
    }
    if (!queue.isEmpty() && failure == null) {
      update();
    }
  }

  private void fail(RegistrarException error, CompletableFuture<?> future) {
    fail(error, future, List.of());
  }

  private void fail(RegistrarException error, CompletableFuture<?> future, List<Pending> batch) {
    if (failure != null) {
      return;
    }
    failure = error;
    LOG.error("Registrar aborting: {}", error.getMessage());
    List<Pending> failed = new ArrayList<>(batch);
    failed.addAll(queue);
    queue.clear();
    failed.forEach(p -> p.future.completeExceptionally(error));
    if (future != null) {
      future.completeExceptionally(error);
    }
    onFailure.accept(error);
  }

  @Override
  public void close() {
    worker.shutdownNow();
    store.close();
  }

  private static final class Pending {
    final RegistryOperation operation;
    final CompletableFuture<Boolean> future = new CompletableFuture<>();
    boolean mutated;

    Pending(RegistryOperation operation) {
      this.operation = operation;
    }
  }

  /** The registrar cannot keep the registry; the master must not go on leading. */
  public static final class RegistrarException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RegistrarException(String message) {
      super(message);
    }

    RegistrarException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
