package io.jmesos.testing;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Interception of the v1 scheduler events the master sends to the frameworks of a {@link FaultCluster}, by
 * event type, for every framework or one, and cutting a framework's stream. Events are caught as the master
 * writes them to the subscription stream, so "delivered" means written to the stream (the driver reads it
 * soon after). A framework is told apart by the name in its FrameworkInfo: give the drivers of one test
 * distinct names.
 *
 * <p>Thread-safe. Futures complete on the master's actor (or the thread releasing a held event): chain
 * nothing that blocks onto them.
 */
public final class EventFaults {
  private final Streams streams;
  private final Predicate<Streams.Stream> which;

  EventFaults(Streams streams, Predicate<Streams.Stream> which) {
    this.streams = streams;
    this.which = which;
  }

  /** Completes with the next event of {@code type}, once it is written to the stream. */
  public CompletableFuture<Event> future(Event.Type type) {
    return streams.rules().observe(match(type), Streams.Item::event);
  }

  /** Drops the next event of {@code type}; the future completes with it. */
  public CompletableFuture<Event> dropNext(Event.Type type) {
    return streams.rules().dropNext(match(type), Streams.Item::event);
  }

  /** Drops every event of {@code type} until the returned handle is closed. */
  public Dropping<Event> dropAll(Event.Type type) {
    return streams.rules().dropAll(match(type), Streams.Item::event);
  }

  /** Holds the next event of {@code type} until {@link Held#release()}. */
  public Held<Event> delayNext(Event.Type type) {
    return streams.rules().holdNext(match(type), Streams.Item::event);
  }

  /** Writes the next event of {@code type} twice; the future completes with it. */
  public CompletableFuture<Event> duplicateNext(Event.Type type) {
    return streams.rules().duplicateNext(match(type), Streams.Item::event);
  }

  /**
   * Ends the selected frameworks' open subscription streams from the master's side, as a broken connection
   * would: the master sees the framework disconnected, the driver sees its stream end and subscribes again
   * after its backoff (on the cluster's clock). Returns how many streams were cut.
   */
  public int cutStream() {
    return streams.cut(which);
  }

  private Predicate<Streams.Item> match(Event.Type type) {
    return item -> item.event().getType() == type && which.test(item.stream());
  }
}
