package io.jmesos.agent.http;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.actor.Actor;
import io.jmesos.agent.executors.ExecutorManager;
import io.jmesos.files.AttachedFiles;
import io.jmesos.files.FileCalls;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.logging.LoggingLevels;
import io.jmesos.protocol.Evolve;
import io.jmesos.recordio.RecordIO;
import io.jmesos.security.authz.Action;
import io.jmesos.security.authz.Authorizer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.apache.mesos.v1.agent.Protos.Call;
import org.apache.mesos.v1.agent.Protos.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1} on the agent: the v1 operator API ({@code mesos.v1.agent.Call} in, {@code Response}
 * out), with Mesos 1.11's checks in Mesos' order ({@code Http::api} and {@code Http::_api}):
 *
 * <ol>
 *   <li>{@code 405} for a method other than POST;
 *   <li>{@code 400} without {@code Content-Type}; {@code 415} for one other than JSON, protobuf or RecordIO
 *       (parameters ignored); the {@code Message-Content-Type} rules of streaming and non-streaming requests;
 *   <li>{@code 406} when {@code Accept} admits none of JSON, protobuf, RecordIO; the {@code Message-Accept}
 *       rules;
 *   <li>{@code 400} for a body that does not parse or a call that does not validate;
 *   <li>{@code 415}/{@code 406} for a streaming request or response to a call that has none;
 *   <li>{@code 501} for a call type without a handler (empty body for {@code UNKNOWN}, as Mesos);
 *   <li>{@code 200} with the {@code Response}, JSON when {@code Accept} admits it, else protobuf.
 * </ol>
 *
 * <p>{@link #handle} runs on a Netty I/O thread and only decodes, checks and enqueues; the answer is built and
 * serialized on the agent's actor. An answer that fails there is logged and answered {@code 500}.
 */
public final class OperatorApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);
  /** The calls Mesos answers with a stream, the only ones a RecordIO {@code Accept} suits. */
  private static final Set<Call.Type> STREAMING_RESPONSES =
      Set.of(Call.Type.ATTACH_CONTAINER_OUTPUT, Call.Type.LAUNCH_NESTED_CONTAINER_SESSION);
  private static final String MESSAGE_CONTENT_TYPE = "Message-Content-Type";
  private static final String MESSAGE_ACCEPT = "Message-Accept";

  private final Actor actor;
  private final OperatorCalls calls;
  private final Set<Call.Type> implemented;
  private final NestedContainerCalls nested;

  /** Usage of the running containers by container id, read off the actor; null when not measured. */
  private final Supplier<CompletableFuture<Map<String, ResourceStatistics>>> usage;
  /** What LIST_FILES and READ_FILE read, and where; null when the API serves no files. */
  private final AttachedFiles files;
  private final java.util.concurrent.Executor blocking;
  /** Decides SET_LOGGING_LEVEL (set_log_level), GET_FLAGS (view_flags) and what the reads show (view_*). */
  private final Authorizer authorizer;

  OperatorApi(Actor actor, OperatorCalls calls) {
    this(actor, calls, null);
  }

  OperatorApi(Actor actor, OperatorCalls calls, Supplier<CompletableFuture<Map<String, ResourceStatistics>>> usage) {
    this(actor, calls, usage, null, null, Authorizer.ALLOW_ALL);
  }

  private OperatorApi(Actor actor, OperatorCalls calls,
      Supplier<CompletableFuture<Map<String, ResourceStatistics>>> usage, AttachedFiles files,
      java.util.concurrent.Executor blocking, Authorizer authorizer) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.actor = Objects.requireNonNull(actor, "actor");
    this.calls = Objects.requireNonNull(calls, "calls");
    java.util.Set<Call.Type> types = new java.util.HashSet<>(calls.implemented());
    types.add(Call.Type.SET_LOGGING_LEVEL);
    types.add(Call.Type.KILL_CONTAINER);
    types.addAll(NestedContainerCalls.TYPES);
    if (files != null) {
      types.add(Call.Type.LIST_FILES);
      types.add(Call.Type.READ_FILE);
    }
    this.implemented = Set.copyOf(types);
    this.nested = new NestedContainerCalls(actor, calls::nestedContainers);
    this.usage = usage;
    this.files = files;
    this.blocking = blocking;
  }

  /**
   * As {@link #create(Actor, ExecutorManager, Supplier, Map, StateEndpoints)}, GET_CONTAINERS with usage, and
   * LIST_FILES and READ_FILE over {@code files}, read on {@code blocking}.
   */
  public static OperatorApi create(Actor actor, ExecutorManager executors, Supplier<SlaveInfo> slaveInfo,
      Map<String, String> flags, StateEndpoints state, MonitorEndpoints monitor, AttachedFiles files,
      java.util.concurrent.Executor blocking) {
    return create(actor, executors, slaveInfo, flags, state, monitor, files, blocking, Authorizer.ALLOW_ALL);
  }

  /**
   * As {@link #create(Actor, ExecutorManager, Supplier, Map, StateEndpoints, MonitorEndpoints, AttachedFiles,
   * java.util.concurrent.Executor)}, authorized by {@code authorizer} as Mesos' agent: SET_LOGGING_LEVEL needs
   * set_log_level and GET_FLAGS view_flags (else {@code 403}); GET_STATE, GET_FRAMEWORKS, GET_EXECUTORS,
   * GET_TASKS and GET_CONTAINERS show only what the caller may view.
   */
  public static OperatorApi create(Actor actor, ExecutorManager executors, Supplier<SlaveInfo> slaveInfo,
      Map<String, String> flags, StateEndpoints state, MonitorEndpoints monitor, AttachedFiles files,
      java.util.concurrent.Executor blocking, Authorizer authorizer) {
    return new OperatorApi(actor, new OperatorCalls(executors, slaveInfo, flags, state::metricValues),
        () -> monitor.usage().thenApply(all -> {
          Map<String, ResourceStatistics> byContainer = new java.util.HashMap<>();
          all.forEach(u -> byContainer.put(u.executor().container().id().getValue(),
              Evolve.evolve(u.statistics(), ResourceStatistics.parser())));
          return byContainer;
        }), Objects.requireNonNull(files, "files"), Objects.requireNonNull(blocking, "blocking"), authorizer);
  }

  /** The agent's operator API over its state; {@code metrics} are those of {@code state}. */
  public static OperatorApi create(Actor actor, ExecutorManager executors, Supplier<SlaveInfo> slaveInfo,
      Map<String, String> flags, StateEndpoints state) {
    return new OperatorApi(actor, new OperatorCalls(executors, slaveInfo, flags, state::metricValues));
  }

  /** Has GET_OPERATIONS list {@code operations} (read on the actor). */
  public OperatorApi operations(Supplier<List<org.apache.mesos.Protos.Operation>> operations) {
    calls.operations(operations);
    return this;
  }

  @Override
  public void handle(HttpRequest request, HttpResponder responder) {
    HttpResponse refusal = refusal(request);
    if (refusal != null) {
      responder.respond(refusal);
      return;
    }
    Call call;
    try {
      call = decode(request);
    } catch (BadBody e) {
      responder.respond(HttpResponse.text(400, e.getMessage()));
      return;
    }
    Optional<String> invalid = OperatorCallValidator.validate(call);
    if (invalid.isPresent()) {
      responder.respond(HttpResponse.text(400, "Failed to validate agent::Call: " + invalid.get()));
      return;
    }
    String type = call.getType().name();
    boolean streamingRequest = MediaTypes.RECORDIO.equals(request.contentType());
    if (streamingRequest && call.getType() != Call.Type.ATTACH_CONTAINER_INPUT) {
      responder.respond(HttpResponse.text(415, "Streaming 'Content-Type' " + MediaTypes.RECORDIO
          + " is not supported for " + type + " call"));
      return;
    }
    if (!streamingRequest && call.getType() == Call.Type.ATTACH_CONTAINER_INPUT) {
      responder.respond(HttpResponse.text(415, "Expecting 'Content-Type' to be " + MediaTypes.RECORDIO
          + " for " + type + " call"));
      return;
    }
    String accept = acceptType(request.header("Accept"));
    if (accept.equals(MediaTypes.RECORDIO) && !STREAMING_RESPONSES.contains(call.getType())) {
      responder.respond(HttpResponse.text(406, "Streaming response is not supported for " + type + " call"));
      return;
    }
    if (call.getType() == Call.Type.UNKNOWN) {
      responder.respond(HttpResponse.status(501));
      return;
    }
    if (!implemented.contains(call.getType())) {
      responder.respond(HttpResponse.text(501, "Call type " + type + " is not implemented yet"));
      return;
    }
    Optional<String> principal = Optional.ofNullable(request.principal());
    if ((call.getType() == Call.Type.SET_LOGGING_LEVEL
        && !authorizer.authorized(Action.SET_LOG_LEVEL, principal, null))
        || (call.getType() == Call.Type.GET_FLAGS && !authorizer.authorized(Action.VIEW_FLAGS, principal, null))) {
      LOG.info("Principal '{}' is not authorized to make a {} call", principal.orElse("ANY"), type);
      responder.respond(HttpResponse.status(403));
      return;
    }
    if (call.getType() == Call.Type.SET_LOGGING_LEVEL) {
      LoggingLevels.process().toggle(call.getSetLoggingLevel().getLevel(),
          java.time.Duration.ofNanos(call.getSetLoggingLevel().getDuration().getNanoseconds()));
      responder.respond(HttpResponse.ok());
      return;
    }
    if (NestedContainerCalls.handles(call)) {
      nested.handle(call, accept).whenComplete((response, error) -> responder.respond(error == null ? response
          : HttpResponse.text(500, "Failed to answer " + type + " call: " + error)));
      return;
    }
    if (call.getType() == Call.Type.KILL_CONTAINER) {
      killContainer(call.getKillContainer(), responder);
      return;
    }
    if (call.getType() == Call.Type.LIST_FILES || call.getType() == Call.Type.READ_FILE) {
      CompletableFuture.supplyAsync(() -> files(call, accept, principal.orElse(null)), blocking)
          .whenComplete((response, error) -> responder.respond(error == null ? response
              : HttpResponse.text(500, "Failed to answer " + type + " call: " + error)));
      return;
    }
    CompletableFuture<Map<String, ResourceStatistics>> statistics =
        call.getType() == Call.Type.GET_CONTAINERS && usage != null
            ? usage.get() : CompletableFuture.completedFuture(Map.of());
    ViewFilter filter = ViewFilter.of(authorizer, principal);
    statistics.thenCompose(stats -> actor.call(() -> serialize(withStatistics(calls.handle(call, filter), stats),
            accept)))
        .whenComplete((body, error) -> {
          if (error == null) {
            responder.respond(HttpResponse.of(200, accept, body));
          } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
            LOG.error("Failed to answer {} call", type, cause);
            responder.respond(HttpResponse.text(500, "Failed to answer " + type + " call: " + cause));
          }
        });
  }

  /**
   * KILL_CONTAINER as Mesos' agent: SIGKILL (the default) destroys the container, SIGTERM signals it; 200 once
   * sent, 404 for a container that is not a live executor's. jmesos sends no other signal (400).
   */
  private void killContainer(Call.KillContainer kill, HttpResponder responder) {
    int signal = kill.hasSignal() ? kill.getSignal() : 9;
    if (signal != 9 && signal != 15) {
      responder.respond(HttpResponse.text(400, "Unsupported signal " + signal
          + ": this agent sends SIGKILL (9, the default) or SIGTERM (15)"));
      return;
    }
    String id = kill.getContainerId().getValue();
    actor.call(() -> calls.killContainer(kill, signal)).whenComplete((found, error) -> {
      if (error != null) {
        responder.respond(HttpResponse.text(500, "Failed to answer KILL_CONTAINER call: " + error));
      } else if (found) {
        responder.respond(HttpResponse.ok());
      } else {
        responder.respond(HttpResponse.text(404, "Container '" + id + "' cannot be found (or is already killed)"));
      }
    });
  }

  /**
   * LIST_FILES or READ_FILE for {@code principal} (403 when its attachment refuses it), answered as Mesos' files
   * process answers them.
   */
  private HttpResponse files(Call call, String accept, String principal) {
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
      return HttpResponse.of(200, accept, serialize(response.build(), accept));
    } catch (FileCalls.FileError e) {
      return e.response();
    }
  }

  /** GET_CONTAINERS' containers with the usage measured for them (Mesos fills resource_statistics). */
  private static Response withStatistics(Response response, Map<String, ResourceStatistics> statistics) {
    if (statistics.isEmpty() || !response.hasGetContainers()) {
      return response;
    }
    Response.GetContainers.Builder containers = response.getGetContainers().toBuilder();
    for (Response.GetContainers.Container.Builder container : containers.getContainersBuilderList()) {
      ResourceStatistics usage = statistics.get(container.getContainerId().getValue());
      if (usage != null) {
        container.setResourceStatistics(usage);
      }
    }
    return response.toBuilder().setGetContainers(containers).build();
  }

  /** The answer to a request refused on its headers alone, or null. */
  private static HttpResponse refusal(HttpRequest request) {
    if (!request.method().equals("POST")) {
      return HttpResponse.text(405, "Expecting one of { 'POST' }, but received '" + request.method() + "'")
          .withHeader("Allow", "POST");
    }
    String contentType = request.contentType();
    if (contentType == null) {
      return HttpResponse.text(400, "Expecting 'Content-Type' to be present");
    }
    if (!contentType.equals(MediaTypes.JSON) && !contentType.equals(MediaTypes.PROTOBUF)
        && !contentType.equals(MediaTypes.RECORDIO)) {
      return HttpResponse.text(415, "Expecting 'Content-Type' of " + MediaTypes.JSON + " or "
          + MediaTypes.PROTOBUF + " or " + MediaTypes.RECORDIO);
    }
    String messageContentType = MediaTypes.strip(request.header(MESSAGE_CONTENT_TYPE));
    if (contentType.equals(MediaTypes.RECORDIO)) {
      if (messageContentType == null) {
        return HttpResponse.text(400, "Expecting '" + MESSAGE_CONTENT_TYPE + "' to be set for streaming requests");
      }
      if (!messageContentType.equals(MediaTypes.JSON) && !messageContentType.equals(MediaTypes.PROTOBUF)) {
        return HttpResponse.text(415, "Expecting '" + MESSAGE_CONTENT_TYPE + "' of " + MediaTypes.JSON + " or "
            + MediaTypes.PROTOBUF);
      }
    } else if (messageContentType != null) {
      return HttpResponse.text(415, "Expecting '" + MESSAGE_CONTENT_TYPE + "' to be not set for non-streaming "
          + "requests");
    }
    String accept = acceptType(request.header("Accept"));
    if (accept == null) {
      return HttpResponse.text(406, "Expecting 'Accept' to allow " + MediaTypes.JSON + " or "
          + MediaTypes.PROTOBUF + " or " + MediaTypes.RECORDIO);
    }
    String messageAccept = request.header(MESSAGE_ACCEPT);
    if (accept.equals(MediaTypes.RECORDIO)) {
      if (!MediaTypes.accepts(messageAccept, MediaTypes.JSON)
          && !MediaTypes.accepts(messageAccept, MediaTypes.PROTOBUF)) {
        return HttpResponse.text(406, "Expecting '" + MESSAGE_ACCEPT + "' to allow " + MediaTypes.JSON + " or "
            + MediaTypes.PROTOBUF);
      }
    } else if (messageAccept != null) {
      return HttpResponse.text(406, "Expecting '" + MESSAGE_ACCEPT + "' to be not set for non-streaming "
          + "responses");
    }
    return null;
  }

  /** JSON, else protobuf, else RecordIO, as the {@code Accept} header admits (absent admits all); or null. */
  static String acceptType(String accept) {
    for (String type : List.of(MediaTypes.JSON, MediaTypes.PROTOBUF, MediaTypes.RECORDIO)) {
      if (MediaTypes.accepts(accept, type)) {
        return type;
      }
    }
    return null;
  }

  /**
   * Parses the body, or for a streaming request its first RecordIO record, as Mesos' {@code deserialize}: a
   * protobuf that does not parse (or lacks a required field) and malformed JSON have Mesos' wording; JSON that
   * does not fit the message has {@link MesosJson}'s, which names the field.
   */
  private static Call decode(HttpRequest request) throws BadBody {
    String contentType = request.contentType();
    byte[] body = request.body();
    if (contentType.equals(MediaTypes.RECORDIO)) {
      contentType = MediaTypes.strip(request.header(MESSAGE_CONTENT_TYPE));
      List<byte[]> records;
      try {
        records = new RecordIO.Decoder(body.length).feed(body);
      } catch (RecordIO.DecodingException e) {
        throw new BadBody(e.getMessage());
      }
      if (records.isEmpty()) {
        throw new BadBody("Received EOF while reading request body");
      }
      body = records.get(0);
    }
    if (contentType.equals(MediaTypes.PROTOBUF)) {
      try {
        return Call.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new BadBody("Failed to parse body into a protobuf object");
      }
    }
    try {
      return MesosJson.parse(body, Call.newBuilder()).build();
    } catch (MesosJson.ParseException e) {
      // Only malformed JSON carries the underlying reader's exception as its cause.
      throw new BadBody(e.getCause() != null ? "Failed to parse body into JSON: " + e.getMessage() : e.getMessage());
    }
  }

  private static byte[] serialize(Response response, String accept) {
    return accept.equals(MediaTypes.JSON) ? MesosJson.printBytes(response) : response.toByteArray();
  }

  /** A body that is not a call; the message is the 400's text. */
  private static final class BadBody extends Exception {
    private static final long serialVersionUID = 1L;

    BadBody(String message) {
      super(message);
    }
  }
}
