package io.jmesos.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.MasterInfo;

/**
 * Mesos' {@code StandaloneMasterDetector}: the leader is whatever was given or last {@link #appoint appointed};
 * nothing is watched. Daemons and drivers given {@code host:port} use it; tests appoint masters with it to make a
 * leader change without ZooKeeper.
 *
 * <p>Thread-safe. Futures complete on the thread that calls {@link #appoint} (or {@link #detect}, when the
 * answer is known at once).
 */
public final class StandaloneMasterDetector implements MasterDetector {
  private final Object lock = new Object();
  private final List<Pending> pending = new ArrayList<>();
  private Optional<MasterInfo> leader;
  private boolean closed;

  /** A detector that knows no master until one is {@link #appoint appointed}. */
  public StandaloneMasterDetector() {
    this(Optional.empty());
  }

  public StandaloneMasterDetector(Optional<MasterInfo> leader) {
    this.leader = Objects.requireNonNull(leader, "leader");
  }

  /** Makes {@code next} (or nobody) the leader; callers waiting for a change hear of it. */
  public void appoint(Optional<MasterInfo> next) {
    Objects.requireNonNull(next, "next");
    List<Pending> changed = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return;
      }
      leader = next;
      pending.removeIf(p -> {
        if (!p.previous.equals(next)) {
          changed.add(p);
          return true;
        }
        return false;
      });
    }
    changed.forEach(p -> p.result.complete(next));
  }

  @Override
  public CompletableFuture<Optional<MasterInfo>> detect(Optional<MasterInfo> previous) {
    Objects.requireNonNull(previous, "previous");
    CompletableFuture<Optional<MasterInfo>> result = new CompletableFuture<>();
    Optional<MasterInfo> now;
    synchronized (lock) {
      if (closed) {
        result.cancel(false);
        return result;
      }
      now = leader;
      if (now.equals(previous)) {
        pending.add(new Pending(previous, result));
        return result;
      }
    }
    result.complete(now);
    return result;
  }

  @Override
  public void close() {
    List<Pending> waiting;
    synchronized (lock) {
      closed = true;
      waiting = new ArrayList<>(pending);
      pending.clear();
    }
    waiting.forEach(p -> p.result.cancel(false));
  }

  private static final class Pending {
    final Optional<MasterInfo> previous;
    final CompletableFuture<Optional<MasterInfo>> result;

    Pending(Optional<MasterInfo> previous, CompletableFuture<Optional<MasterInfo>> result) {
      this.previous = previous;
      this.result = result;
    }
  }
}
