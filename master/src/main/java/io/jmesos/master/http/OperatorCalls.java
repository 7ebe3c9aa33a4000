package io.jmesos.master.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.master.core.MasterContext;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.mesos.v1.Protos.Flag;
import org.apache.mesos.v1.Protos.Metric;
import org.apache.mesos.v1.Protos.VersionInfo;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * The operator calls the master answers, in an explicit table keyed by call type, run on the master's actor:
 * GET_HEALTH, GET_VERSION, GET_FLAGS, GET_METRICS, GET_STATE, GET_AGENTS, GET_FRAMEWORKS, GET_EXECUTORS,
 * GET_TASKS, GET_ROLES and GET_MASTER. Any other type is answered 501. Responses are serialized as Mesos does:
 * protobuf, or Mesos JSON in which the lists Mesos always writes (agents, frameworks, executors, tasks,
 * metrics) are present even when empty.
 */
final class OperatorCalls {
  /** Per response field, the lists Mesos' hand-written JSON always contains, in its order. */
  private static final Map<String, List<String>> ALWAYS_LISTED = Map.of(
      "get_agents", List.of("agents", "recovered_agents"),
      "get_frameworks", List.of("frameworks", "completed_frameworks"),
      "get_executors", List.of("executors"),
      "get_tasks", List.of("tasks", "unreachable_tasks", "completed_tasks"),
      "get_metrics", List.of("metrics"));

  private final MasterContext ctx;
  private final OperatorState state;
  private final OperatorRoles roles;
  private final Map<Call.Type, Function<Call, Response>> handlers = new EnumMap<>(Call.Type.class);

  OperatorCalls(MasterContext ctx) {
    this.ctx = ctx;
    this.state = new OperatorState(ctx);
    this.roles = new OperatorRoles(ctx, state);
    install(Call.Type.GET_HEALTH, this::getHealth);
    install(Call.Type.GET_VERSION, this::getVersion);
    install(Call.Type.GET_FLAGS, this::getFlags);
    install(Call.Type.GET_METRICS, this::getMetrics);
    install(Call.Type.GET_STATE, call -> response(Response.Type.GET_STATE).setGetState(state.state()).build());
    install(Call.Type.GET_AGENTS, call -> response(Response.Type.GET_AGENTS).setGetAgents(state.agents()).build());
    install(Call.Type.GET_FRAMEWORKS,
        call -> response(Response.Type.GET_FRAMEWORKS).setGetFrameworks(state.frameworks()).build());
    install(Call.Type.GET_EXECUTORS,
        call -> response(Response.Type.GET_EXECUTORS).setGetExecutors(state.executors()).build());
    install(Call.Type.GET_TASKS, call -> response(Response.Type.GET_TASKS).setGetTasks(state.tasks()).build());
    install(Call.Type.GET_ROLES, call -> response(Response.Type.GET_ROLES).setGetRoles(roles.roles()).build());
    install(Call.Type.GET_MASTER, this::getMaster);
  }

  private void install(Call.Type type, Function<Call, Response> handler) {
    handlers.put(type, handler);
  }

  /** Answers a validated call on the master's actor, as JSON or protobuf; 501 for types without a handler. */
  HttpResponse handle(Call call, boolean json) {
    ctx.actor.assertInActorThread();
    Function<Call, Response> handler = handlers.get(call.getType());
    if (handler == null) {
      return notImplemented(call.getType());
    }
    return serialize(handler.apply(call), json);
  }

  private static HttpResponse notImplemented(Call.Type type) {
    switch (type) {
      case UNKNOWN:
        return HttpResponse.status(501); // Mesos' bare NotImplemented().
      case SUBSCRIBE:
        return HttpResponse.text(501, "Call type SUBSCRIBE is not implemented: the master does not stream "
            + "operator events; poll GET_STATE instead");
      default:
        return HttpResponse.text(501, "Call type " + type + " is not implemented yet");
    }
  }

  private Response getHealth(Call call) {
    return response(Response.Type.GET_HEALTH)
        .setGetHealth(Response.GetHealth.newBuilder().setHealthy(true)).build();
  }

  /** The version only: jmesos has no build date, build user or git information to report. */
  private Response getVersion(Call call) {
    return response(Response.Type.GET_VERSION).setGetVersion(Response.GetVersion.newBuilder()
        .setVersionInfo(VersionInfo.newBuilder().setVersion(ctx.state.info.getVersion()))).build();
  }

  /** Every flag with its current value, as /state "flags" shows them, by name. */
  private Response getFlags(Call call) {
    Response.GetFlags.Builder flags = Response.GetFlags.newBuilder();
    ctx.flags.asMap().forEach((name, value) -> flags.addFlags(Flag.newBuilder().setName(name).setValue(value)));
    return response(Response.Type.GET_FLAGS).setGetFlags(flags).build();
  }

  /** The values /metrics/snapshot shows, by name; {@code get_metrics.timeout} is moot (nothing is awaited). */
  private Response getMetrics(Call call) {
    Map<String, Double> snapshot = new TreeMap<>();
    MetricsJson.render(ctx).fields().forEachRemaining(e -> snapshot.put(e.getKey(), e.getValue().asDouble()));
    Response.GetMetrics.Builder metrics = Response.GetMetrics.newBuilder();
    snapshot.forEach((name, value) -> metrics.addMetrics(Metric.newBuilder().setName(name).setValue(value)));
    return response(Response.Type.GET_METRICS).setGetMetrics(metrics).build();
  }

  /** This master is always the leader: elected when it started. */
  private Response getMaster(Call call) {
    return response(Response.Type.GET_MASTER).setGetMaster(Response.GetMaster.newBuilder()
        .setMasterInfo(OperatorState.v1(ctx.state.info, org.apache.mesos.v1.Protos.MasterInfo.parser()))
        .setStartTime(ctx.state.startTime)
        .setElectedTime(ctx.state.startTime)).build();
  }

  private static Response.Builder response(Response.Type type) {
    return Response.newBuilder().setType(type);
  }

  static HttpResponse serialize(Response response, boolean json) {
    if (!json) {
      return HttpResponse.of(200, MediaTypes.PROTOBUF, response.toByteArray());
    }
    ObjectNode tree = MesosJson.toTree(response);
    listAlways(tree);
    JsonNode state = tree.get("get_state");
    if (state instanceof ObjectNode) {
      listAlways((ObjectNode) state);
    }
    return HttpResponse.of(200, MediaTypes.JSON, tree.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Adds the always-written lists that are empty (and so omitted by MesosJson) to the fields present. */
  private static void listAlways(ObjectNode node) {
    ALWAYS_LISTED.forEach((field, lists) -> {
      JsonNode message = node.get(field);
      if (message instanceof ObjectNode) {
        ObjectNode object = (ObjectNode) message;
        for (String list : lists) {
          JsonNode value = object.remove(list);
          object.set(list, value != null ? value : object.arrayNode());
        }
      }
    });
  }
}
