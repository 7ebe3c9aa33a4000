package io.jmesos.http;

/** An open chunked HTTP response. Thread-safe. */
public interface EventStream {
  /** Writes one chunk; ignored once the stream is closed. */
  void send(byte[] chunk);

  /** Ends the response and closes the connection. Idempotent. */
  void close();

  /**
   * Closes the connection at once, dropping what the client has not read: for a client too slow to read, whose
   * backlog {@link #close()} would wait behind. Idempotent.
   */
  default void abort() {
    close();
  }

  boolean isOpen();

  /**
   * Bytes sent but not yet written to the socket: what a slow reader has left queued. A writer can close a
   * stream whose backlog grows past its bound instead of holding ever more in memory.
   */
  default long pendingBytes() {
    return 0;
  }

  /** Runs {@code callback} (on an I/O thread) when the client goes away or the stream is closed. */
  void onClose(Runnable callback);
}
