package io.jmesos.master.http;

import static io.jmesos.master.http.Redirects.leaderOnly;
import static io.jmesos.security.Realms.MASTER_READONLY;
import static io.jmesos.security.Realms.MASTER_READWRITE;
import static io.jmesos.security.Realms.MASTER_SCHEDULER;

import io.jmesos.BuildInfo;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.json.MesosJson;
import io.jmesos.logging.LoggingLevels;
import io.jmesos.logging.LoggingToggle;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.election.Leadership;
import io.jmesos.security.HttpAuthenticators;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.mesos.Protos.Offer;

/**
 * Installs the master's HTTP routes, with the {@code /master/...} (and {@code .json}) aliases Mesos serves:
 * the scheduler and operator APIs, /health, /state, /frameworks, /slaves, /tasks, /metrics/snapshot, /roles,
 * /weights, /quota, /redirect, /version and /master/info.
 *
 * <p>As in Mesos, a master that does not act as the leader redirects the scheduler and operator APIs, /state,
 * /frameworks, /slaves, /tasks, /roles, /weights and /quota to the leader ({@link Redirects}); /health,
 * /metrics/snapshot, /version and /master/info are its own; /redirect points at the leader on every master, the
 * leader included.
 *
 * <p>Each route is in the realm Mesos puts it in ({@code master.cpp}, {@code main.cpp}): the scheduler API in
 * {@code mesos-master-scheduler}; what changes the cluster (the operator API, /teardown, /weights, /quota,
 * /logging/toggle) in {@code mesos-master-readwrite}; what reads it (/state, /state-summary, /frameworks, /slaves,
 * /tasks, /roles, /flags, /metrics/snapshot, /files/*, and jmesos' /metrics/prometheus and /master/info) in
 * {@code mesos-master-readonly}; /health, /redirect, /version and the web UI in none. Authentication runs
 * before the leader redirect, as libprocess authenticates before any handler.
 */
public final class Endpoints {
  private Endpoints() {}

  public static HttpRouter router(MasterContext ctx) {
    return router(ctx, SchedulerTap.NONE, HttpAuthenticators.NONE);
  }

  /**
   * The routes, each in its Mesos realm, authenticated by {@code authenticators}; every scheduler subscription's
   * stream passes through {@code schedulerTap}.
   */
  public static HttpRouter router(MasterContext ctx, SchedulerTap schedulerTap, HttpAuthenticators authenticators) {
    HttpRouter router = new HttpRouter(authenticators);
    Leadership leadership = ctx.leadership;
    router.route(MASTER_SCHEDULER, leaderOnly(leadership, new SchedulerEndpoint(ctx, schedulerTap)),
        "/api/v1/scheduler", "/master/api/v1/scheduler");
    io.jmesos.files.AttachedFiles files = MasterFiles.attach(ctx.flags, ctx.authz);
    router.route(MASTER_READWRITE, leaderOnly(leadership, new OperatorEndpoint(ctx, files)), "/api/v1",
        "/master/api/v1");
    router.route((request, responder) -> responder.respond(HttpResponse.ok()), "/health", "/master/health");
    router.route(MASTER_READONLY, leaderOnly(leadership, OffActorJson.listing(ctx, "/state",
        (c, request) -> StateJson.render(c, ListingJson.filter(c, request)))),
        "/state", "/master/state", "/state.json", "/master/state.json");
    router.route(MASTER_READONLY, leaderOnly(leadership, OffActorJson.listing(ctx, "/state-summary",
        (c, request) -> StateSummaryJson.render(c, ListingJson.filter(c, request)))),
        "/state-summary", "/master/state-summary");
    router.route(MASTER_READWRITE, leaderOnly(leadership, new TeardownEndpoint(ctx)), "/teardown",
        "/master/teardown");
    OperationEndpoints operations = new OperationEndpoints(ctx);
    router.route(MASTER_READWRITE, leaderOnly(leadership, operations.endpoint(Offer.Operation.Type.RESERVE)),
        "/reserve", "/master/reserve");
    router.route(MASTER_READWRITE, leaderOnly(leadership, operations.endpoint(Offer.Operation.Type.UNRESERVE)),
        "/unreserve", "/master/unreserve");
    router.route(MASTER_READWRITE, leaderOnly(leadership, operations.endpoint(Offer.Operation.Type.CREATE)),
        "/create-volumes", "/master/create-volumes");
    router.route(MASTER_READWRITE, leaderOnly(leadership, operations.endpoint(Offer.Operation.Type.DESTROY)),
        "/destroy-volumes", "/master/destroy-volumes");
    router.route(MASTER_READONLY, leaderOnly(leadership, OffActorJson.listing(ctx, "/frameworks",
        ListingJson::frameworks)),
        "/frameworks", "/master/frameworks", "/frameworks.json", "/master/frameworks.json");
    router.route(MASTER_READONLY, leaderOnly(leadership, listing(ctx, "/slaves", ListingJson::slaves)),
        "/slaves", "/master/slaves", "/slaves.json", "/master/slaves.json");
    router.route(MASTER_READONLY, leaderOnly(leadership, listing(ctx, "/tasks", ListingJson::tasks)),
        "/tasks", "/master/tasks", "/tasks.json", "/master/tasks.json");
    router.route(MASTER_READONLY, (request, responder) -> metricsSnapshot(ctx, request, responder),
        "/metrics/snapshot");
    router.route(MASTER_READONLY, io.jmesos.metrics.PrometheusEndpoint.of((rq, rs) -> metricsSnapshot(ctx, rq, rs)),
        "/metrics/prometheus");
    router.route(MASTER_READONLY, flags(ctx), "/flags", "/master/flags", "/flags.json", "/master/flags.json");
    OperatorRoles roles = new OperatorRoles(ctx, new OperatorState(ctx));
    router.route(MASTER_READONLY, leaderOnly(leadership, listing(ctx, "/roles",
        (c, request) -> RolesJson.render(c, roles, ListingJson.filter(c, request)))),
        "/roles", "/master/roles", "/roles.json", "/master/roles.json");
    router.route(MASTER_READWRITE, leaderOnly(leadership, new WeightsEndpoint(ctx)), "/weights", "/master/weights");
    MaintenanceEndpoints.install(router, ctx);
    HttpHandler quota = leaderOnly(leadership, new QuotaEndpoint(ctx));
    router.route(MASTER_READWRITE, quota, "/quota", "/master/quota");
    router.routePrefix(MASTER_READWRITE, "/quota/", quota);
    router.routePrefix(MASTER_READWRITE, "/master/quota/", quota);
    router.route((request, responder) -> Redirects.toLeader(leadership, request, responder),
        "/redirect", "/master/redirect");
    byte[] version = BuildInfo.get().versionJson(ctx.state.info.getVersion()).getBytes(StandardCharsets.UTF_8);
    router.route((request, responder) -> responder.respond(HttpResponse.json(version)), "/version");
    router.route(MASTER_READONLY, onActor(ctx, "/master/info",
        () -> HttpResponse.json(MesosJson.printBytes(ctx.state.info))), "/master/info");
    WebUi.install(router);
    MasterFiles.routes(files).forEach((path, handler) -> router.route(MASTER_READONLY,
        path.startsWith("/files/debug") ? authorizedEndpoint(ctx, "/files/debug", handler) : handler, path));
    router.route(MASTER_READWRITE, authorizedEndpoint(ctx, "/logging/toggle",
        LoggingToggle.handler(LoggingLevels.process())), "/logging/toggle");
    return router;
  }

  /**
   * {@code /metrics/snapshot}: 403 when the principal may not GET it (get_endpoints ACLs); the allocator's
   * metrics are taken first (bounded by the {@code timeout} query
   * parameter), then the snapshot is rendered on the master's actor.
   */
  private static void metricsSnapshot(MasterContext ctx, HttpRequest request, HttpResponder responder) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      responder.respond(HttpResponse.text(405, "Expecting 'GET', received '" + request.method() + "'")
          .withHeader("Allow", "GET"));
      return;
    }
    if (!ctx.authz.getEndpoint(java.util.Optional.ofNullable(request.principal()), "/metrics/snapshot")) {
      responder.respond(HttpResponse.status(403));
      return;
    }
    Duration timeout;
    try {
      timeout = AllocatorMetrics.timeout(request.param("timeout"));
    } catch (IllegalArgumentException e) {
      responder.respond(HttpResponse.text(400, "Invalid timeout '" + request.param("timeout") + "': "
          + e.getMessage()));
      return;
    }
    AllocatorMetrics.fetch(ctx.allocator, timeout).thenAccept(allocatorMetrics -> OnActor.respond(ctx.actor,
        responder, "/metrics/snapshot", () -> HttpResponse.json(MetricsJson.render(ctx, allocatorMetrics)
            .toString())));
  }

  /**
   * {@code /flags}: {@code {"flags": {name: value}}}, every flag that has a value, as Mesos; any master; 403 when
   * the principal may not view flags (view_flags ACLs).
   */
  private static HttpHandler flags(MasterContext ctx) {
    com.fasterxml.jackson.databind.node.ObjectNode root =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    com.fasterxml.jackson.databind.node.ObjectNode values = root.putObject("flags");
    ctx.flags.asMap().forEach(values::put);
    byte[] body = root.toString().getBytes(StandardCharsets.UTF_8);
    return (request, responder) -> responder.respond(
        ctx.authz.viewFlags(java.util.Optional.ofNullable(request.principal()))
            ? HttpResponse.json(body) : HttpResponse.status(403));
  }

  /** One of Mesos' authorizable endpoints: 403 for a principal the get_endpoints ACLs do not allow it. */
  private static HttpHandler authorizedEndpoint(MasterContext ctx, String path, HttpHandler handler) {
    return (request, responder) -> {
      if (ctx.authz.getEndpoint(java.util.Optional.ofNullable(request.principal()), path)) {
        handler.handle(request, responder);
      } else {
        responder.respond(HttpResponse.status(403));
      }
    };
  }

  /** A listing endpoint that reads its query parameters, rendered on the master's actor. */
  private static HttpHandler listing(MasterContext ctx, String what,
      java.util.function.BiFunction<MasterContext, HttpRequest, com.fasterxml.jackson.databind.JsonNode> render) {
    return (request, responder) -> onActor(ctx, what, () -> HttpResponse.json(render.apply(ctx, request).toString()))
        .handle(request, responder);
  }

  /** Renders on the master's actor, so the document is a consistent snapshot; a failure is answered 500. */
  private static HttpHandler onActor(MasterContext ctx, String what, Supplier<HttpResponse> render) {
    return (request, responder) -> {
      if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
        responder.respond(HttpResponse.text(405, "Expecting 'GET', received '" + request.method() + "'")
            .withHeader("Allow", "GET"));
        return;
      }
      OnActor.respond(ctx.actor, responder, what, render);
    };
  }
}
