package io.jmesos.master.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.Actor;
import io.jmesos.actor.ManualClock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventQueueTest {
  private final Actor actor = new Actor("event-queue-test", new ManualClock());

  @AfterEach
  void close() {
    actor.close();
  }

  @Test
  void countsWhatWaitsInTheMailboxByKindButNotTheItemRunning() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    actor.execute(EventQueue.message(() -> {
      running.countDown();
      await(release);
    }));
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    actor.execute(EventQueue.message(() -> { }));
    actor.execute(EventQueue.message(() -> { }));
    actor.execute(EventQueue.http(() -> { }));
    actor.execute(() -> { });

    assertThat(EventQueue.gauges(actor))
        .containsEntry("master/event_queue_messages", 2.0)
        .containsEntry("master/event_queue_http_requests", 1.0)
        .containsEntry("master/event_queue_dispatches", 1.0);

    release.countDown();
    CountDownLatch drained = new CountDownLatch(1);
    actor.execute(drained::countDown);
    assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(EventQueue.gauges(actor)).containsEntry("master/event_queue_messages", 0.0)
        .containsEntry("master/event_queue_http_requests", 0.0).containsEntry("master/event_queue_dispatches", 0.0);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
