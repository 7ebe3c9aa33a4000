package io.jmesos.master.http;

import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.json.MesosJson;
import io.jmesos.master.core.MasterContext;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Installs the master's HTTP routes, with the {@code /master/...} aliases Mesos serves. */
public final class Endpoints {
  private Endpoints() {}

  public static HttpRouter router(MasterContext ctx) {
    HttpRouter router = new HttpRouter();
    router.route(new SchedulerEndpoint(ctx), "/api/v1/scheduler");
    router.route(new OperatorEndpoint(ctx), "/api/v1", "/master/api/v1");
    router.route((request, responder) -> responder.respond(HttpResponse.ok()), "/health", "/master/health");
    router.route(onActor(ctx, "/state", () -> HttpResponse.json(StateJson.render(ctx).toString())),
        "/state", "/master/state", "/state.json", "/master/state.json");
    router.route(onActor(ctx, "/metrics/snapshot", () -> HttpResponse.json(MetricsJson.render(ctx).toString())),
        "/metrics/snapshot");
    router.route((request, responder) -> {
      var info = ctx.state.info;
      responder.respond(HttpResponse.status(307)
          .withHeader("Location", "//" + info.getHostname() + ":" + info.getPort()));
    }, "/redirect", "/master/redirect");
    router.route((request, responder) -> responder.respond(HttpResponse.json(
        ("{\"version\":\"" + ctx.state.info.getVersion() + "\"}").getBytes(StandardCharsets.UTF_8))),
        "/version");
    router.route(onActor(ctx, "/master/info", () -> HttpResponse.json(MesosJson.printBytes(ctx.state.info))),
        "/master/info");
    return router;
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
