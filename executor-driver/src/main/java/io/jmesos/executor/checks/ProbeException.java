package io.jmesos.executor.checks;

/** A check that could not be performed (the command could not start, the HTTP request failed). */
public final class ProbeException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProbeException(String message) {
    super(message);
  }

  public ProbeException(String message, Throwable cause) {
    super(message, cause);
  }
}
