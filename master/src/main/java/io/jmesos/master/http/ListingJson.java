package io.jmesos.master.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.http.HttpRequest;
import io.jmesos.json.StateModels;
import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.mesos.Protos.Task;

/**
 * The master's listing endpoints, parts of {@code /state} as Mesos 1.11 serves them: {@code /frameworks}
 * (frameworks, completed frameworks, unregistered frameworks; {@code framework_id} selects one), {@code /slaves}
 * (agents and recovered agents; {@code slave_id} selects one) and {@code /tasks} (live, unreachable and completed
 * tasks of every framework, sorted by their first status's time, {@code order=asc|des} (default des), then
 * {@code offset} and {@code limit} (default 100); {@code framework_id} and {@code task_id} select). Rendered on the
 * master's actor.
 */
final class ListingJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Mesos' TASK_LIMIT: the default {@code limit} of {@code /tasks}. */
  static final int TASK_LIMIT = 100;

  private ListingJson() {}

  static ObjectNode frameworks(MasterContext ctx, HttpRequest request) {
    ctx.actor.assertInActorThread();
    String selected = request.param("framework_id");
    StateFilter filter = filter(ctx, request);
    ObjectNode root = F.objectNode();
    ArrayNode frameworks = root.putArray("frameworks");
    for (Framework framework : ctx.state.frameworks.values()) {
      if ((selected == null || selected.equals(framework.id().getValue())) && filter.framework(framework.info())) {
        frameworks.add(StateJson.framework(ctx, framework, filter));
      }
    }
    ArrayNode completed = root.putArray("completed_frameworks");
    for (Framework framework : ctx.state.completedFrameworks) {
      if ((selected == null || selected.equals(framework.id().getValue())) && filter.framework(framework.info())) {
        completed.add(StateJson.framework(ctx, framework, filter));
      }
    }
    root.putArray("unregistered_frameworks");
    return root;
  }

  static ObjectNode slaves(MasterContext ctx, HttpRequest request) {
    ctx.actor.assertInActorThread();
    String selected = request.param("slave_id");
    StateFilter filter = filter(ctx, request);
    ObjectNode root = F.objectNode();
    ArrayNode slaves = root.putArray("slaves");
    for (Agent agent : ctx.state.agents.values()) {
      if (selected == null || selected.equals(agent.id().getValue())) {
        slaves.add(StateJson.agentFull(ctx, agent, filter));
      }
    }
    ArrayNode recovered = root.putArray("recovered_slaves");
    ctx.state.recoveredAgents.values().stream()
        .filter(info -> selected == null || selected.equals(info.getId().getValue()))
        .forEach(info -> recovered.add(StateJson.recoveredAgent(info)));
    return root;
  }

  static ObjectNode tasks(MasterContext ctx, HttpRequest request) {
    ctx.actor.assertInActorThread();
    int limit = count(request, "limit", TASK_LIMIT);
    int offset = count(request, "offset", 0);
    boolean ascending = "asc".equals(request.param("order"));
    String frameworkId = request.param("framework_id");
    String taskId = request.param("task_id");
    List<Framework> frameworks = new ArrayList<>(ctx.state.frameworks.values());
    frameworks.addAll(ctx.state.completedFrameworks);
    StateFilter filter = filter(ctx, request);
    List<Task> tasks = new ArrayList<>();
    for (Framework framework : frameworks) {
      if (frameworkId != null && !frameworkId.equals(framework.id().getValue())
          || !filter.framework(framework.info())) {
        continue;
      }
      List<Task> all = new ArrayList<>(framework.tasks.values());
      all.addAll(framework.unreachableTasks.values());
      all.addAll(framework.completedTasks);
      all.stream().filter(t -> filter.task(t, framework.info())).forEach(tasks::add);
    }
    if (taskId != null) {
      tasks.removeIf(t -> !taskId.equals(t.getTaskId().getValue()));
    }
    tasks.sort(ascending ? ASCENDING : ASCENDING.reversed());
    ObjectNode root = F.objectNode();
    ArrayNode list = root.putArray("tasks");
    for (int i = offset; i < Math.min(tasks.size(), (long) offset + limit); i++) {
      list.add(StateModels.task(tasks.get(i)));
    }
    return root;
  }

  /**
   * Mesos' {@code TaskComparator::ascending}: tasks without a status first, then by the time of the first status,
   * then by task id.
   */
  private static final Comparator<Task> ASCENDING = (a, b) -> {
    if (a.getStatusesCount() == 0 || b.getStatusesCount() == 0) {
      return Integer.compare(a.getStatusesCount() == 0 ? 0 : 1, b.getStatusesCount() == 0 ? 0 : 1);
    }
    int byTime = Double.compare(a.getStatuses(0).getTimestamp(), b.getStatuses(0).getTimestamp());
    return byTime != 0 ? byTime : a.getTaskId().getValue().compareTo(b.getTaskId().getValue());
  };

  /** A non-negative integer query parameter; absent or invalid: {@code fallback}, as Mesos' {@code numify}. */
  private static int count(HttpRequest request, String name, int fallback) {
    String value = request.param(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      return parsed < 0 ? fallback : parsed;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** What the request's principal may view (Mesos' view_frameworks, view_tasks, view_executors ACLs). */
  static StateFilter filter(MasterContext ctx, HttpRequest request) {
    return StateFilter.of(ctx.authz, java.util.Optional.ofNullable(request.principal()));
  }
}
