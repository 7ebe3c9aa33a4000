package io.jmesos.agent.executors;

import org.apache.mesos.executor.Protos.Event;

/**
 * The open event stream of a subscribed executor: an HTTP stream in the media type the executor asked for
 * (thread-safe), or the in-agent {@link EmbeddedCommandExecutor} (used on the agent's actor only). The agent
 * calls them from its actor.
 */
public interface ExecutorChannel {
  /** Sends one event; dropped silently once the stream is closed. */
  void send(Event event);

  boolean isOpen();

  /** Ends the stream. Idempotent. */
  void close();

  /** Runs {@code callback} (on any thread) once the executor goes away or the stream is closed. */
  void onClose(Runnable callback);

  /**
   * Runs {@code callback} with the unread backlog, on the sending thread, if the stream is closed because the
   * executor reads too slowly. Channels that never do so ignore it.
   */
  default void onSlowConsumer(java.util.function.LongConsumer callback) {}
}
