package io.jmesos.recordio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Mesos' RecordIO framing, used by the streaming HTTP APIs: each record is its length in bytes as
 * ASCII decimal, a line feed, then the record's bytes ({@code "5\nhello"}).
 *
 * <p>{@link #encode} is stateless and thread-safe. A {@link Decoder} is stateful and not
 * thread-safe: feed it from one thread (for example one Netty channel's event loop).
 */
public final class RecordIO {

  /** The longest length line accepted: 20 digits holds any unsigned 64-bit number. */
  public static final int MAX_LENGTH_DIGITS = 20;
  private static final int INITIAL_BUFFER = 8192;

  private RecordIO() {}

  /** Frames one record. */
  public static byte[] encode(byte[] record) {
    Objects.requireNonNull(record, "record");
    byte[] header = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] framed = new byte[header.length + record.length];
    System.arraycopy(header, 0, framed, 0, header.length);
    System.arraycopy(record, 0, framed, header.length, record.length);
    return framed;
  }

  /** Thrown when the input is not valid RecordIO; the decoder is then unusable. */
  public static final class DecodingException extends IllegalArgumentException {
    public DecodingException(String message) {
      super(message);
    }
  }

  /**
   * Incremental decoder: feed it chunks as they arrive, split anywhere, and it returns the records
   * each chunk completes. After a {@link DecodingException} every further call fails, since the
   * position of the next record is unknown. Not thread-safe.
   */
  public static final class Decoder {
    private final int maxRecordBytes;
    private final StringBuilder length = new StringBuilder(MAX_LENGTH_DIGITS);
    private int expected = -1; // The length of the record being read, or -1 while reading a length line.
    private byte[] record; // Its bytes so far (the buffer grows as they come).
    private int filled;
    private String failure;

    /** A decoder that rejects any record longer than {@code maxRecordBytes}. */
    public Decoder(int maxRecordBytes) {
      if (maxRecordBytes < 0) {
        throw new IllegalArgumentException("maxRecordBytes must be >= 0, got " + maxRecordBytes);
      }
      this.maxRecordBytes = maxRecordBytes;
    }

    /** Decodes {@code chunk}, returning the records it completes (possibly none). */
    public List<byte[]> feed(byte[] chunk) {
      return feed(chunk, 0, chunk.length);
    }

    /** Decodes {@code length} bytes of {@code chunk} from {@code offset}. */
    public List<byte[]> feed(byte[] chunk, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, chunk.length);
      return feed(ByteBuffer.wrap(chunk, offset, length));
    }

    /** Decodes the remaining bytes of {@code chunk}, consuming them all. */
    public List<byte[]> feed(ByteBuffer chunk) {
      if (failure != null) {
        throw new IllegalStateException("Decoder failed earlier: " + failure);
      }
      List<byte[]> records = null;
      while (chunk.hasRemaining()) {
        if (expected < 0) {
          readLength(chunk);
        }
        if (expected >= 0) {
          int n = Math.min(chunk.remaining(), expected - filled);
          ensureCapacity(filled + n);
          chunk.get(record, filled, n);
          filled += n;
          if (filled == expected) {
            if (records == null) {
              records = new ArrayList<>(2);
            }
            records.add(record.length == expected ? record : Arrays.copyOf(record, expected));
            record = null;
            expected = -1;
          }
        }
      }
      return records == null ? Collections.emptyList() : records;
    }

    /**
     * Grows the record's buffer as its bytes arrive (doubling, up to its length), so that a length line alone
     * costs nothing: a peer announcing a large record pays for the memory by sending it.
     */
    private void ensureCapacity(int needed) {
      if (record.length < needed) {
        int grown = (int) Math.min(expected, Math.max(needed, 2L * record.length));
        record = Arrays.copyOf(record, grown);
      }
    }

    /** True when no record or length line is partly read: the stream may end here cleanly. */
    public boolean isAtBoundary() {
      return expected < 0 && length.length() == 0;
    }

    private void readLength(ByteBuffer chunk) {
      while (chunk.hasRemaining()) {
        byte b = chunk.get();
        if (b == '\n') {
          startRecord();
          return;
        }
        if (b < '0' || b > '9') {
          throw fail("Failed to decode length '" + length + printable(b)
              + "': expecting decimal digits followed by a newline");
        }
        if (length.length() == MAX_LENGTH_DIGITS) {
          throw fail("Failed to decode length '" + length + "...': longer than "
              + MAX_LENGTH_DIGITS + " digits");
        }
        length.append((char) b);
      }
    }

    private void startRecord() {
      if (length.length() == 0) {
        throw fail("Failed to decode length '': expecting decimal digits followed by a newline");
      }
      // 20 digits may overflow a long; anything over maxRecordBytes is rejected anyway.
      String digits = length.toString();
      length.setLength(0);
      boolean tooLong = digits.length() > 10 || Long.parseLong(digits) > maxRecordBytes;
      if (tooLong) {
        throw fail("Record of " + digits + " bytes exceeds the maximum of " + maxRecordBytes
            + " bytes");
      }
      expected = Integer.parseInt(digits);
      record = new byte[Math.min(expected, INITIAL_BUFFER)];
      filled = 0;
    }

    private DecodingException fail(String message) {
      failure = message;
      return new DecodingException(message);
    }

    private static String printable(byte b) {
      return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
  }

  /** Convenience for tests and small payloads: frames every record into one byte array. */
  public static byte[] encodeAll(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      byte[] framed = encode(r);
      out.write(framed, 0, framed.length);
    }
    return out.toByteArray();
  }
}
