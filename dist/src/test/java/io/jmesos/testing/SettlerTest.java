package io.jmesos.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.actor.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Settling and stepping time, without a cluster. */
@Timeout(10)
class SettlerTest {
  private final ManualClock clock = new ManualClock();

  @Test
  void advanceFiresEachTimerAtItsOwnTimeAndSettlesInBetween() {
    List<String> fired = new CopyOnWriteArrayList<>();
    AtomicInteger settles = new AtomicInteger();
    Settler settler = new Settler(clock, Duration.ofSeconds(1),
        () -> List.of(new Settler.Part("counter", () -> {
          settles.incrementAndGet();
          return null;
        })), () -> false);
    clock.schedule(Duration.ofSeconds(1), Runnable::run, () -> {
      fired.add("1s at " + clock.nanoTime() / 1_000_000_000);
      // A timer armed by a timer (a periodic one) is reached in the same advance.
      clock.schedule(Duration.ofSeconds(1), Runnable::run,
          () -> fired.add("2s at " + clock.nanoTime() / 1_000_000_000));
    });
    clock.schedule(Duration.ofSeconds(5), Runnable::run, () -> fired.add("5s"));

    settler.advance(Duration.ofSeconds(3));

    assertThat(fired).containsExactly("1s at 1", "2s at 2");
    assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(3).toNanos());
    assertThat(settles.get()).isGreaterThanOrEqualTo(4); // before, after 1s, after 2s, at 3s
  }

  @Test
  void settleGivesUpNamingWhatIsBusy() {
    Settler settler = new Settler(clock, Duration.ofMillis(50),
        () -> List.of(new Settler.Part("idle part", () -> null), new Settler.Part("agent 0", () -> "actor")),
        () -> false);

    assertThatThrownBy(settler::settle)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("within 50 ms")
        .hasMessageContaining("agent 0 (actor)")
        .hasMessageNotContaining("idle part");
  }

  @Test
  void settleWaitsForSeveralIdlePollsInARowWhileDriversExist() {
    AtomicInteger polls = new AtomicInteger();
    Settler settler = new Settler(clock, Duration.ofSeconds(1),
        () -> List.of(new Settler.Part("flaky", () -> polls.incrementAndGet() == 3 ? "busy once" : null)),
        () -> true);

    settler.settle();

    assertThat(polls.get()).isEqualTo(8); // two idle, one busy, then five idle in a row
  }
}
