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
import io.jmesos.master.core.Rejection;
import io.jmesos.protocol.Evolve;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.v1.master.Protos.Call;

/**
 * The operator's offer operations: the calls RESERVE_RESOURCES, UNRESERVE_RESOURCES, CREATE_VOLUMES,
 * DESTROY_VOLUMES, GROW_VOLUME and SHRINK_VOLUME, and the endpoints {@code /reserve}, {@code /unreserve},
 * {@code /create-volumes} and {@code /destroy-volumes} (also under {@code /master/}), whose POST body is a form:
 * {@code slaveId} and a JSON array of resources in {@code resources} (and optionally {@code source}) or
 * {@code volumes}. Answers as Mesos: 202 Accepted once applied, 400 for bad input, 403 when not authorized, 409
 * when the resources are not available (used by tasks, or offered and not freed by rescinding).
 */
final class OperationEndpoints {
  private static final ObjectMapper MAPPER = JsonLimits.mapper();

  private final MasterContext ctx;

  OperationEndpoints(MasterContext ctx) {
    this.ctx = ctx;
  }

  static boolean handles(Call.Type type) {
    switch (type) {
      case RESERVE_RESOURCES:
      case UNRESERVE_RESOURCES:
      case CREATE_VOLUMES:
      case DESTROY_VOLUMES:
      case GROW_VOLUME:
      case SHRINK_VOLUME:
        return true;
      default:
        return false;
    }
  }

  /** One of the calls {@link #handles} (already validated), on the master's actor. */
  CompletionStage<HttpResponse> call(Call call, Optional<String> principal) {
    Offer.Operation.Builder op = Offer.Operation.newBuilder();
    org.apache.mesos.v1.Protos.AgentID agent;
    switch (call.getType()) {
      case RESERVE_RESOURCES:
        agent = call.getReserveResources().getAgentId();
        op.setType(Offer.Operation.Type.RESERVE).setReserve(Offer.Operation.Reserve.newBuilder()
            .addAllResources(v0(call.getReserveResources().getResourcesList()))
            .addAllSource(v0(call.getReserveResources().getSourceList())));
        break;
      case UNRESERVE_RESOURCES:
        agent = call.getUnreserveResources().getAgentId();
        op.setType(Offer.Operation.Type.UNRESERVE).setUnreserve(Offer.Operation.Unreserve.newBuilder()
            .addAllResources(v0(call.getUnreserveResources().getResourcesList())));
        break;
      case CREATE_VOLUMES:
        agent = call.getCreateVolumes().getAgentId();
        op.setType(Offer.Operation.Type.CREATE).setCreate(Offer.Operation.Create.newBuilder()
            .addAllVolumes(v0(call.getCreateVolumes().getVolumesList())));
        break;
      case DESTROY_VOLUMES:
        agent = call.getDestroyVolumes().getAgentId();
        op.setType(Offer.Operation.Type.DESTROY).setDestroy(Offer.Operation.Destroy.newBuilder()
            .addAllVolumes(v0(call.getDestroyVolumes().getVolumesList())));
        break;
      case GROW_VOLUME:
        agent = call.getGrowVolume().getAgentId();
        op.setType(Offer.Operation.Type.GROW_VOLUME).setGrowVolume(Offer.Operation.GrowVolume.newBuilder()
            .setVolume(v0(List.of(call.getGrowVolume().getVolume())).get(0))
            .setAddition(v0(List.of(call.getGrowVolume().getAddition())).get(0)));
        break;
      case SHRINK_VOLUME:
        agent = call.getShrinkVolume().getAgentId();
        op.setType(Offer.Operation.Type.SHRINK_VOLUME).setShrinkVolume(Offer.Operation.ShrinkVolume.newBuilder()
            .setVolume(v0(List.of(call.getShrinkVolume().getVolume())).get(0))
            .setSubtract(Evolve.devolvePartial(call.getShrinkVolume().getSubtract(), Value.Scalar.parser())));
        break;
      default:
        throw new IllegalArgumentException("Not an offer operation call: " + call.getType());
    }
    SlaveID slaveId = Evolve.devolvePartial(agent, SlaveID.parser());
    return ctx.operations.operator(slaveId, op.build(), principal).thenApply(OperationEndpoints::answer);
  }

  private static HttpResponse answer(Optional<Rejection> rejection) {
    return rejection.map(r -> r.message().isEmpty() ? HttpResponse.status(r.status())
        : HttpResponse.text(r.status(), r.message())).orElseGet(() -> HttpResponse.status(202));
  }

  private static List<Resource> v0(List<org.apache.mesos.v1.Protos.Resource> resources) {
    return Evolve.devolveAllPartial(resources, Resource.parser());
  }

  /** The handler of {@code /reserve}, {@code /unreserve}, {@code /create-volumes} or {@code /destroy-volumes}. */
  HttpHandler endpoint(Offer.Operation.Type type) {
    return (request, responder) -> form(type, request, responder);
  }

  private void form(Offer.Operation.Type type, HttpRequest request, HttpResponder responder) {
    if (!request.method().equals("POST")) {
      responder.respond(HttpResponse.text(405, "Expecting one of { 'POST' }, but received '" + request.method()
          + "'").withHeader("Allow", "POST"));
      return;
    }
    Map<String, String> form;
    try {
      form = TeardownEndpoint.decode(request.bodyText());
    } catch (IllegalArgumentException e) {
      responder.respond(HttpResponse.text(400, "Unable to decode query string: " + e.getMessage()));
      return;
    }
    String slaveId = form.get("slaveId");
    if (slaveId == null) {
      responder.respond(HttpResponse.text(400, "Missing 'slaveId' query parameter in the request body"));
      return;
    }
    Offer.Operation.Builder op = Offer.Operation.newBuilder().setType(type);
    try {
      switch (type) {
        case RESERVE:
          op.getReserveBuilder().addAllResources(list("resources", form, "Error parsing"));
          if (form.containsKey("source")) {
            op.getReserveBuilder().addAllSource(list("source", form, "Error parsing"));
          }
          break;
        case UNRESERVE:
          op.getUnreserveBuilder().addAllResources(list("resources", form, "Error parsing"));
          break;
        case CREATE:
          op.getCreateBuilder().addAllVolumes(list("volumes", form, "Error in parsing"));
          break;
        case DESTROY:
          op.getDestroyBuilder().addAllVolumes(list("volumes", form, "Error in parsing"));
          break;
        default:
          throw new IllegalArgumentException("No endpoint for " + type);
      }
    } catch (BadForm e) {
      responder.respond(HttpResponse.text(400, e.getMessage()));
      return;
    }
    Optional<String> principal = Optional.ofNullable(request.principal());
    OnActor.respondLater(ctx.actor, responder, "/" + type.name().toLowerCase(java.util.Locale.ROOT),
        () -> ctx.operations.operator(SlaveID.newBuilder().setValue(slaveId).build(), op.build(), principal)
            .thenApply(OperationEndpoints::answer));
  }

  /** Mesos' parsing of a JSON array of resources in form field {@code key}, with its messages. */
  private static List<Resource> list(String key, Map<String, String> form, String verb) throws BadForm {
    String value = form.get(key);
    if (value == null) {
      throw new BadForm("Missing '" + key + "' query parameter in the request body");
    }
    String prefix = verb + " '" + key + "' query parameter in the request body: ";
    JsonNode array;
    try {
      array = MAPPER.readTree(value);
    } catch (IOException e) {
      throw new BadForm(prefix + e.getMessage());
    }
    if (array == null || !array.isArray()) {
      throw new BadForm(prefix + "Expecting a JSON array");
    }
    List<Resource> out = new ArrayList<>();
    for (JsonNode element : array) {
      try {
        out.add(MesosJson.fromTree(element, Resource.newBuilder()).build());
      } catch (MesosJson.ParseException e) {
        throw new BadForm(prefix + e.getMessage());
      }
    }
    return out;
  }

  /** A form field that does not parse; the message is the 400's body. */
  private static final class BadForm extends Exception {
    private static final long serialVersionUID = 1L;

    BadForm(String message) {
      super(message);
    }
  }
}
