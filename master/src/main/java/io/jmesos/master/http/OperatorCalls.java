package io.jmesos.master.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.logging.LoggingLevels;
import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.core.Rejection;
import io.jmesos.protocol.Evolve;
import io.jmesos.security.authz.Action;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.mesos.v1.Protos.Flag;
import org.apache.mesos.v1.Protos.Metric;
import org.apache.mesos.v1.Protos.WeightInfo;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * The operator calls the master answers, in an explicit table keyed by call type, run on the master's actor:
 * GET_HEALTH, GET_VERSION, GET_FLAGS, GET_METRICS, GET_LOGGING_LEVEL, GET_STATE, GET_AGENTS, GET_FRAMEWORKS,
 * GET_EXECUTORS, GET_TASKS, GET_ROLES, GET_MASTER, GET_OPERATIONS (the operations the master tracks),
 * GET_WEIGHTS, UPDATE_WEIGHTS, GET_QUOTA, UPDATE_QUOTA, TEARDOWN, MARK_AGENT_GONE, DEACTIVATE_AGENT,
 * REACTIVATE_AGENT, DRAIN_AGENT, the maintenance calls (GET_MAINTENANCE_SCHEDULE, UPDATE_MAINTENANCE_SCHEDULE,
 * GET_MAINTENANCE_STATUS, START_MAINTENANCE, STOP_MAINTENANCE) and the deprecated SET_QUOTA and REMOVE_QUOTA
 * (SUBSCRIBE, SET_LOGGING_LEVEL, LIST_FILES and READ_FILE are answered by {@link OperatorEndpoint};
 * RESERVE_RESOURCES, UNRESERVE_RESOURCES, CREATE_VOLUMES, DESTROY_VOLUMES, GROW_VOLUME and SHRINK_VOLUME by
 * {@link OperationEndpoints}). Any other type is answered 501. Responses are serialized as Mesos does: protobuf,
 * or Mesos JSON in which the lists Mesos always writes (agents, frameworks, executors, tasks, metrics) are
 * present even when empty. Calls that change state answer 200 with no body, or Mesos' status and
 * message when refused.
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
  private final Map<Call.Type, Function<Call, CompletableFuture<Optional<Rejection>>>> actions =
      new EnumMap<>(Call.Type.class);

  OperatorCalls(MasterContext ctx) {
    this.ctx = ctx;
    this.state = new OperatorState(ctx);
    this.roles = new OperatorRoles(ctx, state);
    install(Call.Type.GET_HEALTH, this::getHealth);
    install(Call.Type.GET_VERSION, this::getVersion);
    install(Call.Type.GET_FLAGS, this::getFlags);
    install(Call.Type.GET_STATE, call -> response(Response.Type.GET_STATE).setGetState(state.state()).build());
    install(Call.Type.GET_AGENTS, call -> response(Response.Type.GET_AGENTS).setGetAgents(state.agents()).build());
    install(Call.Type.GET_FRAMEWORKS,
        call -> response(Response.Type.GET_FRAMEWORKS).setGetFrameworks(state.frameworks()).build());
    install(Call.Type.GET_EXECUTORS,
        call -> response(Response.Type.GET_EXECUTORS).setGetExecutors(state.executors()).build());
    install(Call.Type.GET_TASKS, call -> response(Response.Type.GET_TASKS).setGetTasks(state.tasks()).build());
    install(Call.Type.GET_ROLES, call -> response(Response.Type.GET_ROLES).setGetRoles(roles.roles()).build());
    install(Call.Type.GET_MASTER, this::getMaster);
    install(Call.Type.GET_LOGGING_LEVEL, call -> response(Response.Type.GET_LOGGING_LEVEL)
        .setGetLoggingLevel(Response.GetLoggingLevel.newBuilder().setLevel(LoggingLevels.process().level())).build());
    install(Call.Type.GET_OPERATIONS, call -> response(Response.Type.GET_OPERATIONS)
        .setGetOperations(Response.GetOperations.newBuilder().addAllOperations(Evolve.evolveAllPartial(
            ctx.operations.store.all(), org.apache.mesos.v1.Protos.Operation.parser()))).build());
    install(Call.Type.GET_WEIGHTS, this::getWeights);
    install(Call.Type.GET_QUOTA, call -> response(Response.Type.GET_QUOTA)
        .setGetQuota(Response.GetQuota.newBuilder().setStatus(QuotaStatuses.status(ctx))).build());
    act(Call.Type.UPDATE_WEIGHTS, call -> ctx.weights.update(call.getUpdateWeights().getWeightInfosList()));
    act(Call.Type.UPDATE_QUOTA, call -> ctx.quotas.update(call.getUpdateQuota().getQuotaConfigsList(),
        call.getUpdateQuota().getForce()));
    installDeprecatedQuotaCalls();
  }

  @SuppressWarnings("deprecation") // SET_QUOTA and REMOVE_QUOTA are deprecated in Mesos 1.11, and still served.
  private void installDeprecatedQuotaCalls() {
    act(Call.Type.SET_QUOTA, call -> ctx.quotas.set(call.getSetQuota().getQuotaRequest()));
    act(Call.Type.REMOVE_QUOTA, call -> ctx.quotas.remove(call.getRemoveQuota().getRole(), null));
    act(Call.Type.TEARDOWN, this::teardown);
    act(Call.Type.DEACTIVATE_AGENT, call -> ctx.activation.deactivate(Evolve.devolvePartial(
        call.getDeactivateAgent().getAgentId(), org.apache.mesos.Protos.SlaveID.parser())));
    act(Call.Type.REACTIVATE_AGENT, call -> ctx.activation.reactivate(Evolve.devolvePartial(
        call.getReactivateAgent().getAgentId(), org.apache.mesos.Protos.SlaveID.parser())));
    act(Call.Type.MARK_AGENT_GONE, call -> ctx.removal.markGone(
        Evolve.devolvePartial(call.getMarkAgentGone().getAgentId(), org.apache.mesos.Protos.SlaveID.parser())));
    installMaintenanceCalls();
  }

  /** UPDATE_MAINTENANCE_SCHEDULE, START_MAINTENANCE, STOP_MAINTENANCE and DRAIN_AGENT (the reads: see below). */
  private void installMaintenanceCalls() {
    act(Call.Type.UPDATE_MAINTENANCE_SCHEDULE,
        call -> ctx.maintenance.updateSchedule(call.getUpdateMaintenanceSchedule().getSchedule()));
    act(Call.Type.START_MAINTENANCE, call -> ctx.maintenance.start(call.getStartMaintenance().getMachinesList()));
    act(Call.Type.STOP_MAINTENANCE, call -> ctx.maintenance.stop(call.getStopMaintenance().getMachinesList()));
    act(Call.Type.DRAIN_AGENT, call -> {
      Call.DrainAgent drain = call.getDrainAgent();
      Optional<org.apache.mesos.Protos.DurationInfo> grace = drain.hasMaxGracePeriod()
          ? Optional.of(org.apache.mesos.Protos.DurationInfo.newBuilder().setNanoseconds(
              drain.getMaxGracePeriod().getSeconds() * 1_000_000_000L + drain.getMaxGracePeriod().getNanos()).build())
          : Optional.empty();
      return ctx.draining.drain(Evolve.devolvePartial(drain.getAgentId(), org.apache.mesos.Protos.SlaveID.parser()),
          grace, drain.getMarkGone());
    });
  }

  /**
   * GET_MAINTENANCE_SCHEDULE and GET_MAINTENANCE_STATUS for {@code principal}: empty for a principal the
   * get_maintenance_schedules or get_maintenance_statuses ACLs refuse, as Mesos filters them; other calls as
   * {@link #handle(Call, boolean, StateFilter)}.
   */
  CompletionStage<HttpResponse> handle(Call call, boolean json, StateFilter filter,
      Optional<String> principal) {
    switch (call.getType()) {
      case GET_MAINTENANCE_SCHEDULE:
        return CompletableFuture.completedFuture(serialize(response(Response.Type.GET_MAINTENANCE_SCHEDULE)
            .setGetMaintenanceSchedule(Response.GetMaintenanceSchedule.newBuilder().setSchedule(ctx.maintenance
                .schedule(ctx.authz.maintenance(Action.GET_MAINTENANCE_SCHEDULE, principal)))).build(), json));
      case GET_MAINTENANCE_STATUS:
        return CompletableFuture.completedFuture(serialize(response(Response.Type.GET_MAINTENANCE_STATUS)
            .setGetMaintenanceStatus(Response.GetMaintenanceStatus.newBuilder().setStatus(ctx.maintenance
                .status(ctx.authz.maintenance(Action.GET_MAINTENANCE_STATUS, principal)))).build(), json));
      default:
        return handle(call, json, filter);
    }
  }

  /**
   * {@code TEARDOWN}: removes the framework as its scheduler's TEARDOWN would, also one known only from agents
   * after a master failover whose scheduler has not subscribed again.
   */
  private CompletableFuture<Optional<Rejection>> teardown(Call call) {
    org.apache.mesos.Protos.FrameworkID id = Evolve.devolvePartial(call.getTeardown().getFrameworkId(),
        org.apache.mesos.Protos.FrameworkID.parser());
    io.jmesos.master.state.Framework framework = ctx.state.frameworks.get(id);
    if (framework == null) {
      return CompletableFuture.completedFuture(Optional.of(
          Rejection.badRequest("No framework found with specified ID")));
    }
    ctx.frameworks.teardown(framework);
    return CompletableFuture.completedFuture(Optional.empty());
  }

  private void act(Call.Type type, Function<Call, CompletableFuture<Optional<Rejection>>> action) {
    actions.put(type, action);
  }

  private void install(Call.Type type, Function<Call, Response> handler) {
    handlers.put(type, handler);
  }

  /**
   * Answers a validated call on the master's actor, as JSON or protobuf; 501 for types without a handler. Calls
   * that change state answer once the registry holds the change.
   */
  CompletionStage<HttpResponse> handle(Call call, boolean json) {
    ctx.actor.assertInActorThread();
    Function<Call, CompletableFuture<Optional<Rejection>>> action = actions.get(call.getType());
    if (action != null) {
      return action.apply(call).thenApply(OnActor::answer);
    }
    Function<Call, Response> handler = handlers.get(call.getType());
    if (handler == null) {
      return CompletableFuture.completedFuture(notImplemented(call.getType()));
    }
    return CompletableFuture.completedFuture(serialize(handler.apply(call), json));
  }

  /**
   * As {@link #handle(Call, boolean)}, for a reader that may see only part of the state: GET_STATE, GET_AGENTS,
   * GET_FRAMEWORKS, GET_EXECUTORS, GET_TASKS, GET_ROLES, GET_WEIGHTS and GET_QUOTA leave out what {@code filter}
   * hides.
   */
  CompletionStage<HttpResponse> handle(Call call, boolean json, StateFilter filter) {
    if (filter == StateFilter.ALL) {
      return handle(call, json);
    }
    OperatorState view = state.filtered(filter);
    Response response;
    switch (call.getType()) {
      case GET_STATE:
        response = response(Response.Type.GET_STATE).setGetState(view.state()).build();
        break;
      case GET_FRAMEWORKS:
        response = response(Response.Type.GET_FRAMEWORKS).setGetFrameworks(view.frameworks()).build();
        break;
      case GET_EXECUTORS:
        response = response(Response.Type.GET_EXECUTORS).setGetExecutors(view.executors()).build();
        break;
      case GET_TASKS:
        response = response(Response.Type.GET_TASKS).setGetTasks(view.tasks()).build();
        break;
      case GET_AGENTS:
        response = response(Response.Type.GET_AGENTS).setGetAgents(view.agents()).build();
        break;
      case GET_ROLES:
        response = response(Response.Type.GET_ROLES).setGetRoles(roles.roles(filter)).build();
        break;
      case GET_WEIGHTS:
        response = getWeights(filter);
        break;
      case GET_QUOTA:
        response = response(Response.Type.GET_QUOTA)
            .setGetQuota(Response.GetQuota.newBuilder().setStatus(QuotaStatuses.status(ctx, filter))).build();
        break;
      default:
        return handle(call, json);
    }
    return CompletableFuture.completedFuture(serialize(response, json));
  }

  private static HttpResponse notImplemented(Call.Type type) {
    switch (type) {
      case UNKNOWN:
        return HttpResponse.status(501); // Mesos' bare NotImplemented().
      default:
        return HttpResponse.text(501, "Call type " + type + " is not implemented yet");
    }
  }

  private Response getHealth(Call call) {
    return response(Response.Type.GET_HEALTH)
        .setGetHealth(Response.GetHealth.newBuilder().setHealthy(true)).build();
  }

  /** The version with the build's date, time, user and git commit, as /version. */
  private Response getVersion(Call call) {
    return response(Response.Type.GET_VERSION).setGetVersion(Response.GetVersion.newBuilder()
        .setVersionInfo(io.jmesos.BuildInfo.get().versionInfo(ctx.state.info.getVersion()))).build();
  }

  /** Every flag with its current value, as /state "flags" shows them, by name. */
  private Response getFlags(Call call) {
    Response.GetFlags.Builder flags = Response.GetFlags.newBuilder();
    ctx.flags.asMap().forEach((name, value) -> flags.addFlags(Flag.newBuilder().setName(name).setValue(value)));
    return response(Response.Type.GET_FLAGS).setGetFlags(flags).build();
  }

  /** The values /metrics/snapshot shows, by name, with the allocator's taken before (see OperatorEndpoint). */
  HttpResponse getMetrics(Map<String, Double> allocatorMetrics, boolean json) {
    ctx.actor.assertInActorThread();
    Map<String, Double> snapshot = new TreeMap<>();
    MetricsJson.render(ctx, allocatorMetrics).fields()
        .forEachRemaining(e -> snapshot.put(e.getKey(), e.getValue().asDouble()));
    Response.GetMetrics.Builder metrics = Response.GetMetrics.newBuilder();
    snapshot.forEach((name, value) -> metrics.addMetrics(Metric.newBuilder().setName(name).setValue(value)));
    return serialize(response(Response.Type.GET_METRICS).setGetMetrics(metrics).build(), json);
  }

  /** The weights set, by role (roles at the default weight 1 are not listed, as in Mesos). */
  private Response getWeights(Call call) {
    return getWeights(StateFilter.ALL);
  }

  /** The weights of the roles {@code filter}'s reader may view (view_roles), as Mesos. */
  private Response getWeights(StateFilter filter) {
    Response.GetWeights.Builder weights = Response.GetWeights.newBuilder();
    ctx.state.weights.forEach((role, weight) -> {
      if (filter.role(role)) {
        weights.addWeightInfos(WeightInfo.newBuilder().setRole(role).setWeight(weight));
      }
    });
    return response(Response.Type.GET_WEIGHTS).setGetWeights(weights).build();
  }

  /** This master (only the leader answers the operator API): elected time once elected, as Mesos. */
  private Response getMaster(Call call) {
    Response.GetMaster.Builder master = Response.GetMaster.newBuilder()
        .setMasterInfo(OperatorState.v1(ctx.state.info, org.apache.mesos.v1.Protos.MasterInfo.parser()))
        .setStartTime(ctx.state.startTime);
    ctx.leadership.electedTime().ifPresent(master::setElectedTime);
    return response(Response.Type.GET_MASTER).setGetMaster(master).build();
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
  static void listAlways(ObjectNode node) {
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
