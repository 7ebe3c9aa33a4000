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
 * <p>Threading: {@link #start()} and the listener run on the owner; {@link #close()} may be called from any
 * thread, after which the listener is not called again. The detector is not closed here: its owner closes it.
 */
public final class LeaderWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);

  private final MasterDetector detector;
  private final Executor owner;
  private final Consumer<Optional<MasterInfo>> listener;
  private volatile boolean closed;
  private boolean started; // owner-confined

  public LeaderWatch(MasterDetector detector, Executor owner, Consumer<Optional<MasterInfo>> listener) {
    this.detector = Objects.requireNonNull(detector, "detector");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Starts detecting from "no leader known". Idempotent; call on the owner. */
  public void start() {
    if (started || closed) {
      return;
    }
    started = true;
    detect(Optional.empty());
  }

  private void detect(Optional<MasterInfo> previous) {
    detector.detect(previous).whenComplete((next, failure) -> owner.execute(() -> detected(next, failure)));
  }

  private void detected(Optional<MasterInfo> next, Throwable failure) {
    if (closed) {
      return;
    }
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof CancellationException) {
        LOG.debug("Master detection cancelled");
      } else {
        // Mesos exits here ("Failed to detect a master"); the owner keeps its last leader instead.
        LOG.error("Failed to detect a master; no longer detecting: {}", cause.toString());
      }
      return;
    }
    listener.accept(next);
    if (!closed) {
      detect(next);
    }
  }

  /** Stops reporting. Idempotent; any thread. */
  @Override
  public void close() {
    closed = true;
  }
}
