package io.jmesos.state;

/**
 * A storage operation failed; the message is the one Mesos gives for the same failure, which callers see as the
 * message of the {@link java.util.concurrent.ExecutionException} thrown by the state future's {@code get}.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
