package io.jmesos.master.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.files.AttachedFiles;
import io.jmesos.files.FileCalls;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.JsonLimits;
import io.jmesos.json.MesosJson;
import io.jmesos.logging.LoggingLevels;
import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.validation.OperatorCallValidator;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * {@code POST /api/v1} (and {@code /master/api/v1}), the v1 operator API, checked in Mesos' order: 405 for
 * other methods, 400 without Content-Type, 400 for a body that does not parse (protobuf, JSON, or JSON that is
 * not a Call) and 415 for a media type other than JSON and protobuf, 400 for a call that does not validate,
 * 406 when Accept admits neither JSON nor protobuf (JSON wins when both are admitted). The call is then
 * answered on the master's actor by {@link OperatorCalls} (500 if that throws); GET_METRICS first takes the
 * allocator's metrics (bounded by {@code get_metrics.timeout}); SUBSCRIBE opens the operator event stream
 * ({@link OperatorSubscribers}). Runs on I/O threads.
 */
public final class OperatorEndpoint implements HttpHandler {
  private static final ObjectMapper MAPPER =
      JsonLimits.mapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final MasterContext ctx;
  private final OperatorCalls calls;
  private final OperatorAuthorization authorization;
  private final OperationEndpoints operations;
  private final OperatorSubscribers subscribers;
  private final AttachedFiles files;

  /** The endpoint without files (LIST_FILES finds nothing). */
  public OperatorEndpoint(MasterContext ctx) {
    this(ctx, new AttachedFiles());
  }

  /**
   * The endpoint, which also becomes {@code ctx}'s operator event listener (its event stream); LIST_FILES and
   * READ_FILE read {@code files}.
   */
  public OperatorEndpoint(MasterContext ctx, AttachedFiles files) {
    this.ctx = ctx;
    this.files = files;
    this.calls = new OperatorCalls(ctx);
    this.authorization = new OperatorAuthorization(ctx);
    this.operations = new OperationEndpoints(ctx);
    this.subscribers = new OperatorSubscribers(ctx, new OperatorState(ctx));
    ctx.operatorEvents(subscribers);
  }

  @Override
  public void handle(HttpRequest request, HttpResponder responder) {
    if (!request.method().equals("POST")) {
      responder.respond(HttpResponse.text(405, "Expecting one of { 'POST' }, but received '"
          + request.method() + "'").withHeader("Allow", "POST"));
      return;
    }
    String contentType = request.contentType();
    if (contentType == null) {
      responder.respond(HttpResponse.text(400, "Expecting 'Content-Type' to be present"));
      return;
    }
    Call call;
    if (contentType.equals(MediaTypes.PROTOBUF)) {
      try {
        call = Call.parseFrom(request.body());
      } catch (InvalidProtocolBufferException e) {
        responder.respond(HttpResponse.text(400, "Failed to parse body into Call protobuf"));
        return;
      }
    } else if (contentType.equals(MediaTypes.JSON)) {
      JsonNode tree;
      try {
        tree = JsonBodies.read(MAPPER, request.body());
      } catch (JsonBodies.Malformed e) {
        String error = e.getMessage();
        responder.respond(HttpResponse.text(400, "Failed to parse body into JSON: " + error));
        return;
      }
      if (tree == null || tree.isMissingNode()) {
        responder.respond(HttpResponse.text(400, "Failed to parse body into JSON: the body is empty"));
        return;
      }
      try {
        call = MesosJson.fromTree(tree, Call.newBuilder()).build();
      } catch (MesosJson.ParseException e) {
        responder.respond(HttpResponse.text(400, "Failed to convert JSON into Call protobuf: " + e.getMessage()));
        return;
      }
    } else {
      responder.respond(HttpResponse.text(415, "Expecting 'Content-Type' of " + MediaTypes.JSON + " or "
          + MediaTypes.PROTOBUF));
      return;
    }
    Optional<String> invalid = OperatorCallValidator.validate(call);
    if (invalid.isPresent()) {
      responder.respond(HttpResponse.text(400, "Failed to validate master::Call: " + invalid.get()));
      return;
    }
    String accept = request.header("Accept");
    boolean json;
    if (MediaTypes.accepts(accept, MediaTypes.JSON)) {
      json = true;
    } else if (MediaTypes.accepts(accept, MediaTypes.PROTOBUF)) {
      json = false;
    } else {
      responder.respond(HttpResponse.text(406, "Expecting 'Accept' to allow '" + MediaTypes.PROTOBUF + "' or '"
          + MediaTypes.JSON + "'"));
      return;
    }
    if (call.getType() == Call.Type.GET_METRICS) {
      Duration timeout = call.getGetMetrics().hasTimeout()
          ? Duration.ofNanos(call.getGetMetrics().getTimeout().getNanoseconds()) : AllocatorMetrics.DEFAULT_TIMEOUT;
      AllocatorMetrics.fetch(ctx.allocator, timeout).thenAccept(allocatorMetrics -> OnActor.respond(ctx.actor,
          responder, "GET_METRICS call", () -> calls.getMetrics(allocatorMetrics, json)));
      return;
    }
    if (call.getType() == Call.Type.LIST_FILES || call.getType() == Call.Type.READ_FILE) {
      String principal = request.principal();
      CompletableFuture.runAsync(() -> responder.respond(files(call, json, principal)), MasterFiles.blocking());
      return;
    }
    if (call.getType() == Call.Type.SET_LOGGING_LEVEL) {
      if (!ctx.authz.setLogLevel(Optional.ofNullable(request.principal()))) {
        responder.respond(HttpResponse.status(403));
        return;
      }
      LoggingLevels.process().toggle(call.getSetLoggingLevel().getLevel(),
          Duration.ofNanos(call.getSetLoggingLevel().getDuration().getNanoseconds()));
      responder.respond(HttpResponse.ok());
      return;
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      StateFilter filter = StateFilter.of(ctx.authz, Optional.ofNullable(request.principal()));
      ctx.actor.execute(() -> subscribers.subscribe(responder, json, filter));
      return;
    }
    Optional<String> principal = Optional.ofNullable(request.principal());
    if (OperationEndpoints.handles(call.getType())) {
      OnActor.respondLater(ctx.actor, responder, call.getType() + " call", () -> operations.call(call, principal));
      return;
    }
    OnActor.respondLater(ctx.actor, responder, call.getType() + " call", () -> authorization.allowed(call, principal)
        ? calls.handle(call, json, StateFilter.of(ctx.authz, principal), principal)
        : CompletableFuture.completedFuture(HttpResponse.status(403)));
  }

  /**
   * LIST_FILES or READ_FILE for {@code principal} (403 when its attachment refuses it), answered off the actor as
   * Mesos' files process answers them.
   */
  private HttpResponse files(Call call, boolean json, String principal) {
    try {
      Response.Builder response = Response.newBuilder();
      if (call.getType() == Call.Type.LIST_FILES) {
        response.setType(Response.Type.LIST_FILES).setListFiles(Response.ListFiles.newBuilder()
            .addAllFileInfos(FileCalls.list(files, call.getListFiles().getPath(),
                Optional.ofNullable(principal))));
      } else {
        Call.ReadFile read = call.getReadFile();
        FileCalls.Read result = FileCalls.read(files, read.getPath(), read.getOffset(),
            read.hasLength() ? read.getLength() : null, Optional.ofNullable(principal));
        response.setType(Response.Type.READ_FILE).setReadFile(Response.ReadFile.newBuilder()
            .setSize(result.size).setData(com.google.protobuf.ByteString.copyFrom(result.data)));
      }
      return OperatorCalls.serialize(response.build(), json);
    } catch (FileCalls.FileError e) {
      return e.response();
    }
  }
}
