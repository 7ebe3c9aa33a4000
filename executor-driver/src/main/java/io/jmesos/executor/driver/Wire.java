package io.jmesos.executor.driver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

/**
 * Converts between the v0 ({@code org.apache.mesos.Protos}) and v1 ({@code org.apache.mesos.v1.Protos})
 * forms of a message through its bytes: the two are wire-compatible by design, as Mesos' own
 * {@code evolve()}/{@code devolve()} assume. Stateless.
 */
final class Wire {
  private Wire() {}

  static <T> T convert(MessageLite from, Parser<T> parser) {
    try {
      return parser.parseFrom(from.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("Failed to convert " + from.getClass().getName() + ": " + e.getMessage(), e);
    }
  }
}
