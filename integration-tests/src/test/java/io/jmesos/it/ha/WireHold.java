package io.jmesos.it.ha;

import com.google.protobuf.Internal;
import com.google.protobuf.Message;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.transport.Connection;
import io.jmesos.transport.MessageTap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An agent's {@link MessageTap} that can hold the next message of a type arriving from a master, on the wire,
 * until the test releases it: an old leader's message still in flight when the leader changes. Thread-safe.
 */
final class WireHold implements MessageTap {
  private final AtomicReference<Held> armed = new AtomicReference<>();

  /** Holds the next inbound message of {@code type}. */
  Held holdNext(Class<? extends Message> type) {
    Held held = new Held(Internal.getDefaultInstance(type).getDescriptorForType().getFullName());
    if (!armed.compareAndSet(null, held)) {
      throw new IllegalStateException("Already holding a message");
    }
    return held;
  }

  @Override
  public void inbound(Connection connection, Envelope envelope, Runnable deliver) {
    Held held = armed.get();
    if (held != null && envelope.getType().equals(held.type) && armed.compareAndSet(held, null)) {
      held.capture(connection, deliver, envelope);
      return;
    }
    deliver.run();
  }

  @Override
  public void outbound(Connection connection, Envelope envelope, Runnable send) {
    send.run();
  }

  /** One held message. */
  static final class Held {
    private final String type;
    private final CompletableFuture<Envelope> caught = new CompletableFuture<>();
    private volatile Connection connection;
    private volatile Runnable deliver;

    private Held(String type) {
      this.type = type;
    }

    private void capture(Connection c, Runnable d, Envelope envelope) {
      connection = c;
      deliver = d;
      caught.complete(envelope);
    }

    /** Completes once the message is held. */
    CompletableFuture<Envelope> caught() {
      return caught;
    }

    /**
     * Hands the held message on, on its connection's I/O thread, as the transport would have; completes once
     * that is done (the transport drops it there if the agent has closed that connection meanwhile).
     */
    CompletableFuture<Void> release() {
      CompletableFuture<Void> done = new CompletableFuture<>();
      try {
        connection.execute(() -> {
          try {
            deliver.run();
          } finally {
            done.complete(null);
          }
        });
      } catch (RejectedExecutionException e) {
        done.complete(null); // the transport is gone, and the message with it
      }
      return done;
    }
  }
}
