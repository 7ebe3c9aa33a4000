package io.jmesos.agent.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.Actor;
import io.jmesos.actor.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The garbage collector and the disk watch on a manual clock, deleting real directories. */
@Timeout(30)
class GarbageCollectorTest {
  private static final Duration WEEK = Duration.ofDays(7);
  @TempDir
  Path tmp;
  final ManualClock clock = new ManualClock();
  final Actor actor = new Actor("gc-test", clock);
  final List<Path> removed = new CopyOnWriteArrayList<>();
  GarbageCollector gc;

  @BeforeEach
  void setUp() {
    gc = new GarbageCollector(actor, Runnable::run, removed::add);
  }

  @AfterEach
  void tearDown() {
    actor.close();
  }

  private void onActor(Runnable r) {
    actor.call(() -> {
      r.run();
      return null;
    }).join();
  }

  private Path sandbox(String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name).resolve("nested"));
    Files.writeString(dir.resolve("stdout"), "x");
    return tmp.resolve(name);
  }

  private void settle() {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(actor::isIdle);
  }

  @Test
  void scheduledDirectoryIsRemovedOnlyOnceTheDelayHasPassed() throws Exception {
    Path a = sandbox("a");
    onActor(() -> gc.schedule(WEEK, a));

    clock.advance(WEEK.minusSeconds(1));
    settle();
    assertThat(a).exists();

    clock.advance(Duration.ofSeconds(1));
    settle();
    assertThat(a).doesNotExist();
    assertThat(removed).containsExactly(a);
    assertThat(actor.call(gc::pending).join()).isZero();
    assertThat(actor.call(gc::removalsSucceeded).join()).isEqualTo(1);
  }

  @Test
  void unscheduledDirectoryStays() throws Exception {
    Path a = sandbox("a");
    onActor(() -> gc.schedule(WEEK, a));
    assertThat(actor.call(() -> gc.unschedule(a)).join()).isTrue();

    clock.advance(WEEK.plusDays(1));
    settle();

    assertThat(a).exists();
    assertThat(removed).isEmpty();
  }

  @Test
  void pruneRemovesOnlyWhatIsDueWithinTheGivenTime() throws Exception {
    Path old = sandbox("old");
    Path young = sandbox("young");
    onActor(() -> gc.schedule(WEEK, old));
    clock.advance(Duration.ofDays(5));
    onActor(() -> gc.schedule(WEEK, young));

    onActor(() -> gc.prune(Duration.ofDays(3)));
    settle();

    assertThat(old).doesNotExist();
    assertThat(young).exists();
    assertThat(actor.call(() -> gc.remaining(young)).join()).isEqualTo(WEEK);
  }

  @Test
  void maxAgeShrinksWithDiskUsageAsMesosComputesIt() {
    assertThat(DiskWatch.maxAge(WEEK, 0.1, 0.0)).isEqualTo(Duration.ofNanos((long) (WEEK.toNanos() * 0.9)));
    assertThat(DiskWatch.maxAge(WEEK, 0.1, 0.5)).isEqualTo(Duration.ofNanos((long) (WEEK.toNanos() * 0.4)));
    assertThat(DiskWatch.maxAge(WEEK, 0.1, 0.95)).isEqualTo(Duration.ZERO);
  }

  @Test
  void diskWatchPrunesSandboxesOlderThanTheMaxAgeAtEachInterval() throws Exception {
    AtomicReference<Double> usage = new AtomicReference<>(0.2);
    DiskWatch watch = new DiskWatch(actor, Runnable::run, gc, usage::get, WEEK, 0.1, Duration.ofMinutes(1));
    Path old = sandbox("old");
    Path young = sandbox("young");
    onActor(() -> {
      gc.schedule(WEEK, old);
      watch.start();
    });
    clock.advance(Duration.ofDays(4));
    onActor(() -> gc.schedule(WEEK, young));

    // 20% used: max age 0.7 weeks (4.9 days); "old" is 4 days old, nothing goes.
    clock.advance(Duration.ofMinutes(1));
    settle();
    assertThat(old).exists();

    // 60% used: max age 0.3 weeks (2.1 days): "old" (4 days) goes, "young" (1 minute) stays.
    usage.set(0.6);
    clock.advance(Duration.ofMinutes(1));
    settle();
    assertThat(old).doesNotExist();
    assertThat(young).exists();

    // 95% used: max age 0, everything goes at the next check.
    usage.set(0.95);
    clock.advance(Duration.ofMinutes(1));
    settle();
    assertThat(young).doesNotExist();
    onActor(watch::stop);
  }
}
