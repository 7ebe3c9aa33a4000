package io.jmesos.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The interception rules on plain strings: what is delivered, when, and what the futures see. */
@Timeout(10)
class RulesTest {
  private final ManualClock clock = new ManualClock();
  private final Rules<String> rules = new Rules<>(clock);
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private static final Predicate<String> PINGS = s -> s.startsWith("ping");

  private void send(String item) {
    rules.handle(item, new Rules.Delivery() {
      @Override
      public void now() {
        delivered.add(item);
      }

      @Override
      public void later(Runnable then) {
        delivered.add(item + " (late)");
        then.run();
      }
    });
  }

  @Test
  void dropNextDropsOnlyTheNextMatchAndFuturesSeeOnlyDeliveries() throws Exception {
    CompletableFuture<String> next = rules.observe(PINGS, Function.identity());
    CompletableFuture<String> dropped = rules.dropNext(PINGS, Function.identity());

    send("pong");
    send("ping 1");
    assertThat(dropped.getNow(null)).isEqualTo("ping 1");
    assertThat(next).isNotDone();
    send("ping 2");

    assertThat(delivered).containsExactly("pong", "ping 2");
    assertThat(next.getNow(null)).isEqualTo("ping 2");
  }

  @Test
  void dropAllDropsUntilClosedAndTheFirstRuleMadeDecides() {
    Dropping<String> dropping = rules.dropAll(PINGS, Function.identity());
    CompletableFuture<String> duplicated = rules.duplicateNext(PINGS, Function.identity());
    send("ping 1");
    send("ping 2");
    dropping.close();
    send("ping 3");
    send("ping 4");

    assertThat(dropping.dropped()).containsExactly("ping 1", "ping 2");
    assertThat(duplicated.getNow(null)).isEqualTo("ping 3");
    assertThat(delivered).containsExactly("ping 3", "ping 3", "ping 4");
  }

  @Test
  void aHeldItemGoesOnLateWhenReleasedByHandOrByTheClock() {
    Held<String> byHand = rules.holdNext(PINGS, Function.identity());
    send("ping 1");
    send("pong");
    assertThat(byHand.caught().getNow(null)).isEqualTo("ping 1");
    byHand.release();
    byHand.release();

    Held<String> byClock = rules.holdNext(PINGS, Function.identity());
    byClock.releaseAfter(Duration.ofSeconds(2));
    send("ping 2");
    clock.advance(Duration.ofSeconds(1));
    assertThat(byClock.isReleased()).isFalse();
    clock.advance(Duration.ofSeconds(1));

    assertThat(delivered).containsExactly("pong", "ping 1 (late)", "ping 2 (late)");
  }

  @Test
  void releasingBeforeAnythingIsCaughtCancelsTheDelay() {
    Held<String> held = rules.holdNext(PINGS, Function.identity());
    held.release();
    send("ping 1");

    assertThat(held.caught()).isNotDone();
    assertThat(delivered).containsExactly("ping 1");
  }
}
