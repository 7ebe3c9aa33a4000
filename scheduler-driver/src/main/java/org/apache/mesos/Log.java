package org.apache.mesos;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Mesos' replicated log, with the public members of the official {@code org.apache.mesos.Log} so that programs
 * which reference it link. jmesos does not implement the replicated log: a {@link Log}, {@link Reader} or
 * {@link Writer} cannot be created (their constructors throw {@link UnsupportedOperationException}). Keep
 * framework state in {@link org.apache.mesos.state.ZooKeeperState} instead. {@link Position} and {@link Entry}
 * are plain values and work.
 */
public class Log {
  private static final String UNSUPPORTED = "jmesos has no replicated log (org.apache.mesos.Log); "
      + "keep framework state in org.apache.mesos.state.ZooKeeperState instead";

  /** Creates a log replica with the given peers: unsupported in jmesos. */
  public Log(int quorum, String path, Set<String> pids) {
    throw new UnsupportedOperationException(UNSUPPORTED);
  }

  /** Creates a log replica finding its peers in ZooKeeper: unsupported in jmesos. */
  public Log(int quorum, String path, String servers, long timeout, TimeUnit unit, String znode) {
    throw new UnsupportedOperationException(UNSUPPORTED);
  }

  /** Creates a log replica finding its peers in ZooKeeper with credentials: unsupported in jmesos. */
  public Log(int quorum, String path, String servers, long timeout, TimeUnit unit, String znode,
      String scheme, byte[] credentials) {
    throw new UnsupportedOperationException(UNSUPPORTED);
  }

  /** The position whose {@link Position#identity()} is {@code identity} (eight bytes, big-endian). */
  public Position position(byte[] identity) {
    return new Position(ByteBuffer.wrap(identity, 0, 8).getLong());
  }

  /** A position in the log: ordered, and serialisable through {@link #identity()}. */
  public static class Position implements Comparable<Position> {
    private final long value;

    public Position(long value) {
      this.value = value;
    }

    @Override
    public int compareTo(Position that) {
      return Long.compare(value, that.value);
    }

    @Override
    public boolean equals(Object that) {
      return that instanceof Position && ((Position) that).value == value;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(value);
    }

    @Override
    public String toString() {
      return "Position " + value;
    }

    /** The position as eight big-endian bytes, which {@link Log#position(byte[])} reads back. */
    public byte[] identity() {
      return ByteBuffer.allocate(8).putLong(value).array();
    }
  }

  /** An entry read from the log. */
  public static class Entry {
    public final Position position;
    public final byte[] data;

    public Entry(Position position, byte[] data) {
      this.position = position;
      this.data = data;
    }
  }

  /** A log operation failed. */
  public static class OperationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public OperationFailedException(String message) {
      super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The writer lost its exclusive right to write. */
  public static class WriterFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public WriterFailedException(String message) {
      super(message);
    }

    public WriterFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads the log: cannot be created in jmesos (there is no {@link Log} to read). */
  public static class Reader {
    public Reader(Log log) {
      throw new UnsupportedOperationException(UNSUPPORTED);
    }

    public List<Entry> read(Position from, Position to, long timeout, TimeUnit unit)
        throws TimeoutException, OperationFailedException {
      throw new UnsupportedOperationException(UNSUPPORTED);
    }

    public Position beginning() {
      throw new UnsupportedOperationException(UNSUPPORTED);
    }

    public Position ending() {
      throw new UnsupportedOperationException(UNSUPPORTED);
    }

    public Position catchup(long timeout, TimeUnit unit) throws TimeoutException, OperationFailedException {
      throw new UnsupportedOperationException(UNSUPPORTED);
    }
  }

  /** Writes the log: cannot be created in jmesos (there is no {@link Log} to write). */
  public static class Writer {
    public Writer(Log log, long timeout, TimeUnit unit, int retries) {
      throw new UnsupportedOperationException(UNSUPPORTED);
    }

    public Position append(byte[] data, long timeout, TimeUnit unit)
        throws TimeoutException, WriterFailedException {
      throw new UnsupportedOperationException(UNSUPPORTED);
    }

    public Position truncate(Position to, long timeout, TimeUnit unit)
        throws TimeoutException, WriterFailedException {
      throw new UnsupportedOperationException(UNSUPPORTED);
    }
  }
}
