package io.jmesos.scheduler;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Converts between the v0 ({@code org.apache.mesos.Protos}) and v1 ({@code org.apache.mesos.v1.Protos})
 * forms of a message. The two are wire-compatible (same field numbers and types; only names such as
 * {@code slave_id}/{@code agent_id} differ), so a message is re-parsed from its bytes. Partial messages are
 * kept as they are: the master, not the driver, validates them. Stateless and thread-safe.
 */
final class ProtoConvert {
  private ProtoConvert() {}

  static <T> T convert(MessageLite from, Parser<T> parser) {
    try {
      return parser.parsePartialFrom(from.toByteString());
    } catch (InvalidProtocolBufferException e) {
      // Cannot happen for wire-compatible types: the bytes were just produced by protobuf itself.
      throw new IllegalArgumentException("Failed to convert " + from.getClass().getName(), e);
    }
  }

  static <T> List<T> convertAll(Collection<? extends MessageLite> from, Parser<T> parser) {
    List<T> out = new ArrayList<>(from.size());
    for (MessageLite m : from) {
      out.add(convert(m, parser));
    }
    return out;
  }
}
