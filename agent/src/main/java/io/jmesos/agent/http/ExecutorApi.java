package io.jmesos.agent.http;

import io.jmesos.protocol.Evolve;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.actor.Actor;
import io.jmesos.agent.executors.ExecutorCalls;
import io.jmesos.agent.executors.ExecutorChannel;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.mesos.executor.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/executor}: decodes a v1 executor {@code Call} (JSON or protobuf), validates it, and
 * hands it to the agent's actor. Answers as Mesos does: 405 for other methods, 415 for other content types,
 * 400 for bodies that do not parse or validate, 406 when SUBSCRIBE accepts neither JSON nor protobuf, then
 * 200 with a RecordIO event stream for SUBSCRIBE and 202 for the other calls. A call whose handling fails on
 * the actor is logged and answered 500 (a SUBSCRIBE whose stream is already open has that stream closed).
 *
 * <p>{@link #handle} runs on Netty I/O threads: it only decodes and enqueues.
 */
public final class ExecutorApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorApi.class);

  /** Applies a valid call on the actor, as {@link ExecutorCalls#handle}. */
  @FunctionalInterface
  interface Calls {
    Optional<ExecutorCalls.Rejection> handle(Call call, Map<String, String> claims,
        Supplier<ExecutorChannel> openStream);
  }

  private final Actor actor;
  private final Calls calls;

  public ExecutorApi(Actor actor, ExecutorCalls calls) {
    this(actor, Objects.requireNonNull(calls, "calls")::handle);
  }

  ExecutorApi(Actor actor, Calls calls) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.calls = Objects.requireNonNull(calls, "calls");
  }

  @Override
  public void handle(HttpRequest request, HttpResponder responder) {
    if (!request.method().equals("POST")) {
      responder.respond(HttpResponse.text(405, "Expecting a 'POST' request, received '" + request.method() + "'")
          .withHeader("Allow", "POST"));
      return;
    }
    String contentType = request.contentType();
    if (contentType == null) {
      responder.respond(HttpResponse.text(400, "Expecting 'Content-Type' to be present"));
      return;
    }
    if (!contentType.equals(MediaTypes.JSON) && !contentType.equals(MediaTypes.PROTOBUF)) {
      responder.respond(HttpResponse.text(415, "Expecting 'Content-Type' of " + MediaTypes.JSON + " or "
          + MediaTypes.PROTOBUF));
      return;
    }
    Call call;
    try {
      call = decode(request.body(), contentType);
    } catch (InvalidProtocolBufferException | MesosJson.ParseException e) {
      responder.respond(HttpResponse.text(400, "Failed to parse body into Call protobuf: " + e.getMessage()));
      return;
    }
    Optional<String> invalid = ExecutorCallValidator.validate(call);
    if (invalid.isPresent()) {
      responder.respond(HttpResponse.text(400, "Failed to validate Executor::Call: " + invalid.get()));
      return;
    }
    String accept = request.header("Accept");
    String streamType = MediaTypes.accepts(accept, MediaTypes.JSON) ? MediaTypes.JSON
        : MediaTypes.accepts(accept, MediaTypes.PROTOBUF) ? MediaTypes.PROTOBUF : null;
    if (call.getType() == Call.Type.SUBSCRIBE && streamType == null) {
      responder.respond(HttpResponse.text(406, "Expecting 'Accept' to allow " + MediaTypes.JSON + " or "
          + MediaTypes.PROTOBUF));
      return;
    }
    // With --authenticate_http_executors the router authenticated the request: its token's claims.
    Map<String, String> claims = request.principal() == null ? null : request.claims();
    actor.execute(() -> apply(call, claims, streamType, responder));
  }

  /** On the actor: applies the call and answers; a call that fails answers 500 (or ends its stream). */
  private void apply(Call call, Map<String, String> claims, String streamType, HttpResponder responder) {
    AtomicReference<HttpExecutorChannel> opened = new AtomicReference<>();
    Optional<ExecutorCalls.Rejection> rejection;
    try {
      rejection = calls.handle(call, claims, () -> {
        opened.set(new HttpExecutorChannel(responder.stream(200, Map.of("Content-Type", streamType)),
            streamType));
        return opened.get();
      });
    } catch (RuntimeException e) {
      LOG.error("Failed to handle {} call from executor {} of framework {}", call.getType(),
          call.getExecutorId().getValue(), call.getFrameworkId().getValue(), e);
      if (opened.get() != null) {
        opened.get().close();
      } else {
        responder.respond(HttpResponse.text(500, "Failed to handle " + call.getType() + " call: " + e));
      }
      return;
    }
    if (rejection.isPresent()) {
      responder.respond(HttpResponse.text(rejection.get().status(), rejection.get().message()));
    } else if (call.getType() != Call.Type.SUBSCRIBE) {
      responder.respond(HttpResponse.accepted());
    }
  }

  /** Parses the v1 call and re-reads its bytes as the v0 call the agent works with. */
  static Call decode(byte[] body, String contentType) throws InvalidProtocolBufferException {
    org.apache.mesos.v1.executor.Protos.Call v1;
    if (contentType.equals(MediaTypes.JSON)) {
      v1 = MesosJson.parse(body, org.apache.mesos.v1.executor.Protos.Call.newBuilder()).buildPartial();
    } else {
      v1 = org.apache.mesos.v1.executor.Protos.Call.parser().parsePartialFrom(body);
    }
    return Evolve.devolvePartial(v1, Call.parser());
  }
}
