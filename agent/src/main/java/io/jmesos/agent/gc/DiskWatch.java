package io.jmesos.agent.gc;

import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's disk watch ({@code Slave::checkDiskUsage}): every {@code --disk_watch_interval} it measures
 * how full the work directory's file system is and shortens the life of scheduled sandboxes accordingly:
 * the longest a directory may live is {@code gc_delay x max(0, 1 - gc_disk_headroom - usage)}, so every path
 * due within {@code gc_delay} minus that age is pruned now.
 *
 * <p>Not thread-safe: started and run on the agent's actor; the measurement runs on the blocking pool.
 */
public final class DiskWatch {
  private static final Logger LOG = LoggerFactory.getLogger(DiskWatch.class);

  private final Actor actor;
  private final Executor blocking;
  private final GarbageCollector gc;
  private final DoubleSupplier usage;
  private final Duration gcDelay;
  private final double headroom;
  private final Duration interval;
  private Clock.Timer timer;
  private boolean stopped;

  public DiskWatch(Actor actor, Executor blocking, GarbageCollector gc, DoubleSupplier usage, Duration gcDelay,
      double headroom, Duration interval) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.blocking = Objects.requireNonNull(blocking, "blocking");
    this.gc = Objects.requireNonNull(gc, "gc");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.gcDelay = Objects.requireNonNull(gcDelay, "gcDelay");
    this.headroom = headroom;
    this.interval = Objects.requireNonNull(interval, "interval");
    gc.maxAllowedAge(maxAge(gcDelay, headroom, 0.0)); // Mesos' value before the first measurement
  }

  /** The used fraction of the file system holding {@code dir}, as Mesos' {@code fs::usage}. */
  public static DoubleSupplier fileSystemUsage(Path dir) {
    return () -> {
      try {
        FileStore store = Files.getFileStore(dir);
        long total = store.getTotalSpace();
        return total == 0 ? 0.0 : (double) (total - store.getUnallocatedSpace()) / total;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Mesos' {@code age(usage)}: how long a sandbox may stay at this disk usage. */
  static Duration maxAge(Duration gcDelay, double headroom, double usage) {
    double factor = Math.max(0.0, 1.0 - headroom - usage);
    return Duration.ofNanos((long) (gcDelay.toNanos() * factor));
  }

  /** Schedules the first check one interval from now. */
  public void start() {
    schedule();
  }

  public void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel();
    }
  }

  private void schedule() {
    if (!stopped) {
      timer = actor.delay(interval, this::check);
    }
  }

  private void check() {
    CompletableFuture.supplyAsync(usage::getAsDouble, blocking).whenCompleteAsync((used, error) -> {
      if (error != null) {
        LOG.warn("Failed to get disk usage: {}", error.getCause() != null ? error.getCause() : error);
      } else {
        apply(used);
      }
      schedule();
    }, actor);
  }

  /** Prunes for a measured usage (0..1); runs on the actor. */
  void apply(double used) {
    Duration age = maxAge(gcDelay, headroom, used);
    gc.maxAllowedAge(age);
    LOG.info("Current disk usage {}%. Max allowed age: {}", String.format("%.2f", used * 100), age);
    gc.prune(gcDelay.minus(age));
  }
}
