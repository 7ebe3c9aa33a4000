package io.jmesos.agent.status;

import java.io.IOException;

/**
 * A status update or acknowledgement could not be checkpointed: nothing about the stream changed, and the caller
 * must not acknowledge it to anyone (the sender keeps it and sends it again).
 */
public final class CheckpointFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointFailedException(String message, IOException cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
