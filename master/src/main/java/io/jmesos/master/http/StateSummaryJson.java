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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
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
  private static final int STATES = TaskState.values().length;

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
    // Keyed by the ids' strings and counted in arrays indexed by state: a map update per task, not four.
    Map<String, int[]> byAgent = new HashMap<>();
    Map<FrameworkID, int[]> byFramework = new HashMap<>();
    Map<String, Set<String>> frameworksOn = new HashMap<>();
    Map<FrameworkID, Set<String>> agentsOf = new HashMap<>();
    for (Framework framework : ctx.state.frameworks.values()) {
      int[] frameworkCounts = new int[STATES];
      byFramework.put(framework.id(), frameworkCounts);
      Set<String> agents = new LinkedHashSet<>();
      String frameworkId = framework.id().getValue();
      Consumer<Task> count = task -> {
        String agentId = task.getSlaveId().getValue();
        int state = task.getState().ordinal();
        byAgent.computeIfAbsent(agentId, id -> new int[STATES])[state]++;
        frameworkCounts[state]++;
        if (agents.add(agentId)) {
          frameworksOn.computeIfAbsent(agentId, id -> new LinkedHashSet<>()).add(frameworkId);
        }
      };
      framework.tasks.values().forEach(count);
      framework.unreachableTasks.values().forEach(count);
      framework.completedTasks.forEach(count);
      if (!agents.isEmpty()) {
        agentsOf.put(framework.id(), agents);
      }
    }
    ObjectNode root = F.objectNode();
    root.put("hostname", ctx.state.info.getHostname());
    if (ctx.flags.cluster() != null) {
      root.put("cluster", ctx.flags.cluster());
    }
    StateJson.Used used = StateJson.Used.of(ctx);
    ArrayNode slaves = root.putArray("slaves");
    for (Agent agent : ctx.state.agents.values()) {
      ObjectNode node = StateJson.agent(ctx, agent, filter, used.onAgent(agent));
      counts(node, byAgent.get(agent.id().getValue()));
      ArrayNode ids = node.putArray("framework_ids");
      frameworksOn.getOrDefault(agent.id().getValue(), Set.of()).forEach(ids::add);
      slaves.add(node);
    }
    ArrayNode frameworks = root.putArray("frameworks");
    for (Framework framework : ctx.state.frameworks.values()) {
      if (!filter.framework(framework.info())) {
        continue;
      }
      ObjectNode node = framework(ctx, framework, used.byFramework(ctx, framework));
      counts(node, byFramework.get(framework.id()));
      ArrayNode ids = node.putArray("slave_ids");
      agentsOf.getOrDefault(framework.id(), Set.of()).forEach(ids::add);
      frameworks.add(node);
    }
    return root;
  }

  /** Mesos' {@code Summary<Framework>}: no pid here, every framework being an HTTP framework. */
  private static ObjectNode framework(MasterContext ctx, Framework framework, ResourceSums used) {
    FrameworkInfo info = framework.info();
    ObjectNode node = F.objectNode();
    node.put("id", framework.id().getValue());
    node.put("name", info.getName());
    node.set("used_resources", used.json());
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

  private static void counts(ObjectNode node, int[] counts) {
    for (TaskState state : WRITTEN) {
      node.put(state.name(), counts == null ? 0 : counts[state.ordinal()]);
    }
  }
}
