package io.jmesos.it.ha;

import io.jmesos.master.http.SchedulerTap;
import io.jmesos.master.state.SchedulerConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A master's {@link SchedulerTap} that can hold the next event of a type the master sends on any scheduler
 * stream, until the test releases it: an old leader's event on its way when the leader changes. Thread-safe.
 */
final class StreamHold implements SchedulerTap {
  private final AtomicReference<Held> armed = new AtomicReference<>();

  /** Holds the next event of {@code type}. */
  Held holdNext(Event.Type type) {
    Held held = new Held(type);
    if (!armed.compareAndSet(null, held)) {
      throw new IllegalStateException("Already holding an event");
    }
    return held;
  }

  @Override
  public SchedulerConnection wrap(FrameworkInfo framework, SchedulerConnection connection) {
    return new SchedulerConnection() {
      @Override
      public String streamId() {
        return connection.streamId();
      }

      @Override
      public void send(Event event) {
        Held held = armed.get();
        if (held != null && event.getType() == held.type && armed.compareAndSet(held, null)) {
          held.capture(connection, event);
          return;
        }
        connection.send(event);
      }

      @Override
      public void onClose(Runnable callback) {
        connection.onClose(callback);
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }

  /** One held event. */
  static final class Held {
    private final Event.Type type;
    private final CompletableFuture<Event> caught = new CompletableFuture<>();
    private volatile SchedulerConnection stream;

    private Held(Event.Type type) {
      this.type = type;
    }

    private void capture(SchedulerConnection s, Event event) {
      stream = s;
      caught.complete(event);
    }

    /** Completes with the event once it is held. */
    CompletableFuture<Event> caught() {
      return caught;
    }

    /** Writes the held event on the stream it was meant for (the stream is thread-safe). */
    void release() {
      stream.send(caught.join());
    }
  }
}
