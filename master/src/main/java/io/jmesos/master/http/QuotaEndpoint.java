package io.jmesos.master.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.json.JsonLimits;
import io.jmesos.json.MesosJson;
import io.jmesos.master.core.MasterContext;
import org.apache.mesos.v1.quota.Protos.QuotaRequest;

/**
 * {@code /quota} (and {@code /master/quota}), deprecated in Mesos 1.11 but served: GET answers the {@code
 * QuotaStatus}; POST sets a quota from a {@code QuotaRequest} (its guarantee is also its limit; 409 when it
 * overcommits the cluster without {@code force}; 403 when the principal may not update the role's quota:
 * update_quotas ACLs); DELETE {@code /quota/<role>} removes one; other methods are
 * 405. Messages are Mesos'. Parsing runs on the I/O thread, the rest on the master's actor.
 */
final class QuotaEndpoint implements HttpHandler {
  private static final ObjectMapper MAPPER = JsonLimits.mapper();
  private static final String PREFIX = "/master/quota/";

  private final MasterContext ctx;

  QuotaEndpoint(MasterContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handle(HttpRequest request, HttpResponder responder) {
    switch (request.method()) {
      case "GET":
        OnActor.respond(ctx.actor, responder, "GET /quota", () -> HttpResponse.json(MesosJson.print(
            QuotaStatuses.status(ctx, ListingJson.filter(ctx, request)))));
        return;
      case "POST":
        set(request, responder);
        return;
      case "DELETE":
        remove(request, responder);
        return;
      default:
        responder.respond(HttpResponse.text(405, "Expecting one of { 'GET', 'POST', 'DELETE' }, but received '"
            + request.method() + "'").withHeader("Allow", "GET, POST, DELETE"));
    }
  }

  private void set(HttpRequest request, HttpResponder responder) {
    String body = request.bodyText();
    JsonNode tree;
    try {
      tree = JsonBodies.read(MAPPER, request.body());
    } catch (JsonBodies.Malformed e) {
      String error = e.getMessage();
      responder.respond(HttpResponse.text(400, "Failed to parse set quota request JSON '" + body + "': " + error));
      return;
    }
    if (tree == null || !tree.isObject()) {
      responder.respond(HttpResponse.text(400, "Failed to parse set quota request JSON '" + body
          + "': Expecting a JSON object"));
      return;
    }
    QuotaRequest quotaRequest;
    try {
      quotaRequest = MesosJson.fromTree(tree, QuotaRequest.newBuilder()).build();
    } catch (MesosJson.ParseException e) {
      responder.respond(HttpResponse.text(400, "Failed to validate set quota request JSON '" + body + "': "
          + e.getMessage()));
      return;
    }
    java.util.Optional<String> principal = java.util.Optional.ofNullable(request.principal());
    OnActor.respondLater(ctx.actor, responder, "POST /quota", () -> ctx.authz.updateQuota(principal,
        quotaRequest.getRole()) ? ctx.quotas.set(quotaRequest).thenApply(OnActor::answer) : forbidden());
  }

  /** The role is everything after {@code /master/quota/}, slashes included, as Mesos reads the path. */
  private void remove(HttpRequest request, HttpResponder responder) {
    String path = request.path().startsWith("/master/") ? request.path() : "/master" + request.path();
    String role = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
    if (role.isEmpty()) {
      long tokens = java.util.Arrays.stream(path.split("/")).filter(t -> !t.isEmpty()).count();
      responder.respond(HttpResponse.text(400, "Failed to parse remove quota request for path '" + path
          + "': expected 3 tokens, found " + tokens + " tokens"));
      return;
    }
    OnActor.respondLater(ctx.actor, responder, "DELETE " + path,
        () -> ctx.authz.updateQuota(java.util.Optional.ofNullable(request.principal()), role)
            ? ctx.quotas.remove(role, path).thenApply(OnActor::answer) : forbidden());
  }

  /** A principal the update_quotas ACLs do not allow the role to: Mesos' bare 403. */
  private static java.util.concurrent.CompletionStage<HttpResponse> forbidden() {
    return java.util.concurrent.CompletableFuture.completedFuture(HttpResponse.status(403));
  }
}
