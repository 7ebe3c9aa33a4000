package io.jmesos.master.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.json.JsonLimits;
import io.jmesos.json.MesosJson;
import io.jmesos.master.core.MasterContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.WeightInfo;

/**
 * {@code /weights} (and {@code /master/weights}) as Mesos serves it: GET answers the weights set as a JSON array
 * of {@code WeightInfo}; PUT takes such an array and updates them (200, or 400 with Mesos' message, or 403 when the
 * principal may not update one of the roles' weights: update_weights ACLs); other
 * methods are 405. Parsing runs on the I/O thread, the rest on the master's actor.
 */
final class WeightsEndpoint implements HttpHandler {
  private static final ObjectMapper MAPPER = JsonLimits.mapper();

  private final MasterContext ctx;

  WeightsEndpoint(MasterContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handle(HttpRequest request, HttpResponder responder) {
    switch (request.method()) {
      case "GET":
        OnActor.respond(ctx.actor, responder, "GET /weights", () -> get(ListingJson.filter(ctx, request)));
        return;
      case "PUT":
        put(request, responder);
        return;
      default:
        responder.respond(HttpResponse.text(405, "Expecting one of { 'GET', 'PUT' }, but received '"
            + request.method() + "'").withHeader("Allow", "GET, PUT"));
    }
  }

  /** The weights of the roles {@code filter}'s reader may view (view_roles), as Mesos. */
  private HttpResponse get(io.jmesos.master.authz.StateFilter filter) {
    ArrayNode weights = MAPPER.createArrayNode();
    ctx.state.weights.entrySet().stream().filter(e -> filter.role(e.getKey())).forEach(e -> weights.add(
        MesosJson.toTree(WeightInfo.newBuilder().setWeight(e.getValue()).setRole(e.getKey()).build())));
    return HttpResponse.json(weights.toString());
  }

  private void put(HttpRequest request, HttpResponder responder) {
    String body = request.bodyText();
    JsonNode tree;
    try {
      tree = JsonBodies.read(MAPPER, request.body());
    } catch (JsonBodies.Malformed e) {
      String error = e.getMessage();
      responder.respond(HttpResponse.text(400, "Failed to parse update weights request JSON '" + body + "': "
          + error));
      return;
    }
    if (tree == null || !tree.isArray()) {
      responder.respond(HttpResponse.text(400, "Failed to parse update weights request JSON '" + body
          + "': Expecting a JSON array"));
      return;
    }
    List<WeightInfo> weightInfos = new ArrayList<>();
    try {
      for (JsonNode element : tree) {
        weightInfos.add(MesosJson.fromTree(element, WeightInfo.newBuilder()).build());
      }
    } catch (MesosJson.ParseException e) {
      responder.respond(HttpResponse.text(400, "Failed to convert weights JSON array to protobuf '" + body + "': "
          + e.getMessage()));
      return;
    }
    java.util.Optional<String> principal = java.util.Optional.ofNullable(request.principal());
    OnActor.respondLater(ctx.actor, responder, "PUT /weights", () -> weightInfos.stream()
        .allMatch(w -> ctx.authz.updateWeight(principal, w.getRole()))
        ? ctx.weights.update(weightInfos).thenApply(OnActor::answer)
        : java.util.concurrent.CompletableFuture.completedFuture(HttpResponse.status(403)));
  }
}
