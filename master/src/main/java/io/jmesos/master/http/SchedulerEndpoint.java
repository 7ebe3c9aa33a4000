package io.jmesos.master.http;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.core.SchedulerCalls;
import io.jmesos.master.state.SchedulerConnection;
import io.jmesos.protocol.Evolve;
import io.jmesos.protocol.SchedulerCallValidator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * {@code POST /api/v1/scheduler}, as Mesos: 405 for other methods, 400 without Content-Type, 415 for media
 * types other than JSON and protobuf, 400 for bodies that do not parse or calls that do not validate, 406 when
 * a SUBSCRIBE's Accept admits neither JSON nor protobuf. SUBSCRIBE opens a 200 RecordIO stream with a {@code
 * Mesos-Stream-Id} header (400 if the request carries one); other calls get what {@link SchedulerCalls} answers.
 * Runs on I/O threads and enqueues onto the master's actor; a handler that throws there is answered 500.
 * Each subscription's stream passes through the {@link SchedulerTap} (none in production).
 * With {@code --rate_limits}, a subscribed framework's other calls are handled when its principal's bucket allows
 * ({@link io.jmesos.master.core.FrameworkRateLimits}), or answered 429 with Mesos' capacity error.
 */
public final class SchedulerEndpoint implements HttpHandler {
  private final MasterContext ctx;
  private final SchedulerCalls calls;
  private final SchedulerTap tap;

  public SchedulerEndpoint(MasterContext ctx) {
    this(ctx, SchedulerTap.NONE);
  }

  public SchedulerEndpoint(MasterContext ctx, SchedulerTap tap) {
    this.ctx = ctx;
    this.calls = new SchedulerCalls(ctx);
    this.tap = Objects.requireNonNull(tap, "tap");
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
    try {
      if (contentType.equals(MediaTypes.JSON)) {
        call = MesosJson.parse(request.body(), Call.newBuilder()).build();
      } else if (contentType.equals(MediaTypes.PROTOBUF)) {
        call = Call.parseFrom(request.body());
      } else {
        responder.respond(HttpResponse.text(415, "Expecting 'Content-Type' of application/json or "
            + "application/x-protobuf"));
        return;
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      responder.respond(HttpResponse.text(400, "Failed to parse body into Call protobuf: " + e.getMessage()));
      return;
    }
    Optional<String> invalid = SchedulerCallValidator.validate(call, request.principal());
    if (invalid.isPresent()) {
      responder.respond(HttpResponse.text(400, "Failed to validate scheduler::Call: " + invalid.get()));
      return;
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      subscribe(request, call, responder);
      return;
    }
    String streamId = request.header("Mesos-Stream-Id");
    String what = call.getType() + " call";
    ctx.actor.execute(EventQueue.http(() -> {
      if (!ctx.state.recovered) {
        responder.respond(notRecovered());
        return;
      }
      // --rate_limits: handled now, or later on the actor when the framework's bucket has a permit.
      Optional<String> dropped = ctx.rateLimits.submit(
          Evolve.devolvePartial(call.getFrameworkId(), FrameworkID.parser()), call.getType().name(),
          () -> OnActor.answer(responder, what, () -> calls.handle(call, streamId, request.principal())));
      dropped.ifPresent(error -> responder.respond(HttpResponse.text(429, error)));
    }));
  }

  private void subscribe(HttpRequest request, Call call, HttpResponder responder) {
    String accept = request.header("Accept");
    boolean json;
    if (MediaTypes.accepts(accept, MediaTypes.JSON)) {
      json = true;
    } else if (MediaTypes.accepts(accept, MediaTypes.PROTOBUF)) {
      json = false;
    } else {
      responder.respond(HttpResponse.text(406, "Expecting 'Accept' to allow application/json or "
          + "application/x-protobuf"));
      return;
    }
    if (request.header("Mesos-Stream-Id") != null) {
      responder.respond(HttpResponse.text(400,
          "Subscribe calls should not include the 'Mesos-Stream-Id' header"));
      return;
    }
    FrameworkInfo info = MasterAuthentication.withPrincipal(
        Evolve.devolvePartial(call.getSubscribe().getFrameworkInfo(), FrameworkInfo.parser()), request.principal());
    var suppressed = new LinkedHashSet<>(call.getSubscribe().getSuppressedRolesList());
    String type = json ? MediaTypes.JSON : MediaTypes.PROTOBUF;
    ctx.actor.execute(EventQueue.http(() -> {
      if (!ctx.state.recovered) {
        responder.respond(notRecovered());
        return;
      }
      ctx.state.metrics.messages.schedulerCall(call);
      AtomicReference<SchedulerConnection> opened = new AtomicReference<>();
      try {
        ctx.frameworks.subscribe(info, suppressed, streamId -> {
          opened.set(tap.wrap(info, new HttpSchedulerConnection(
              streamId, responder.stream(200, Map.of("Content-Type", type, "Mesos-Stream-Id", streamId)), json)));
          return opened.get();
        });
      } catch (RuntimeException | Error e) { // answered, then rethrown for the master's failure handler
        HttpResponse error = OnActor.internalError("SUBSCRIBE call", e);
        if (opened.get() == null) {
          responder.respond(error);
        } else {
          // The 200 is already out: end the stream, so that the scheduler subscribes again.
          opened.get().close();
        }
        throw e;
      }
    }));
  }

  /** Mesos answers scheduler calls 503 until the master recovered its registry. */
  private static HttpResponse notRecovered() {
    return HttpResponse.text(503, "Master has not finished recovery");
  }
}
