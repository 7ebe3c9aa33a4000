package io.jmesos.detector;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.mesos.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps detecting, as Mesos' agent and driver do ({@code detector->detect(previous).onAny(defer(self(),
 * &detected))}): every change of leader reaches the listener on the owner's executor (an actor), in order, and
 * detection goes on from the leader just reported.
 *
 * <p>{@link #restart()} abandons the detection in progress and detects again from "no leader known", as Mesos'
 * scheduler library does after losing its connection ({@code detection.discard()}): the listener then hears the
 * current leader again even if it has not changed.
 *
 * <p>Threading: {@link #start()}, {@link #restart()} and the listeners run on the owner; {@link #close()} may be
 * called from any thread, after which the listener is not called again. The detector is not closed here: its
 * owner closes it.
 */
public final class LeaderWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);

  private final MasterDetector detector;
  private final Executor owner;
  private final Consumer<Optional<MasterInfo>> listener;
  private final Consumer<Throwable> onFailure;
  private volatile boolean closed;
  private boolean started; // owner-confined
  private long generation; // owner-confined: detections of an older generation are ignored

  public LeaderWatch(MasterDetector detector, Executor owner, Consumer<Optional<MasterInfo>> listener) {
    this(detector, owner, listener, failure -> { });
  }

  /**
   * As {@link #LeaderWatch(MasterDetector, Executor, Consumer)}; {@code onFailure} hears (on the owner) why
   * detection failed, after which the watch no longer detects.
   */
  public LeaderWatch(MasterDetector detector, Executor owner, Consumer<Optional<MasterInfo>> listener,
      Consumer<Throwable> onFailure) {
    this.detector = Objects.requireNonNull(detector, "detector");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
  }

  /** Starts detecting from "no leader known". Idempotent; call on the owner. */
  public void start() {
    if (started || closed) {
      return;
    }
    started = true;
    detect(Optional.empty());
  }

  /** Ignores the detection in progress and detects again from "no leader known". Call on the owner. */
  public void restart() {
    if (!started || closed) {
      return;
    }
    generation++;
    detect(Optional.empty());
  }

  private void detect(Optional<MasterInfo> previous) {
    long g = generation;
    detector.detect(previous).whenComplete((next, failure) -> owner.execute(() -> detected(g, next, failure)));
  }

  private void detected(long g, Optional<MasterInfo> next, Throwable failure) {
    if (closed || g != generation) {
      return;
    }
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof CancellationException) {
        LOG.debug("Master detection cancelled");
      } else {
        // Mesos' driver exits here and its v1 library reports an error event; the owner decides.
        LOG.error("Failed to detect a master; no longer detecting: {}", cause.toString());
        onFailure.accept(cause);
      }
      return;
    }
    listener.accept(next);
    if (!closed && g == generation) { // the listener may have restarted detection itself
      detect(next);
    }
  }

  /** Stops reporting. Idempotent; any thread. */
  @Override
  public void close() {
    closed = true;
  }
}
