package io.jmesos.security.authz;

import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * Endpoints guarded as libprocess and Mesos guard them: one of Mesos' authorizable paths ({@code
 * /metrics/snapshot}, {@code /logging/toggle}, {@code /files/debug}, {@code /monitor/statistics}, ...) answers
 * {@code 403} (empty body) to a principal the get_endpoints ACLs do not allow it, and {@code /flags} to one the
 * view_flags ACLs do not allow. The check runs on the calling thread (the authorizer never blocks) before the
 * handler. Stateless.
 */
public final class AuthorizedEndpoints {
  private AuthorizedEndpoints() {}

  /** {@code handler}, served only to principals allowed to GET {@code path} (get_endpoints). */
  public static HttpHandler endpoint(Authorizer authorizer, String path, HttpHandler handler) {
    Objects.requireNonNull(authorizer, "authorizer");
    Objects.requireNonNull(handler, "handler");
    AuthorizationObject object = AuthorizationObject.value(path);
    return (request, responder) -> {
      if (authorizer.authorized(Action.GET_ENDPOINT_WITH_PATH, Optional.ofNullable(request.principal()), object)) {
        handler.handle(request, responder);
      } else {
        responder.respond(HttpResponse.status(403));
      }
    };
  }

  /** {@code handler}, served only to principals allowed to view the flags (view_flags). */
  public static HttpHandler flags(Authorizer authorizer, HttpHandler handler) {
    Objects.requireNonNull(authorizer, "authorizer");
    Objects.requireNonNull(handler, "handler");
    return (request, responder) -> {
      if (authorizer.authorized(Action.VIEW_FLAGS, Optional.ofNullable(request.principal()), null)) {
        handler.handle(request, responder);
      } else {
        responder.respond(HttpResponse.status(403));
      }
    };
  }
}
