package io.jmesos.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A checkpoint that cannot be read or recovered: the message names the file and what is wrong with it, e.g.
 * {@code Failed to read framework info from '/w/meta/.../framework.info': message of 57 bytes but only 12
 * follow (truncated?)}. Immutable.
 */
public final class CheckpointException extends IOException {
  private final transient Path file;

  public CheckpointException(Path file, String message) {
    super(message);
    this.file = Objects.requireNonNull(file, "file");
  }

  public CheckpointException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The file (or directory) that could not be read. */
  public Path file() {
    return file;
  }
}
