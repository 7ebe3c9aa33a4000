package io.jmesos.master.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.json.StateModels;
import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.FrameworkLifecycle;
import io.jmesos.resources.Resources;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskState;

/**
 * {@code /state-summary}, as Mesos 1.11's {@code ReadOnlyHandler::stateSummary}: the master's hostname (and
 * cluster), each registered agent as in {@code /state} with its task counts by state and the frameworks that
 * have tasks on it, each registered framework in summary with its task counts and the agents it has tasks on.
 * Counts and mappings cover live, unreachable and completed tasks of registered frameworks. Built on the
 * master's actor.
 */
final class StateSummaryJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** The states Mesos writes, in its order (not TASK_DROPPED, TASK_GONE, TASK_GONE_BY_OPERATOR, TASK_UNKNOWN). */
  private static final List<TaskState> WRITTEN = List.of(TaskState.TASK_STAGING, TaskState.TASK_STARTING,
      TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_FINISHED, TaskState.TASK_KILLED,
      TaskState.TASK_FAILED, TaskState.TASK_LOST, TaskState.TASK_ERROR, TaskState.TASK_UNREACHABLE);

  private StateSummaryJson() {}

  static ObjectNode render(MasterContext ctx) {
    return render(ctx, StateFilter.ALL);
  }

  /**
   * As {@code filter}'s reader may see it, as Mesos: only the frameworks it may view (view_frameworks) and the
   * reservations of roles it may view (view_roles); the counts and mappings still cover every task, as Mesos
   * computes them before filtering.
   */
  static ObjectNode render(MasterContext ctx, StateFilter filter) {
    ctx.actor.assertInActorThread();
    Map<SlaveID, Map<TaskState, Integer>> byAgent = new HashMap<>();
    Map<FrameworkID, Map<TaskState, Integer>> byFramework = new HashMap<>();
    Map<SlaveID, Set<String>> frameworksOn = new HashMap<>();
    Map<FrameworkID, Set<String>> agentsOf = new HashMap<>();
    for (Framework framework : ctx.state.frameworks.values()) {
      Consumer<Task> count = task -> {
        byAgent.computeIfAbsent(task.getSlaveId(), id -> new EnumMap<>(TaskState.class))
            .merge(task.getState(), 1, Integer::sum);
        byFramework.computeIfAbsent(framework.id(), id -> new EnumMap<>(TaskState.class))
            .merge(task.getState(), 1, Integer::sum);
        frameworksOn.computeIfAbsent(task.getSlaveId(), id -> new LinkedHashSet<>()).add(framework.id().getValue());
        agentsOf.computeIfAbsent(framework.id(), id -> new LinkedHashSet<>()).add(task.getSlaveId().getValue());
      };
      framework.tasks.values().forEach(count);
      framework.unreachableTasks.values().forEach(count);
      framework.completedTasks.forEach(count);
    }
    ObjectNode root = F.objectNode();
    root.put("hostname", ctx.state.info.getHostname());
    if (ctx.flags.cluster() != null) {
      root.put("cluster", ctx.flags.cluster());
    }
    ArrayNode slaves = root.putArray("slaves");
    for (Agent agent : ctx.state.agents.values()) {
      ObjectNode node = StateJson.agent(ctx, agent, filter);
      counts(node, byAgent.get(agent.id()));
      ArrayNode ids = node.putArray("framework_ids");
      frameworksOn.getOrDefault(agent.id(), Set.of()).forEach(ids::add);
      slaves.add(node);
    }
    ArrayNode frameworks = root.putArray("frameworks");
    for (Framework framework : ctx.state.frameworks.values()) {
      if (!filter.framework(framework.info())) {
        continue;
      }
      ObjectNode node = framework(ctx, framework);
      counts(node, byFramework.get(framework.id()));
      ArrayNode ids = node.putArray("slave_ids");
      agentsOf.getOrDefault(framework.id(), Set.of()).forEach(ids::add);
      frameworks.add(node);
    }
    return root;
  }

  /** Mesos' {@code Summary<Framework>}: no pid here, every framework being an HTTP framework. */
  private static ObjectNode framework(MasterContext ctx, Framework framework) {
    FrameworkInfo info = framework.info();
    ObjectNode node = F.objectNode();
    node.put("id", framework.id().getValue());
    node.put("name", info.getName());
    Resources used = framework.usedResources();
    for (Agent agent : ctx.state.agents.values()) {
      used = used.plus(agent.executorResources(framework.id()));
    }
    node.set("used_resources", StateModels.resources(used));
    node.set("offered_resources", StateModels.resources(ctx.offers.offeredTo(framework)));
    ArrayNode capabilities = node.putArray("capabilities");
    info.getCapabilitiesList().forEach(c -> capabilities.add(c.getType().name()));
    node.put("hostname", info.getHostname());
    node.put("webui_url", info.getWebuiUrl());
    node.put("active", framework.active());
    node.put("connected", framework.connected());
    node.put("recovered", framework.lifecycle() == FrameworkLifecycle.RECOVERED);
    return node;
  }

  private static void counts(ObjectNode node, Map<TaskState, Integer> counts) {
    for (TaskState state : WRITTEN) {
      node.put(state.name(), counts == null ? 0 : counts.getOrDefault(state, 0));
    }
  }
}
