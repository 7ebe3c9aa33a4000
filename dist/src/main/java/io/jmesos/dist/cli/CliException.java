package io.jmesos.dist.cli;

/** A failure the CLI reports as one line on standard error, exiting 1 (Mesos' {@code CLIException}). */
public class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
