package io.jmesos.master.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.json.MesosJson;
import io.jmesos.json.StateModels;
import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.FrameworkLifecycle;
import io.jmesos.protocol.TaskStates;
import io.jmesos.resources.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;

/**
 * The {@code /state} document, in the shape of Mesos 1.11's; resources, attributes and tasks are {@link
 * StateModels}, shared with the agent. Built on the master's actor.
 */
public final class StateJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private StateJson() {}

  public static ObjectNode render(MasterContext ctx) {
    return render(ctx, StateFilter.ALL);
  }

  /**
   * The document as {@code filter}'s reader may see it: only the frameworks, tasks and executors its principal
   * may view, the flags only when it may view them (Mesos' view_* ACLs).
   */
  public static ObjectNode render(MasterContext ctx, StateFilter filter) {
    ctx.actor.assertInActorThread();
    MasterInfo info = ctx.state.info;
    ObjectNode root = F.objectNode();
    io.jmesos.BuildInfo.get().versionFields(info.getVersion()).forEach((name, value) -> {
      if (value instanceof Double) {
        root.put(name, (Double) value);
      } else {
        root.put(name, String.valueOf(value));
      }
    });
    root.put("start_time", ctx.state.startTime);
    ctx.leadership.electedTime().ifPresent(time -> root.put("elected_time", time));
    root.put("id", info.getId());
    root.put("pid", info.getPid());
    root.put("hostname", info.getHostname());
    ArrayNode capabilities = root.putArray("capabilities");
    info.getCapabilitiesList().forEach(c -> capabilities.add(MesosJson.toTree(c)));
    long active = ctx.state.agents.values().stream().filter(Agent::active).count();
    root.put("activated_slaves", active);
    root.put("deactivated_slaves", ctx.state.agents.size() - active);
    root.put("unreachable_slaves", ctx.state.unreachableAgents.size());
    if (info.hasDomain()) {
      root.set("domain", MesosJson.toTree(info.getDomain()));
    }
    ctx.leadership.leader().ifPresent(leader -> {
      root.put("leader", leader.getPid());
      root.set("leader_info", MesosJson.toTree(leader));
    });
    if (ctx.flags.cluster() != null) {
      root.put("cluster", ctx.flags.cluster());
    }
    Map<String, String> flagValues = ctx.flags.asMap();
    for (String logFlag : new String[] {"log_dir", "external_log_file"}) {
      if (flagValues.get(logFlag) != null && !flagValues.get(logFlag).isEmpty()) {
        root.put(logFlag, flagValues.get(logFlag));
      }
    }
    if (filter.flags()) {
      ObjectNode flags = root.putObject("flags");
      ctx.flags.asMap().forEach(flags::put);
    }
    Used used = Used.of(ctx);
    ArrayNode slaves = root.putArray("slaves");
    for (Agent agent : ctx.state.agents.values()) {
      slaves.add(agent(ctx, agent, filter, used.onAgent(agent)));
    }
    ArrayNode recovered = root.putArray("recovered_slaves");
    ctx.state.recoveredAgents.values().forEach(a -> recovered.add(recoveredAgent(a)));
    ArrayNode frameworks = root.putArray("frameworks");
    for (Framework framework : ctx.state.frameworks.values()) {
      if (filter.framework(framework.info())) {
        frameworks.add(framework(ctx, framework, filter, used.byFramework(ctx, framework)));
      }
    }
    ArrayNode completed = root.putArray("completed_frameworks");
    for (Framework framework : ctx.state.completedFrameworks) {
      if (filter.framework(framework.info())) {
        completed.add(framework(ctx, framework, filter));
      }
    }
    root.putArray("orphan_tasks");
    root.putArray("unregistered_frameworks");
    return root;
  }

  /** An agent known only from the registry, as Mesos' {@code json(SlaveInfo)}. */
  static ObjectNode recoveredAgent(SlaveInfo info) {
    ObjectNode node = F.objectNode();
    node.put("id", info.getId().getValue());
    node.put("hostname", info.getHostname());
    node.put("port", info.getPort());
    node.set("attributes", StateModels.attributes(info.getAttributesList()));
    if (info.hasDomain()) {
      node.set("domain", MesosJson.toTree(info.getDomain()));
    }
    return node;
  }

  static ObjectNode agent(MasterContext ctx, Agent agent) {
    return agent(ctx, agent, StateFilter.ALL);
  }

  /** An agent, with only the reservations of roles {@code filter}'s reader may view (view_roles), as Mesos. */
  static ObjectNode agent(MasterContext ctx, Agent agent, StateFilter filter) {
    Resources used = Resources.empty();
    for (Resources r : ctx.frameworks.usedOn(agent).values()) {
      used = used.plus(r);
    }
    return agent(ctx, agent, filter, StateModels.resources(used));
  }

  /** {@link #agent(MasterContext, Agent, StateFilter)} with its {@code used_resources} object given. */
  static ObjectNode agent(MasterContext ctx, Agent agent, StateFilter filter, ObjectNode usedResources) {
    ObjectNode node = F.objectNode();
    node.put("id", agent.id().getValue());
    node.put("pid", "slave(1)@" + agent.pid);
    node.put("hostname", agent.info.getHostname());
    node.put("port", agent.info.getPort());
    node.put("registered_time", agent.registeredTime);
    if (agent.reregisteredTime > 0) {
      node.put("reregistered_time", agent.reregisteredTime);
    }
    Resources total = agent.total();
    node.set("resources", StateModels.resources(total));
    node.set("used_resources", usedResources);
    node.set("offered_resources", StateModels.resources(ctx.offers.offeredOn(agent)));
    node.set("reserved_resources", reservedByRole(total, filter));
    node.set("unreserved_resources", StateModels.resources(total.unreserved()));
    node.set("attributes", StateModels.attributes(agent.info.getAttributesList()));
    node.put("active", agent.active());
    node.put("deactivated", agent.deactivated);
    node.put("version", agent.version == null ? "" : agent.version);
    node.putArray("capabilities");
    ctx.draining.drainInfo(agent.id()).ifPresent(drain -> {
      node.set("drain_info", io.jmesos.json.MesosJson.toTree(drain));
      if (agent.estimatedDrainStartTime > 0) {
        node.put("estimated_drain_start_time_seconds", agent.estimatedDrainStartTime);
      }
    });
    return node;
  }

  static ObjectNode framework(MasterContext ctx, Framework framework) {
    return framework(ctx, framework, StateFilter.ALL);
  }

  /** A framework, with the tasks and executors {@code filter}'s reader may view. */
  static ObjectNode framework(MasterContext ctx, Framework framework, StateFilter filter) {
    return framework(ctx, framework, filter, Used.of(ctx, framework));
  }

  /** {@link #framework(MasterContext, Framework, StateFilter)} with its used resources given. */
  @SuppressWarnings("deprecation") // Mesos still renders the deprecated FrameworkInfo.role.
  static ObjectNode framework(MasterContext ctx, Framework framework, StateFilter filter, ResourceSums used) {
    FrameworkInfo info = framework.info();
    ObjectNode node = F.objectNode();
    node.put("id", framework.id().getValue());
    node.put("name", info.getName());
    node.put("user", info.getUser());
    if (!io.jmesos.allocator.FrameworkRoles.isMultiRole(info)) {
      node.put("role", info.getRole());
    }
    ArrayNode roles = node.putArray("roles");
    framework.roles().forEach(roles::add);
    node.put("active", framework.active());
    node.put("connected", framework.connected());
    node.put("recovered", framework.lifecycle() == FrameworkLifecycle.RECOVERED);
    node.put("hostname", info.getHostname());
    node.put("webui_url", info.getWebuiUrl());
    node.put("failover_timeout", info.getFailoverTimeout());
    node.put("checkpoint", info.getCheckpoint());
    if (info.hasPrincipal()) {
      node.put("principal", info.getPrincipal());
    }
    ArrayNode capabilities = node.putArray("capabilities");
    info.getCapabilitiesList().forEach(c -> capabilities.add(c.getType().name()));
    node.put("registered_time", framework.registeredTime);
    node.put("unregistered_time", framework.unregisteredTime);
    if (framework.reregisteredTime > 0) {
      node.put("reregistered_time", framework.reregisteredTime);
    }
    Resources offered = ctx.offers.offeredTo(framework);
    ObjectNode allocated = used.plus(offered).json();
    node.set("resources", allocated);
    node.set("allocated_resources", allocated.deepCopy());
    node.set("used_resources", used.json());
    node.set("offered_resources", StateModels.resources(offered));
    // Snapshots of the tasks, written out as JSON off the actor (TaskArray).
    node.putPOJO("tasks", TaskArray.of(framework.tasks.values().stream().filter(t -> filter.task(t, info))));
    node.putPOJO("unreachable_tasks", TaskArray.of(framework.unreachableTasks.values().stream()
        .filter(t -> filter.task(t, info))));
    node.putPOJO("completed_tasks", TaskArray.of(framework.completedTasks.stream()
        .filter(t -> filter.task(t, info))));
    ArrayNode offers = node.putArray("offers");
    for (OfferID id : framework.offers) {
      Offer offer = ctx.state.offers.get(id);
      if (offer != null) {
        offers.add(offer(offer));
      }
    }
    ArrayNode executors = node.putArray("executors");
    for (Agent agent : ctx.state.agents.values()) {
      for (ExecutorInfo executor : agent.executors.getOrDefault(framework.id(), Map.of()).values()) {
        if (!filter.executor(executor, info)) {
          continue;
        }
        executors.add(executor(executor).put("slave_id", agent.id().getValue()));
      }
    }
    if (info.hasLabels()) {
      node.set("labels", MesosJson.toTree(info.getLabels()).get("labels"));
    }
    return node;
  }

  /** Mesos' {@code json(ExecutorInfo)}: a custom executor the master knows of on an agent. */
  static ObjectNode executor(ExecutorInfo executor) {
    ObjectNode node = F.objectNode();
    node.put("executor_id", executor.getExecutorId().getValue());
    node.put("name", executor.getName());
    node.put("framework_id", executor.getFrameworkId().getValue());
    node.set("command", MesosJson.toTree(executor.getCommand()));
    node.set("resources", StateModels.resources(Resources.of(executor.getResourcesList())));
    if (executor.getResourcesCount() > 0) {
      node.put("role", executor.getResources(0).getAllocationInfo().getRole());
    }
    if (executor.hasLabels()) {
      node.set("labels", MesosJson.toTree(executor.getLabels()));
    }
    if (executor.hasType()) {
      node.put("type", executor.getType().name());
    }
    return node;
  }

  private static ObjectNode offer(Offer offer) {
    ObjectNode node = F.objectNode();
    node.put("id", offer.getId().getValue());
    node.put("framework_id", offer.getFrameworkId().getValue());
    node.put("slave_id", offer.getSlaveId().getValue());
    node.set("resources", StateModels.resources(Resources.of(offer.getResourcesList())));
    node.set("allocation_info", MesosJson.toTree(offer.getAllocationInfo()));
    return node;
  }

  /**
   * An agent as {@code /slaves} shows it: {@link #agent} plus the full JSON of its reserved (by role),
   * unreserved, used and offered resources, in the endpoint format (Mesos' {@code SlavesWriter::writeSlave}), so
   * that operators can name them to /unreserve and /destroy-volumes.
   */
  static ObjectNode agentFull(MasterContext ctx, Agent agent) {
    return agentFull(ctx, agent, StateFilter.ALL);
  }

  /** {@link #agentFull} with only what {@code filter}'s reader may view of roles (view_roles), as Mesos. */
  static ObjectNode agentFull(MasterContext ctx, Agent agent, StateFilter filter) {
    ObjectNode node = agent(ctx, agent, filter);
    Resources total = agent.total();
    Map<String, Resources> byRole = new TreeMap<>();
    for (Resource r : total.reserved()) {
      if (filter.role(Resources.reservationRole(r))) {
        byRole.merge(Resources.reservationRole(r), Resources.of(r), Resources::plus);
      }
    }
    ObjectNode reserved = node.putObject("reserved_resources_full");
    byRole.forEach((role, r) -> reserved.set(role, full(r)));
    node.set("unreserved_resources_full", full(total.unreserved()));
    Resources used = Resources.empty();
    for (Resources r : ctx.frameworks.usedOn(agent).values()) {
      used = used.plus(r);
    }
    node.set("used_resources_full", full(filter.resources(used)));
    node.set("offered_resources_full", full(filter.resources(ctx.offers.offeredOn(agent))));
    return node;
  }

  private static com.fasterxml.jackson.databind.node.ArrayNode full(Resources resources) {
    com.fasterxml.jackson.databind.node.ArrayNode array = F.arrayNode();
    for (Resource r : resources) {
      array.add(io.jmesos.json.MesosJson.toTree(io.jmesos.resources.ResourceFormats.endpoint(r)));
    }
    return array;
  }

  /** Reservations by role, for {@code reserved_resources}. */
  private static ObjectNode reservedByRole(Resources resources, StateFilter filter) {
    Map<String, Resources> byRole = new TreeMap<>();
    for (Resource r : resources.reserved()) {
      if (filter.role(Resources.reservationRole(r))) {
        byRole.merge(Resources.reservationRole(r), Resources.of(r), Resources::plus);
      }
    }
    ObjectNode node = F.objectNode();
    byRole.forEach((role, r) -> node.set(role, StateModels.resources(r)));
    return node;
  }

  /**
   * The resources in use, per agent and per framework, summed in one pass ({@link
   * io.jmesos.master.state.MasterState#forEachUsed}, what {@code TaskManager.usedOn} counts one agent and framework
   * at a time), for one document built on the actor.
   */
  static final class Used {
    private final Map<String, ResourceSums> byAgent = new HashMap<>();
    private final Map<FrameworkID, ResourceSums> byFramework = new HashMap<>();

    private Used() {}

    /** The sums for every agent and every registered framework. */
    static Used of(MasterContext ctx) {
      Used used = new Used();
      ctx.state.frameworks.keySet().forEach(id -> used.byFramework.put(id, new ResourceSums()));
      ctx.state.forEachUsed((agent, framework, resources) -> {
        used.byFramework.get(framework.id()).add(resources);
        used.byAgent.computeIfAbsent(agent.getValue(), id -> new ResourceSums()).add(resources);
      });
      return used;
    }

    /** The sums of one framework, registered or not (a completed one). */
    static ResourceSums of(MasterContext ctx, Framework framework) {
      ResourceSums sums = new ResourceSums();
      for (Task task : framework.tasks.values()) {
        if (!TaskStates.isTerminal(task.getState())) {
          sums.add(task.getResourcesList());
        }
      }
      for (Agent agent : ctx.state.agents.values()) {
        for (ExecutorInfo executor : agent.executors.getOrDefault(framework.id(), Map.of()).values()) {
          sums.add(executor.getResourcesList());
        }
      }
      return sums;
    }

    /** The {@code used_resources} object of {@code agent}. */
    ObjectNode onAgent(Agent agent) {
      ResourceSums sums = byAgent.get(agent.id().getValue());
      return (sums == null ? new ResourceSums() : sums).json();
    }

    ResourceSums byFramework(MasterContext ctx, Framework framework) {
      ResourceSums sums = byFramework.get(framework.id());
      return sums != null ? sums : of(ctx, framework);
    }
  }
}
