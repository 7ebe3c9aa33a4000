package io.jmesos.master.http;

import static io.jmesos.master.http.Redirects.leaderOnly;
import static io.jmesos.security.Realms.MASTER_READONLY;
import static io.jmesos.security.Realms.MASTER_READWRITE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.json.JsonLimits;
import io.jmesos.json.MesosJson;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.core.Rejection;
import io.jmesos.security.authz.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.mesos.v1.Protos.MachineID;
import org.apache.mesos.v1.maintenance.Protos.Schedule;

/**
 * Mesos' maintenance endpoints (also under {@code /master/}): {@code /maintenance/schedule} (GET the schedule,
 * POST a new one), {@code /maintenance/status} (GET), {@code /machine/down} and {@code /machine/up} (POST a JSON
 * array of machine ids). Only the leader answers (others redirect); /maintenance/status is in the read-only realm,
 * the others in the read-write one. A principal the ACLs refuse gets 403 for a change, and an empty schedule or
 * status for a read, as Mesos. Bodies are parsed on the I/O thread, the rest runs on the master's actor.
 */
final class MaintenanceEndpoints {
  private static final ObjectMapper MAPPER = JsonLimits.mapper();

  private MaintenanceEndpoints() {}

  static void install(HttpRouter router, MasterContext ctx) {
    router.route(MASTER_READWRITE, leaderOnly(ctx.leadership, (request, responder) -> schedule(ctx, request,
        responder)), "/maintenance/schedule", "/master/maintenance/schedule");
    router.route(MASTER_READONLY, leaderOnly(ctx.leadership, (request, responder) -> status(ctx, request,
        responder)), "/maintenance/status", "/master/maintenance/status");
    router.route(MASTER_READWRITE, leaderOnly(ctx.leadership, machines(ctx, Action.START_MAINTENANCE,
        ids -> ctx.maintenance.start(ids))), "/machine/down", "/master/machine/down");
    router.route(MASTER_READWRITE, leaderOnly(ctx.leadership, machines(ctx, Action.STOP_MAINTENANCE,
        ids -> ctx.maintenance.stop(ids))), "/machine/up", "/master/machine/up");
  }

  private static void schedule(MasterContext ctx, HttpRequest request, HttpResponder responder) {
    Optional<String> principal = Optional.ofNullable(request.principal());
    if (request.method().equals("GET")) {
      OnActor.respond(ctx.actor, responder, "GET /maintenance/schedule", () -> HttpResponse.json(MesosJson.print(
          ctx.maintenance.schedule(ctx.authz.maintenance(Action.GET_MAINTENANCE_SCHEDULE, principal)))));
      return;
    }
    if (!request.method().equals("POST")) {
      responder.respond(HttpResponse.text(405, "Expecting one of { 'GET', 'POST' }, but received '"
          + request.method() + "'").withHeader("Allow", "GET, POST"));
      return;
    }
    Schedule schedule;
    try {
      JsonNode tree = parse(request);
      if (tree == null || !tree.isObject()) {
        responder.respond(HttpResponse.text(400, "Failed to parse JSON: expecting a JSON object"));
        return;
      }
      schedule = MesosJson.fromTree(tree, Schedule.newBuilder()).build();
    } catch (BadBody e) {
      responder.respond(HttpResponse.text(400, e.getMessage()));
      return;
    } catch (MesosJson.ParseException e) {
      responder.respond(HttpResponse.text(400, e.getMessage()));
      return;
    }
    change(ctx, responder, "POST /maintenance/schedule", principal, Action.UPDATE_MAINTENANCE_SCHEDULE,
        () -> ctx.maintenance.updateSchedule(schedule));
  }

  private static void status(MasterContext ctx, HttpRequest request, HttpResponder responder) {
    if (!request.method().equals("GET")) {
      responder.respond(HttpResponse.text(405, "Expecting one of { 'GET' }, but received '" + request.method()
          + "'").withHeader("Allow", "GET"));
      return;
    }
    Optional<String> principal = Optional.ofNullable(request.principal());
    OnActor.respond(ctx.actor, responder, "GET /maintenance/status", () -> HttpResponse.json(MesosJson.print(
        ctx.maintenance.status(ctx.authz.maintenance(Action.GET_MAINTENANCE_STATUS, principal)))));
  }

  /** /machine/down or /machine/up: a POSTed JSON array of machine ids. */
  private static HttpHandler machines(MasterContext ctx, Action action,
      Function<List<MachineID>, CompletableFuture<Optional<Rejection>>> apply) {
    return (request, responder) -> {
      if (!request.method().equals("POST")) {
        responder.respond(HttpResponse.text(405, "Expecting one of { 'POST' }, but received '"
            + request.method() + "'").withHeader("Allow", "POST"));
        return;
      }
      List<MachineID> ids = new ArrayList<>();
      try {
        JsonNode tree = parse(request);
        if (tree == null || !tree.isArray()) {
          responder.respond(HttpResponse.text(400, "Failed to parse JSON: expecting a JSON array"));
          return;
        }
        for (JsonNode element : tree) {
          ids.add(MesosJson.fromTree(element, MachineID.newBuilder()).build());
        }
      } catch (BadBody e) {
        responder.respond(HttpResponse.text(400, e.getMessage()));
        return;
      } catch (MesosJson.ParseException e) {
        responder.respond(HttpResponse.text(400, e.getMessage()));
        return;
      }
      change(ctx, responder, request.method() + " " + request.path(), Optional.ofNullable(request.principal()),
          action, () -> apply.apply(ids));
    };
  }

  private static void change(MasterContext ctx, HttpResponder responder, String what, Optional<String> principal,
      Action action, java.util.function.Supplier<CompletableFuture<Optional<Rejection>>> apply) {
    OnActor.respondLater(ctx.actor, responder, what, () -> ctx.authz.maintenance(action, principal)
        ? apply.get().thenApply(OnActor::answer)
        : CompletableFuture.completedFuture(HttpResponse.status(403)));
  }

  private static JsonNode parse(HttpRequest request) throws BadBody {
    try {
      return JsonBodies.read(MAPPER, request.body());
    } catch (JsonBodies.Malformed e) {
      throw new BadBody("Failed to parse JSON: " + e.getMessage());
    }
  }

  private static final class BadBody extends Exception {
    private static final long serialVersionUID = 1L;

    BadBody(String message) {
      super(message);
    }
  }
}
