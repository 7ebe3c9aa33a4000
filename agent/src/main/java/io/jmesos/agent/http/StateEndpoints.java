package io.jmesos.agent.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.actor.Actor;
import io.jmesos.agent.executors.AgentMetrics;
import io.jmesos.agent.executors.ExecutorManager;
import io.jmesos.agent.executors.ExecutorState;
import io.jmesos.agent.executors.FrameworkState;
import io.jmesos.agent.executors.SlaveGauges;
import io.jmesos.agent.gc.GarbageCollector;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.json.StateModels;
import io.jmesos.metrics.SystemMetrics;
import io.jmesos.resources.Resources;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.mesos.Protos.SlaveInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's read-only JSON endpoints: {@code /state} (Mesos' agent state document), {@code
 * /metrics/snapshot} (the {@code slave/...} metrics) and {@code /health}. Documents are built on the
 * agent's actor and sent from whichever thread completes the call; a document that fails to render is logged
 * and answered 500.
 *
 * <p>The handlers are thread-safe: they only enqueue onto the actor.
 */
public final class StateEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(StateEndpoints.class);
  private static final SystemMetrics SYSTEM = new SystemMetrics();
  /** The Mesos version whose behaviour and JSON this agent follows. */
  public static final String VERSION = "1.11.0";

  private final Actor actor;
  private final ExecutorManager executors;
  private final AgentMetrics metrics;
  private final Supplier<SlaveInfo> slaveInfo;
  private final Supplier<String> masterHostname;
  private final BooleanSupplier registered;
  private final Map<String, String> flags;
  private final String pid;
  private final GarbageCollector gc;
  private final long startNanos;
  private final double startTime;

  public StateEndpoints(Actor actor, ExecutorManager executors, AgentMetrics metrics, Supplier<SlaveInfo> slaveInfo,
      Supplier<String> masterHostname, BooleanSupplier registered, Map<String, String> flags, String pid,
      GarbageCollector gc) {
    this.actor = Objects.requireNonNull(actor);
    this.executors = Objects.requireNonNull(executors);
    this.metrics = Objects.requireNonNull(metrics);
    this.slaveInfo = Objects.requireNonNull(slaveInfo);
    this.masterHostname = Objects.requireNonNull(masterHostname);
    this.registered = Objects.requireNonNull(registered);
    this.flags = Map.copyOf(flags);
    this.pid = Objects.requireNonNull(pid);
    this.gc = Objects.requireNonNull(gc);
    this.startNanos = actor.clock().nanoTime();
    this.startTime = actor.clock().currentTimeSeconds();
  }

  public HttpHandler state() {
    return state(io.jmesos.security.authz.Authorizer.ALLOW_ALL);
  }

  /**
   * {@code /state} as each reader may see it, as Mesos' agent: the frameworks, executors and tasks its principal
   * may view (view_frameworks, view_executors, view_tasks), the reservations of roles it may view (view_roles),
   * the flags only when it may view them (view_flags).
   */
  public HttpHandler state(io.jmesos.security.authz.Authorizer authorizer) {
    return (request, responder) -> {
      ViewFilter filter = ViewFilter.of(authorizer, java.util.Optional.ofNullable(request.principal()));
      answer(request, responder, () -> stateJson(filter).toString());
    };
  }

  /**
   * {@code /metrics/snapshot}: the agent's metrics, read on the actor; with libprocess' {@code timeout} query
   * parameter ({@code 400 Invalid timeout '<t>': ...} when it does not parse) the answer waits at most that long
   * and leaves out what was not read in time.
   */
  public HttpHandler metrics() {
    return (request, responder) -> {
      String timeout = request.param("timeout");
      if (timeout == null) {
        answer(request, responder, () -> metricsJson().toString());
        return;
      }
      java.time.Duration bound;
      try {
        bound = io.jmesos.flags.Durations.parse(timeout);
      } catch (IllegalArgumentException e) {
        responder.respond(HttpResponse.text(400, "Invalid timeout '" + timeout + "': " + e.getMessage()));
        return;
      }
      // As libprocess: metrics not read within the timeout are left out (all of them here, read on the actor).
      answerJson(request, responder, actor.call(() -> metricsJson().toString())
          .completeOnTimeout("{}", bound.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
          .whenComplete((json, error) -> {
            if ("{}".equals(json)) {
              LOG.warn("Answered /metrics/snapshot without metrics: the agent did not read them within {}",
                  timeout);
            }
          }));
    };
  }

  /** Renders a document on the actor and answers with it, or with a 500 when rendering fails. */
  private void answer(HttpRequest request, HttpResponder responder, Supplier<String> render) {
    answerJson(request, responder, actor.call(render));
  }

  /** Answers with the JSON {@code document} completes with, or with a 500 naming why it failed. */
  static void answerJson(HttpRequest request, HttpResponder responder, CompletionStage<String> document) {
    document.whenComplete((json, error) -> {
      if (error == null) {
        responder.respond(HttpResponse.json(json));
      } else {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        LOG.error("Failed to render {}", request.path(), cause);
        responder.respond(HttpResponse.text(500, "Failed to render " + request.path() + ": " + cause));
      }
    });
  }

  /** {@code /flags}: {@code {"flags": {name: value}}}, every flag that has a value, as Mesos. */
  public static HttpHandler flags(java.util.Map<String, String> flags) {
    com.fasterxml.jackson.databind.node.ObjectNode root =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    com.fasterxml.jackson.databind.node.ObjectNode values = root.putObject("flags");
    flags.forEach(values::put);
    byte[] body = root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return (request, responder) -> responder.respond(HttpResponse.json(body));
  }

  /** {@code /version}: Mesos' version document, with this build's date, time, user and git commit. */
  public static HttpHandler version() {
    byte[] body = io.jmesos.BuildInfo.get().versionJson(VERSION).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return (request, responder) -> responder.respond(HttpResponse.json(body));
  }

  public static HttpHandler health() {
    return (request, responder) -> responder.respond(HttpResponse.ok());
  }

  ObjectNode stateJson() {
    return stateJson(ViewFilter.ALL);
  }

  ObjectNode stateJson(ViewFilter filter) {
    SlaveInfo info = slaveInfo.get();
    ObjectNode node = JsonModel.JSON.objectNode();
    io.jmesos.BuildInfo.get().versionFields(VERSION).forEach((name, value) -> {
      if (value instanceof Double) {
        node.put(name, (Double) value);
      } else {
        node.put(name, String.valueOf(value));
      }
    });
    node.put("start_time", startTime);
    if (info.hasId()) {
      node.put("id", info.getId().getValue());
    }
    node.put("pid", pid);
    node.put("hostname", info.getHostname());
    node.putArray("capabilities"); // This agent announces none to the master.
    if (info.hasDomain()) {
      node.set("domain", io.jmesos.json.MesosJson.toTree(info.getDomain()));
    }
    executors.drain.config().ifPresent(drain -> {
      node.set("drain_config", io.jmesos.json.MesosJson.toTree(drain));
      node.put("estimated_drain_start_time_seconds", (long) executors.drain.startTime());
    });
    Resources total = Resources.of(info.getResourcesList());
    node.set("resources", StateModels.resources(total));
    node.set("reserved_resources", byRole(total, StateModels::resources, filter));
    node.set("unreserved_resources", StateModels.resources(total.unreserved()));
    node.set("reserved_resources_full", byRole(total, StateEndpoints::full, filter));
    node.set("unreserved_resources_full", full(total.unreserved()));
    Resources allocated = Resources.empty();
    for (FrameworkState framework : executors.frameworks()) {
      for (ExecutorState executor : framework.executors()) {
        if (executor.state() != ExecutorState.State.TERMINATED) {
          allocated = allocated.plus(executor.allocated());
        }
      }
    }
    node.set("reserved_resources_allocated", byRole(allocated, StateModels::resources, filter));
    node.set("unreserved_resources_allocated", StateModels.resources(allocated.unreserved()));
    node.putArray("resource_providers");
    node.set("attributes", StateModels.attributes(info.getAttributesList()));
    String master = masterHostname.get();
    if (master != null) {
      node.put("master_hostname", master);
    }
    for (String logFlag : new String[] {"log_dir", "external_log_file"}) {
      String value = flags.get(logFlag);
      if (value != null && !value.isEmpty()) {
        node.put(logFlag, value);
      }
    }
    if (filter.flags()) {
      ObjectNode flagsNode = node.putObject("flags");
      flags.forEach(flagsNode::put);
    }
    ArrayNode frameworks = node.putArray("frameworks");
    executors.frameworks().stream().filter(f -> filter.framework(f.info()))
        .forEach(f -> frameworks.add(JsonModel.framework(f, filter)));
    ArrayNode completed = node.putArray("completed_frameworks");
    executors.completedFrameworks().stream().filter(f -> filter.framework(f.info()))
        .forEach(f -> completed.add(JsonModel.framework(f, filter)));
    return node;
  }

  /** Reserved resources by reservation role, each rendered by {@code render}, as Mesos' {@code reservations()}. */
  private static ObjectNode byRole(Resources resources,
      java.util.function.Function<Resources, com.fasterxml.jackson.databind.JsonNode> render, ViewFilter filter) {
    SortedMap<String, Resources> roles = new TreeMap<>();
    for (org.apache.mesos.Protos.Resource r : resources.reserved()) {
      if (filter.role(Resources.reservationRole(r))) {
        roles.merge(Resources.reservationRole(r), Resources.of(r), Resources::plus);
      }
    }
    ObjectNode node = JsonModel.JSON.objectNode();
    roles.forEach((role, r) -> node.set(role, render.apply(r)));
    return node;
  }

  /** Mesos' {@code *_full} fields: each resource as its protobuf JSON in the endpoint format. */
  private static ArrayNode full(Resources resources) {
    ArrayNode array = JsonModel.JSON.arrayNode();
    for (org.apache.mesos.Protos.Resource r : resources) {
      array.add(io.jmesos.json.MesosJson.toTree(io.jmesos.resources.ResourceFormats.endpoint(r)));
    }
    return array;
  }

  ObjectNode metricsJson() {
    ObjectNode node = JsonModel.JSON.objectNode();
    metricValues().forEach(node::put);
    return node;
  }

  /**
   * The {@code slave/...}, {@code gc/...} and {@code system/...} metrics by name, sorted as Mesos' snapshot is;
   * shared by {@code /metrics/snapshot}
   * and the operator API's GET_METRICS. Read on the actor.
   */
  SortedMap<String, Double> metricValues() {
    SortedMap<String, Double> values = new TreeMap<>();
    values.put("slave/registered", registered.getAsBoolean() ? 1.0 : 0.0);
    values.put("slave/uptime_secs", (actor.clock().nanoTime() - startNanos) / 1e9);
    SlaveGauges.snapshot(executors, metrics, slaveInfo.get(), values);
    values.put("slave/recovery_errors", (double) metrics.recoveryErrors());
    if (metrics.recoveryTimeSecs() >= 0) {
      values.put("slave/recovery_time_secs", metrics.recoveryTimeSecs());
    }
    values.put("gc/path_removals_pending", (double) gc.pending());
    values.put("gc/path_removals_succeeded", (double) gc.removalsSucceeded());
    values.put("gc/path_removals_failed", (double) gc.removalsFailed());
    if (gc.maxAllowedAge() != null) {
      values.put("slave/executor_directory_max_allowed_age_secs", gc.maxAllowedAge().toNanos() / 1e9);
    }
    SYSTEM.snapshot().forEach(values::put);
    return values;
  }
}
