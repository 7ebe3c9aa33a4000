package io.jmesos.master.core;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

/**
 * Converts between Mesos' v0 and v1 protobufs, which share their wire format (Mesos' {@code evolve} /
 * {@code devolve}). Stateless.
 */
public final class Evolve {
  private Evolve() {}

  /** Re-reads {@code message}'s bytes with another type's parser; missing required fields are tolerated. */
  public static <T> T convert(MessageLite message, Parser<T> parser) {
    try {
      return parser.parsePartialFrom(message.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("v0 and v1 protobufs disagree on " + message.getClass().getName(), e);
    }
  }
}
