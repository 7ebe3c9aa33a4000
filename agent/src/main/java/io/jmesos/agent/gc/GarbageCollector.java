package io.jmesos.agent.gc;

import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes directories a while after they were scheduled, as Mesos' {@code GarbageCollectorProcess}:
 * {@link #schedule} sets a removal time on the agent's clock, {@link #unschedule} takes a path back (a
 * framework or executor that is used again), {@link #prune} removes at once every path due within a given
 * time (the disk watch calls it when the disk fills up). Removal runs on the blocking pool; once a path is
 * gone the {@code removed} callback runs on the actor (the agent detaches its files there).
 *
 * <p>Not thread-safe: every method runs on the agent's actor.
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final Actor actor;
  private final Executor blocking;
  private final Consumer<Path> removed;
  private final Map<Path, Scheduled> paths = new LinkedHashMap<>();
  private long succeeded;
  private long failed;
  private Duration maxAllowedAge;

  public GarbageCollector(Actor actor, Executor blocking, Consumer<Path> removed) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.blocking = Objects.requireNonNull(blocking, "blocking");
    this.removed = Objects.requireNonNull(removed, "removed");
  }

  private static final class Scheduled {
    final long removalNanos;
    final Clock.Timer timer;

    Scheduled(long removalNanos, Clock.Timer timer) {
      this.removalNanos = removalNanos;
      this.timer = timer;
    }
  }

  /** Schedules {@code path} for removal after {@code delay}, replacing an earlier schedule of it. */
  public void schedule(Duration delay, Path path) {
    unschedule(path);
    Duration d = delay.isNegative() ? Duration.ZERO : delay;
    long removal = actor.clock().nanoTime() + d.toNanos();
    Clock.Timer timer = actor.delay(d, () -> {
      Scheduled s = paths.get(path);
      if (s != null && s.removalNanos == removal) {
        remove(List.of(path));
      }
    });
    paths.put(path, new Scheduled(removal, timer));
    LOG.info("Scheduling '{}' for gc {} in the future", path, d);
  }

  /** Takes {@code path} back; true when it was scheduled. */
  public boolean unschedule(Path path) {
    Scheduled s = paths.remove(path);
    if (s == null) {
      return false;
    }
    s.timer.cancel();
    LOG.info("Unscheduled '{}' from gc", path);
    return true;
  }

  /** Removes now every path whose removal is due within {@code within}. */
  public void prune(Duration within) {
    long limit = actor.clock().nanoTime() + within.toNanos();
    List<Path> due = new ArrayList<>();
    paths.forEach((path, s) -> {
      if (s.removalNanos <= limit) {
        due.add(path);
      }
    });
    if (!due.isEmpty()) {
      LOG.info("Pruning {} directories due for gc within {}", due.size(), within);
      remove(due);
    }
  }

  /** Paths scheduled and not yet removed. */
  public int pending() {
    return paths.size();
  }

  public long removalsSucceeded() {
    return succeeded;
  }

  public long removalsFailed() {
    return failed;
  }

  /**
   * Mesos' {@code slave/executor_directory_max_allowed_age_secs}: the longest a sandbox may live at the last
   * measured disk usage, as the disk watch last set it; null without a disk watch.
   */
  public Duration maxAllowedAge() {
    return maxAllowedAge;
  }

  void maxAllowedAge(Duration age) {
    maxAllowedAge = age;
  }

  /** The time left until {@code path} is removed, or null when it is not scheduled. */
  public Duration remaining(Path path) {
    Scheduled s = paths.get(path);
    return s == null ? null : Duration.ofNanos(Math.max(0, s.removalNanos - actor.clock().nanoTime()));
  }

  private void remove(List<Path> due) {
    for (Path path : due) {
      Scheduled s = paths.remove(path);
      if (s != null) {
        s.timer.cancel();
      }
      CompletableFuture.runAsync(() -> deleteTree(path), blocking).whenCompleteAsync((ok, error) -> {
        if (error == null) {
          succeeded++;
          LOG.info("Deleted '{}'", path);
        } else {
          failed++;
          LOG.warn("Failed to delete '{}': {}", path, error.getCause() != null ? error.getCause() : error);
        }
        removed.accept(path);
      }, actor);
    }
  }

  /** Deletes a directory tree without following symbolic links; a missing path is already deleted. */
  static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null && !(e instanceof NoSuchFileException)) {
            throw e;
          }
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
