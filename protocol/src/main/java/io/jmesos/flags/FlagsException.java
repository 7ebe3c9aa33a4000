package io.jmesos.flags;

/** A flag that could not be loaded; the message names it, in Mesos' wording where Mesos has one. */
public final class FlagsException extends IllegalArgumentException {

  public FlagsException(String message) {
    super(message);
  }

  public FlagsException(String message, Throwable cause) {
    super(message, cause);
  }
}
