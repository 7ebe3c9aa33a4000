package io.jmesos.transport;

import io.jmesos.internal.Messages.Envelope;

/**
 * A seam in the internal protocol for tests that inject faults (Mesos' {@code FUTURE_PROTOBUF} and {@code
 * DROP_PROTOBUF}): every {@link Envelope} read from or written to a {@link Connection} passes through the
 * tap of the end that carries it, and the tap decides whether it goes on now, later, twice or never by
 * calling the given {@code Runnable} zero or more times. Production code uses {@link #NONE}, which the
 * transport recognises and bypasses, so an untapped connection pays one reference comparison per message.
 *
 * <p>Threading: {@link #inbound} is called on the connection's Netty I/O thread and {@link #outbound} on the
 * thread that called {@link Connection#send} (usually an actor). Both must return promptly and never block.
 * The runnables may be called from any thread, at any later time:
 *
 * <ul>
 *   <li>{@code deliver} hands the envelope to the connection's {@link ConnectionHandler} on the connection's
 *       I/O thread (at once when called there, else queued behind what that thread already has); a
 *       delivery after the handler heard of the disconnection is dropped, as TCP would never deliver it.
 *   <li>{@code send} writes the envelope to the socket (queued on the I/O thread); silently dropped if the
 *       connection is gone, like {@link Connection#send}.
 * </ul>
 */
public interface MessageTap {
  /** Passes every envelope through, untouched and at once. */
  MessageTap NONE = new MessageTap() {
    @Override
    public void inbound(Connection connection, Envelope envelope, Runnable deliver) {
      deliver.run();
    }

    @Override
    public void outbound(Connection connection, Envelope envelope, Runnable send) {
      send.run();
    }

    @Override
    public String toString() {
      return "MessageTap.NONE";
    }
  };

  /** An envelope was read from {@code connection}; {@code deliver} passes it to the handler. */
  void inbound(Connection connection, Envelope envelope, Runnable deliver);

  /** An envelope is about to be written to {@code connection}; {@code send} writes it. */
  void outbound(Connection connection, Envelope envelope, Runnable send);
}
