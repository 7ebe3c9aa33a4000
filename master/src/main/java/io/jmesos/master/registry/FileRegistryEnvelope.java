package io.jmesos.master.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The bytes of {@code registry.bin}: a 20-byte header then the serialized {@code Registry}. The header is the
 * magic {@code JMR1} (the digit is the format version), the generation (a long, one more with every store), a
 * CRC-32C of the generation, the length and the payload (so a torn or bit-flipped file is caught) and the payload's
 * length (an int), all big-endian. Pure; no I/O.
 */
final class FileRegistryEnvelope {
  static final int HEADER_BYTES = 20;

  private static final int MAGIC = 0x4A4D5231; // "JMR1"

  private FileRegistryEnvelope() {}

  /** A decoded file: its generation and the registry bytes (a read-only view of the file's bytes). */
  record Contents(long generation, ByteBuffer payload) {}

  static byte[] encode(long generation, byte[] payload) {
    ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    buffer.putInt(MAGIC).putLong(generation).putInt(0).putInt(payload.length).put(payload);
    buffer.putInt(12, checksum(buffer.array(), generation));
    return buffer.array();
  }

  /** Decodes a whole file read from {@code file}, or throws an {@link IOException} naming the file. */
  static Contents decode(byte[] bytes, Path file) throws IOException {
    long generation = generation(bytes, file);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int crc = buffer.getInt(12);
    int length = buffer.getInt(16);
    if (length != bytes.length - HEADER_BYTES) {
      throw corrupt(file, "the header says " + length + " payload bytes but " + (bytes.length - HEADER_BYTES)
          + " follow (a truncated or torn write?)");
    }
    if (crc != checksum(bytes, generation)) {
      throw corrupt(file, "the checksum does not match its contents");
    }
    return new Contents(generation, ByteBuffer.wrap(bytes, HEADER_BYTES, length).slice().asReadOnlyBuffer());
  }

  /** The generation in a file's first {@link #HEADER_BYTES} (or more) bytes, checking the magic. */
  static long generation(byte[] header, Path file) throws IOException {
    if (header.length < HEADER_BYTES) {
      throw corrupt(file, "it holds " + header.length + " bytes, less than a header");
    }
    ByteBuffer buffer = ByteBuffer.wrap(header);
    if (buffer.getInt(0) != MAGIC) {
      throw corrupt(file, "it does not start with the registry magic JMR1");
    }
    return buffer.getLong(4);
  }

  private static int checksum(byte[] bytes, long generation) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(Long.BYTES).putLong(0, generation));
    crc.update(bytes, 16, bytes.length - 16);
    return (int) crc.getValue();
  }

  private static IOException corrupt(Path file, String why) {
    return new IOException("Corrupt registry file " + file + ": " + why
        + " (restore it, or move it away and the master starts with an empty registry)");
  }
}
