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
import io.jmesos.security.HttpAuthenticators;
import io.jmesos.security.Realms;
import io.jmesos.security.authz.AuthorizedEndpoints;
import io.jmesos.security.authz.Authorizer;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The agent's HTTP routes, with Mesos' {@code /slave(1)/...} aliases. The server starts before the agent has
 * recovered: the handlers that need its state are set later ({@link #executorApi}, ...) and answer {@code 503
 * Agent has not finished starting} until then. Thread-safe (the late handlers are volatile).
 */
public final class AgentRoutes {
  private static final String READONLY = Realms.AGENT_READONLY;
  private static final String READWRITE = Realms.AGENT_READWRITE;

  public volatile HttpHandler executorApi;
  public volatile HttpHandler operatorApi;
  public volatile HttpHandler state;
  public volatile HttpHandler metrics;
  public volatile HttpHandler monitorStatistics;
  public volatile HttpHandler containers;

  /**
   * The router: {@code /files} over {@code files} (read on {@code blocking}), then every other endpoint, each in
   * the realm Mesos puts it in ({@code slave.cpp}, {@code main.cpp}), authenticated by {@code authenticators}:
   * the operator API and /logging/toggle in {@code mesos-agent-readwrite}; /state, /flags, /metrics/snapshot,
   * /containers, /monitor/statistics, /files/* (and jmesos' /metrics/prometheus) in {@code mesos-agent-readonly};
   * the executor API in {@code mesos-agent-executor}; /health and /version in none.
   */
  public HttpRouter router(AttachedFiles files, Executor blocking, Map<String, String> flags,
      HttpAuthenticators authenticators) {
    return router(files, blocking, flags, authenticators, Authorizer.ALLOW_ALL);
  }

  /**
   * As {@link #router(AttachedFiles, Executor, Map, HttpAuthenticators)}, with {@code authorizer} guarding /flags
   * (view_flags) and Mesos' authorizable endpoints /metrics/snapshot, /monitor/statistics, /containers,
   * /logging/toggle and /files/debug (get_endpoints): {@code 403} otherwise.
   */
  public HttpRouter router(AttachedFiles files, Executor blocking, Map<String, String> flags,
      HttpAuthenticators authenticators, Authorizer authorizer) {
    HttpRouter router = new HttpRouter(authenticators);
    new FilesEndpoints(files, blocking).routes().forEach((path, handler) -> router.route(READONLY,
        path.startsWith("/files/debug") ? AuthorizedEndpoints.endpoint(authorizer, "/files/debug", handler)
            : handler, path));
    HttpHandler metricsSnapshot = AuthorizedEndpoints.endpoint(authorizer, "/metrics/snapshot",
        (req, resp) -> ready(metrics, req, resp));
    return router
        .route(READWRITE, AuthorizedEndpoints.endpoint(authorizer, "/logging/toggle",
            LoggingToggle.handler(LoggingLevels.process())), "/logging/toggle")
        .route(StateEndpoints.health(), "/health", "/slave(1)/health")
        .route(Realms.AGENT_EXECUTOR, (req, resp) -> ready(executorApi, req, resp), "/api/v1/executor",
            "/slave(1)/api/v1/executor")
        .route(READWRITE, (req, resp) -> ready(operatorApi, req, resp), "/api/v1", "/slave(1)/api/v1")
        .route(READONLY, (req, resp) -> ready(state, req, resp), "/state", "/state.json", "/slave(1)/state",
            "/slave(1)/state.json")
        .route(READONLY, metricsSnapshot, "/metrics/snapshot")
        .route(READONLY, PrometheusEndpoint.of(metricsSnapshot), "/metrics/prometheus")
        .route(READONLY, AuthorizedEndpoints.flags(authorizer, StateEndpoints.flags(flags)), "/flags", "/flags.json",
            "/slave(1)/flags", "/slave(1)/flags.json")
        .route(StateEndpoints.version(), "/version")
        .route(READONLY, AuthorizedEndpoints.endpoint(authorizer, "/containers",
            (req, resp) -> ready(containers, req, resp)), "/containers", "/containers.json",
            "/slave(1)/containers", "/slave(1)/containers.json")
        .route(READONLY, AuthorizedEndpoints.endpoint(authorizer, "/monitor/statistics",
            (req, resp) -> ready(monitorStatistics, req, resp)), "/monitor/statistics",
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
