package io.jmesos.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ActorTest {

  @Test
  void runsWorkInOrderOnItsOwnThread() throws Exception {
    ManualClock clock = new ManualClock();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Actor actor = new Actor("test-actor", clock)) {
      for (int i = 0; i < 100; i++) {
        int n = i;
        actor.execute(() -> seen.add(Thread.currentThread().getName() + ":" + n));
      }
      String last = actor.call(() -> "done").get(10, TimeUnit.SECONDS);
      assertThat(last).isEqualTo("done");
      assertThat(seen).hasSize(100);
      for (int i = 0; i < 100; i++) {
        assertThat(seen.get(i)).isEqualTo("test-actor:" + i);
      }
      assertThat(actor.call(actor::inActorThread).get(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(actor::assertInActorThread).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void timersFireOnlyWhenTheManualClockAdvances() {
    ManualClock clock = new ManualClock();
    List<String> fired = new CopyOnWriteArrayList<>();
    try (Actor actor = new Actor("timers", clock)) {
      actor.delay(Duration.ofSeconds(5), () -> fired.add("5s"));
      actor.delay(Duration.ofSeconds(1), () -> fired.add("1s"));
      Clock.Timer cancelled = actor.delay(Duration.ofSeconds(2), () -> fired.add("2s"));
      assertThat(clock.nextDueNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
      assertThat(cancelled.cancel()).isTrue();

      clock.advance(Duration.ofMillis(999));
      await().atMost(Duration.ofSeconds(5)).until(actor::isIdle);
      assertThat(fired).isEmpty();

      clock.advance(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 2);
      assertThat(fired).containsExactly("1s", "5s");
      assertThat(clock.pendingTimers()).isZero();
      assertThat(clock.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
    }
  }

  @Test
  void anExceptionDoesNotStopTheActor() throws Exception {
    try (Actor actor = new Actor("sturdy", new ManualClock())) {
      actor.execute(() -> {
        throw new IllegalStateException("boom");
      });
      assertThat(actor.call(() -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
    }
  }

  @Test
  void anErrorDoesNotStopTheActorEither() throws Exception {
    try (Actor actor = new Actor("sturdier", new ManualClock())) {
      actor.execute(() -> {
        throw new StackOverflowError("deep");
      });
      assertThat(actor.call(() -> 43).get(10, TimeUnit.SECONDS)).isEqualTo(43);
      // The future completes inside the last item, just before the actor counts it done.
      await().atMost(Duration.ofSeconds(5)).until(actor::isIdle);
    }
  }

  @Test
  void dispatcherRoutesByTypeAndDropsUnknownOrMalformed() {
    List<Object> handled = new CopyOnWriteArrayList<>();
    MessageDispatcher<String> dispatcher = new MessageDispatcher<String>("test")
        .install(PingSlaveMessage.getDefaultInstance(), (from, m) -> handled.add(from + ":" + m.getConnected()));
    assertThat(dispatcher.dispatch("a1",
        MessageDispatcher.envelope(PingSlaveMessage.newBuilder().setConnected(true).build()))).isTrue();
    assertThat(dispatcher.dispatch("a1", MessageDispatcher.envelope(PongSlaveMessage.getDefaultInstance())))
        .isFalse();
    assertThat(dispatcher.dispatch("a1", MessageDispatcher.envelope(PingSlaveMessage.getDefaultInstance())
        .toBuilder().setPayload(com.google.protobuf.ByteString.copyFromUtf8("\u00ff\u00ff")).build())).isFalse();
    assertThat(handled).containsExactly("a1:true");
  }

  @Test
  void backoffGrowsToItsCapAndResets() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), new java.util.Random(1));
    for (int i = 0; i < 10; i++) {
      assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofSeconds(8));
    }
    backoff.reset();
    assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }
}
