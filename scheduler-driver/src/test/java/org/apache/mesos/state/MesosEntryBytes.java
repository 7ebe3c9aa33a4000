package org.apache.mesos.state;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Mesos' {@code mesos.internal.state.Entry} ({@code name = 1}, {@code uuid = 2}, {@code value = 3}, all
 * length-delimited) serialized by hand, as protobuf writes it: the fields in number order, each a tag byte
 * ({@code number << 3 | 2}), a varint length and the bytes. Independent of the generated code it checks.
 */
final class MesosEntryBytes {
  private MesosEntryBytes() {}

  static byte[] encode(String name, byte[] uuid, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, 1, name.getBytes(StandardCharsets.UTF_8));
    field(out, 2, uuid);
    field(out, 3, value);
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
    out.write(number << 3 | 2);
    int length = bytes.length;
    while ((length & ~0x7f) != 0) {
      out.write(length & 0x7f | 0x80);
      length >>>= 7;
    }
    out.write(length);
    out.write(bytes, 0, bytes.length);
  }
}
