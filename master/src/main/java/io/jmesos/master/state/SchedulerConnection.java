package io.jmesos.master.state;

import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Where a subscribed framework's events go: one open SUBSCRIBE response. Implementations encode and write
 * without blocking; safe to call from the master's actor.
 */
public interface SchedulerConnection {
  /** The {@code Mesos-Stream-Id} of this subscription. */
  String streamId();

  void send(Event event);

  /** Sends an event given in its wire form; by default as its parsed v1 message through {@link #send(Event)}. */
  default void send(EncodedEvent event) {
    send(event.event());
  }

  /** Runs {@code callback} on some I/O thread once the stream ends, for whatever reason. */
  void onClose(Runnable callback);

  /** Ends the stream. Idempotent. */
  void close();

  /** Bytes of events sent and not yet read by the scheduler (0 where unknown). */
  default long pendingBytes() {
    return 0;
  }

  /**
   * Runs {@code callback} with the unread backlog, on the thread that sends, if the stream is closed because the
   * scheduler reads too slowly (its backlog passed the bound). Implementations that never do so ignore it.
   */
  default void onSlowConsumer(java.util.function.LongConsumer callback) {}
}
