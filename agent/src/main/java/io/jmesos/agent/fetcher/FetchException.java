package io.jmesos.agent.fetcher;

import java.io.IOException;

/** A URI that could not be fetched; the message says which and why, in Mesos' words where it has them. */
public final class FetchException extends IOException {
  private static final long serialVersionUID = 1L;

  public FetchException(String message) {
    super(message);
  }

  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
