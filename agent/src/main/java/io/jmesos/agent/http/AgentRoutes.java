package io.jmesos.agent.http;

import io.jmesos.files.AttachedFiles;
import io.jmesos.files.FilesEndpoints;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.logging.LoggingLevels;
import io.jmesos.logging.LoggingToggle;
import io.jmesos.metrics.PrometheusEndpoint;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The agent's HTTP routes, with Mesos' {@code /slave(1)/...} aliases. The server starts before the agent has
 * recovered: the handlers that need its state are set later ({@link #executorApi}, ...) and answer {@code 503
 * Agent has not finished starting} until then. Thread-safe (the late handlers are volatile).
 */
public final class AgentRoutes {
  public volatile HttpHandler executorApi;
  public volatile HttpHandler operatorApi;
  public volatile HttpHandler state;
  public volatile HttpHandler metrics;
  public volatile HttpHandler monitorStatistics;
  public volatile HttpHandler containers;

  /** The router: {@code /files} over {@code files} (read on {@code blocking}), then every other endpoint. */
  public HttpRouter router(AttachedFiles files, Executor blocking, Map<String, String> flags) {
    HttpRouter router = new HttpRouter();
    new FilesEndpoints(files, blocking).routes().forEach((path, handler) -> router.route(handler, path));
    return router
        .route(LoggingToggle.handler(LoggingLevels.process()), "/logging/toggle")
        .route(StateEndpoints.health(), "/health", "/slave(1)/health")
        .route((req, resp) -> ready(executorApi, req, resp), "/api/v1/executor", "/slave(1)/api/v1/executor")
        .route((req, resp) -> ready(operatorApi, req, resp), "/api/v1", "/slave(1)/api/v1")
        .route((req, resp) -> ready(state, req, resp), "/state", "/state.json", "/slave(1)/state",
            "/slave(1)/state.json")
        .route((req, resp) -> ready(metrics, req, resp), "/metrics/snapshot")
        .route(PrometheusEndpoint.of((req, resp) -> ready(metrics, req, resp)), "/metrics/prometheus")
        .route(StateEndpoints.flags(flags), "/flags", "/flags.json", "/slave(1)/flags", "/slave(1)/flags.json")
        .route(StateEndpoints.version(), "/version")
        .route((req, resp) -> ready(containers, req, resp), "/containers", "/containers.json",
            "/slave(1)/containers", "/slave(1)/containers.json")
        .route((req, resp) -> ready(monitorStatistics, req, resp), "/monitor/statistics",
            "/monitor/statistics.json", "/slave(1)/monitor/statistics", "/slave(1)/monitor/statistics.json");
  }

  private static void ready(HttpHandler handler, HttpRequest request, HttpResponder responder) {
    if (handler == null) {
      responder.respond(HttpResponse.text(503, "Agent has not finished starting"));
    } else {
      handler.handle(request, responder);
    }
  }
}
