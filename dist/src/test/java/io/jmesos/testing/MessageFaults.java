package io.jmesos.testing;

import com.google.protobuf.Internal;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Interception of the internal messages between the master and the agents of a {@link FaultCluster}, by
 * message class and {@link Direction}, for every agent or one (Mesos' {@code FUTURE_PROTOBUF}, {@code
 * DROP_PROTOBUF}, {@code DROP_PROTOBUFS}). Messages are caught where they arrive, so "delivered" means
 * handed to the receiving daemon; several rules for one message: the first drop, delay or duplicate rule
 * made decides, and every future waiting for it completes once it is delivered.
 *
 * <p>Thread-safe. Futures complete on a Netty I/O thread (or the thread releasing a held message): chain
 * nothing that blocks onto them.
 */
public final class MessageFaults {
  private final Rules<Wire.Item> rules;
  private final int agent;

  MessageFaults(Rules<Wire.Item> rules, int agent) {
    this.rules = rules;
    this.agent = agent;
  }

  /** Completes with the next matching message, once it is delivered. */
  public <M extends Message> CompletableFuture<M> future(Class<M> type, Direction direction) {
    return rules.observe(match(type, direction), parser(type));
  }

  /** Drops the next matching message; the future completes with it. */
  public <M extends Message> CompletableFuture<M> dropNext(Class<M> type, Direction direction) {
    return rules.dropNext(match(type, direction), parser(type));
  }

  /** Drops every matching message until the returned handle is closed. */
  public <M extends Message> Dropping<M> dropAll(Class<M> type, Direction direction) {
    return rules.dropAll(match(type, direction), parser(type));
  }

  /** Holds the next matching message until {@link Held#release()}. */
  public <M extends Message> Held<M> delayNext(Class<M> type, Direction direction) {
    return rules.holdNext(match(type, direction), parser(type));
  }

  /** Delivers the next matching message twice in a row; the future completes with it. */
  public <M extends Message> CompletableFuture<M> duplicateNext(Class<M> type, Direction direction) {
    return rules.duplicateNext(match(type, direction), parser(type));
  }

  private Predicate<Wire.Item> match(Class<? extends Message> type, Direction direction) {
    String name = Internal.getDefaultInstance(type).getDescriptorForType().getFullName();
    return item -> item.direction() == direction && item.envelope().getType().equals(name)
        && (agent < 0 || item.agent() == agent);
  }

  private static <M extends Message> Function<Wire.Item, M> parser(Class<M> type) {
    M prototype = Internal.getDefaultInstance(type);
    return item -> {
      try {
        return type.cast(prototype.getParserForType().parseFrom(item.envelope().getPayload()));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("Malformed " + item.envelope().getType(), e);
      }
    };
  }
}
