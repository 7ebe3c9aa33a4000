package io.jmesos.actor;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.jmesos.internal.Messages.Envelope;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An explicit dispatch table from internal message type to handler, as Mesos' {@code install<M>(&handler)}.
 * Handlers receive the sender's context (e.g. the connection) and the parsed message. Unknown types and
 * unparseable payloads are logged and dropped. No reflection.
 *
 * <p>Not thread-safe: install handlers before dispatching, and dispatch on the owning actor.
 *
 * @param <C> what identifies the sender (a connection, an agent id, ...)
 */
public final class MessageDispatcher<C> {
  private static final Logger LOG = LoggerFactory.getLogger(MessageDispatcher.class);

  private final String owner;
  private final Map<String, Route<C, ?>> routes = new HashMap<>();

  public MessageDispatcher(String owner) {
    this.owner = owner;
  }

  /** Installs the handler for messages of the given type, named by its default instance. */
  @SuppressWarnings("unchecked")
  public <M extends Message> MessageDispatcher<C> install(M defaultInstance, BiConsumer<C, M> handler) {
    String type = defaultInstance.getDescriptorForType().getFullName();
    if (routes.containsKey(type)) {
      throw new IllegalStateException("Handler for " + type + " installed twice");
    }
    routes.put(type, new Route<>((Parser<M>) defaultInstance.getParserForType(), handler));
    return this;
  }

  /** True if a handler exists for the message's type. */
  public boolean handles(String type) {
    return routes.containsKey(type);
  }

  /** Parses and handles the envelope; returns false if it was dropped. */
  public boolean dispatch(C context, Envelope envelope) {
    Route<C, ?> route = routes.get(envelope.getType());
    if (route == null) {
      LOG.warn("{} dropping message of unknown type {} from {}", owner, envelope.getType(), context);
      return false;
    }
    try {
      route.handle(context, envelope);
      return true;
    } catch (InvalidProtocolBufferException e) {
      LOG.warn("{} dropping malformed {} from {}: {}", owner, envelope.getType(), context, e.getMessage());
      return false;
    }
  }

  /** Wraps a message in its envelope. */
  public static Envelope envelope(Message message) {
    return Envelope.newBuilder()
        .setType(message.getDescriptorForType().getFullName())
        .setPayload(message.toByteString())
        .build();
  }

  private static final class Route<C, M extends Message> {
    final Parser<M> parser;
    final BiConsumer<C, M> handler;

    Route(Parser<M> parser, BiConsumer<C, M> handler) {
      this.parser = parser;
      this.handler = handler;
    }

    void handle(C context, Envelope envelope) throws InvalidProtocolBufferException {
      handler.accept(context, parser.parseFrom(envelope.getPayload()));
    }
  }
}
