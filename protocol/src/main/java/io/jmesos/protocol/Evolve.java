package io.jmesos.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Converts between the v0 ({@code org.apache.mesos.Protos}) and v1 ({@code org.apache.mesos.v1.Protos})
 * forms of a message, like Mesos' {@code evolve()} and {@code devolve()}. The two families are wire
 * compatible (same field numbers and types; "slave" in v0 is "agent" in v1), so a conversion is a
 * serialization and a parse:
 *
 * <pre>{@code
 * org.apache.mesos.v1.Protos.TaskInfo v1 =
 *     Evolve.evolve(v0TaskInfo, org.apache.mesos.v1.Protos.TaskInfo.parser());
 * }</pre>
 *
 * <p>{@link #evolve} and {@link #devolve} insist that the result has its required fields set. The
 * {@code *Partial} forms keep a message whose required fields are unset as it is, for code that passes
 * messages on without judging them (a driver forwards a framework's messages for the master to validate).
 *
 * <p>Stateless and thread-safe.
 */
public final class Evolve {

  private Evolve() {}

  /** Converts a v0 message to its v1 counterpart parsed by {@code parser}. */
  public static <T extends Message> T evolve(MessageLite v0, Parser<T> parser) {
    return convert(v0, parser, false);
  }

  /** Converts a v1 message to its v0 counterpart parsed by {@code parser}. */
  public static <T extends Message> T devolve(MessageLite v1, Parser<T> parser) {
    return convert(v1, parser, false);
  }

  /** Like {@link #evolve}, but a message whose required fields are unset is converted as it is. */
  public static <T extends Message> T evolvePartial(MessageLite v0, Parser<T> parser) {
    return convert(v0, parser, true);
  }

  /** Like {@link #devolve}, but a message whose required fields are unset is converted as it is. */
  public static <T extends Message> T devolvePartial(MessageLite v1, Parser<T> parser) {
    return convert(v1, parser, true);
  }

  /** {@link #evolvePartial} of each of {@code v0}, in order, into a new mutable list. */
  public static <T extends Message> List<T> evolveAllPartial(Collection<? extends MessageLite> v0,
      Parser<T> parser) {
    return convertAll(v0, parser);
  }

  /** {@link #devolvePartial} of each of {@code v1}, in order, into a new mutable list. */
  public static <T extends Message> List<T> devolveAllPartial(Collection<? extends MessageLite> v1,
      Parser<T> parser) {
    return convertAll(v1, parser);
  }

  private static <T extends Message> List<T> convertAll(Collection<? extends MessageLite> messages,
      Parser<T> parser) {
    Objects.requireNonNull(messages, "messages");
    List<T> out = new ArrayList<>(messages.size());
    for (MessageLite message : messages) {
      out.add(convert(message, parser, true));
    }
    return out;
  }

  /**
   * An agent id as v0, without the serialization round trip (an id is one string); as {@link #devolvePartial},
   * an unset value stays unset.
   */
  public static org.apache.mesos.Protos.SlaveID devolve(org.apache.mesos.v1.Protos.AgentID v1) {
    org.apache.mesos.Protos.SlaveID.Builder v0 = org.apache.mesos.Protos.SlaveID.newBuilder();
    return (v1.hasValue() ? v0.setValue(v1.getValue()) : v0).buildPartial();
  }

  /** A framework id as v0, without the serialization round trip. */
  public static org.apache.mesos.Protos.FrameworkID devolve(org.apache.mesos.v1.Protos.FrameworkID v1) {
    org.apache.mesos.Protos.FrameworkID.Builder v0 = org.apache.mesos.Protos.FrameworkID.newBuilder();
    return (v1.hasValue() ? v0.setValue(v1.getValue()) : v0).buildPartial();
  }

  /** A task id as v0, without the serialization round trip. */
  public static org.apache.mesos.Protos.TaskID devolve(org.apache.mesos.v1.Protos.TaskID v1) {
    org.apache.mesos.Protos.TaskID.Builder v0 = org.apache.mesos.Protos.TaskID.newBuilder();
    return (v1.hasValue() ? v0.setValue(v1.getValue()) : v0).buildPartial();
  }

  /** An offer id as v0, without the serialization round trip. */
  public static org.apache.mesos.Protos.OfferID devolve(org.apache.mesos.v1.Protos.OfferID v1) {
    org.apache.mesos.Protos.OfferID.Builder v0 = org.apache.mesos.Protos.OfferID.newBuilder();
    return (v1.hasValue() ? v0.setValue(v1.getValue()) : v0).buildPartial();
  }

  private static <T extends Message> T convert(MessageLite message, Parser<T> parser, boolean partial) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(parser, "parser");
    try {
      return partial
          ? parser.parsePartialFrom(message.toByteString())
          : parser.parseFrom(message.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new ConversionException("Failed to convert " + describe(message) + ": "
          + e.getMessage(), e);
    }
  }

  private static String describe(MessageLite message) {
    return message instanceof Message
        ? ((Message) message).getDescriptorForType().getFullName()
        : message.getClass().getName();
  }

  /** The message did not parse as the target type, e.g. a required field was unset. */
  public static final class ConversionException extends IllegalArgumentException {
    public ConversionException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
