package io.jmesos.master.flags;

/** A bad command line or environment: unknown flag, bad value, missing required flag. */
public final class FlagsException extends Exception {
  public FlagsException(String message) {
    super(message);
  }
}
