package io.jmesos.transport;

import io.jmesos.internal.Messages.Envelope;

/**
 * Receives internal-protocol events. Called on Netty I/O threads, in order per connection: implementations
 * enqueue onto their actor and return.
 */
public interface ConnectionHandler {
  default void onConnect(Connection connection) {}

  void onMessage(Connection connection, Envelope envelope);

  default void onDisconnect(Connection connection) {}
}
