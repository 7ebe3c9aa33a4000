package io.jmesos.master.http;

import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.FrameworkLifecycle;
import io.jmesos.protocol.Evolve;
import io.jmesos.resources.ResourceFormats;
import io.jmesos.resources.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.master.Protos.Response.GetAgents;
import org.apache.mesos.v1.master.Protos.Response.GetExecutors;
import org.apache.mesos.v1.master.Protos.Response.GetFrameworks;
import org.apache.mesos.v1.master.Protos.Response.GetState;
import org.apache.mesos.v1.master.Protos.Response.GetTasks;
import org.apache.mesos.v1.scheduler.Protos.OfferConstraints;

/**
 * The operator API's views of agents, frameworks, executors and tasks, built from the master's state as Mesos
 * 1.11's {@code ReadOnlyHandler} builds them: agents and frameworks with their resources in the "endpoint"
 * format, tasks and executors as the master keeps them (post-reservation-refinement format), each view limited to
 * what one reader may see ({@link #filtered}). Used only on the master's actor.
 */
final class OperatorState {
  private final MasterContext ctx;
  private final StateFilter filter;

  OperatorState(MasterContext ctx) {
    this(ctx, StateFilter.ALL);
  }

  private OperatorState(MasterContext ctx, StateFilter filter) {
    this.ctx = ctx;
    this.filter = filter;
  }

  /** These views as {@code filter}'s reader may see them (Mesos' view_frameworks, view_tasks, view_executors). */
  OperatorState filtered(StateFilter filter) {
    return new OperatorState(ctx, filter);
  }

  GetState state() {
    return GetState.newBuilder()
        .setGetTasks(tasks())
        .setGetExecutors(executors())
        .setGetFrameworks(frameworks())
        .setGetAgents(agents())
        .build();
  }

  /** Registered agents (connected or not), then agents recovered from the registry that are not back yet. */
  GetAgents agents() {
    ctx.actor.assertInActorThread();
    GetAgents.Builder agents = GetAgents.newBuilder();
    for (Agent agent : ctx.state.agents.values()) {
      agents.addAgents(agent(agent));
    }
    ctx.state.recoveredAgents.values().forEach(a -> agents.addRecoveredAgents(v1(a.toBuilder().clearResources()
        .addAllResources(viewable(a.getResourcesList())).build(), AgentInfo.parser())));
    return agents.build();
  }

  /** An agent, with only the resources of roles the reader may view (view_roles), as Mesos. */
  GetAgents.Agent agent(Agent agent) {
    SlaveInfo info = agent.info.toBuilder().clearResources()
        .addAllResources(ResourceFormats.post(viewable(agent.info.getResourcesList()))).build();
    Resources allocated = Resources.empty();
    for (Resources used : ctx.frameworks.usedOn(agent).values()) {
      allocated = allocated.plus(used);
    }
    GetAgents.Agent.Builder builder = GetAgents.Agent.newBuilder()
        .setAgentInfo(v1(info, AgentInfo.parser()))
        .setActive(agent.active())
        .setDeactivated(agent.deactivated)
        .setVersion(agent.version == null ? "" : agent.version)
        .setPid("slave(1)@" + agent.pid)
        .setRegisteredTime(time(agent.registeredTime))
        .addAllTotalResources(endpoint(filter.resources(agent.total())))
        .addAllAllocatedResources(endpoint(filter.resources(allocated)))
        .addAllOfferedResources(endpoint(filter.resources(ctx.offers.offeredOn(agent))));
    if (agent.reregisteredTime > 0) {
      builder.setReregisteredTime(time(agent.reregisteredTime));
    }
    ctx.draining.drainInfo(agent.id()).ifPresent(drain -> {
      builder.setDrainInfo(v1(drain, org.apache.mesos.v1.Protos.DrainInfo.parser()));
      if (agent.estimatedDrainStartTime > 0) {
        builder.setEstimatedDrainStartTime(time(agent.estimatedDrainStartTime));
      }
    });
    return builder.build();
  }

  /** The resources of {@code resources} the reader may view, in their order. */
  private List<org.apache.mesos.Protos.Resource> viewable(List<org.apache.mesos.Protos.Resource> resources) {
    return filter == StateFilter.ALL ? resources
        : resources.stream().filter(filter::resource).collect(java.util.stream.Collectors.toList());
  }

  /** Registered frameworks, then the completed ones the master remembers. */
  GetFrameworks frameworks() {
    ctx.actor.assertInActorThread();
    GetFrameworks.Builder frameworks = GetFrameworks.newBuilder();
    for (Framework framework : ctx.state.frameworks.values()) {
      if (filter.framework(framework.info())) {
        frameworks.addFrameworks(framework(framework));
      }
    }
    for (Framework framework : ctx.state.completedFrameworks) {
      if (filter.framework(framework.info())) {
        frameworks.addCompletedFrameworks(framework(framework));
      }
    }
    return frameworks.build();
  }

  private GetFrameworks.Framework framework(Framework framework) {
    GetFrameworks.Framework.Builder builder = GetFrameworks.Framework.newBuilder()
        .setFrameworkInfo(v1(framework.info(), FrameworkInfo.parser()))
        .setActive(framework.active())
        .setConnected(framework.connected())
        .setRecovered(framework.lifecycle() == FrameworkLifecycle.RECOVERED);
    if (framework.registeredTime != 0) {
      builder.setRegisteredTime(time(framework.registeredTime));
    }
    // Mesos starts a framework with its reregistered time equal to its registered time.
    double reregistered = framework.reregisteredTime > 0 ? framework.reregisteredTime : framework.registeredTime;
    if (reregistered != 0) {
      builder.setReregisteredTime(time(reregistered));
    }
    if (framework.unregisteredTime != 0) {
      builder.setUnregisteredTime(time(framework.unregisteredTime));
    }
    for (OfferID id : framework.offers) {
      org.apache.mesos.Protos.Offer offer = ctx.state.offers.get(id);
      if (offer != null) {
        builder.addOffers(v1(offer, Offer.parser()));
      }
    }
    return builder
        .addAllAllocatedResources(endpoint(used(framework)))
        .addAllOfferedResources(endpoint(ctx.offers.offeredTo(framework)))
        // Mesos always sets the constraints it keeps; jmesos keeps none.
        .setOfferConstraints(OfferConstraints.getDefaultInstance())
        .build();
  }

  /** Executors the master knows (custom executors; command executors are the agent's own), by framework. */
  GetExecutors executors() {
    ctx.actor.assertInActorThread();
    GetExecutors.Builder executors = GetExecutors.newBuilder();
    for (Framework framework : frameworksThenCompleted()) {
      for (Agent agent : ctx.state.agents.values()) {
        AgentID agentId = v1(agent.id(), AgentID.parser());
        for (ExecutorInfo executor : agent.executors.getOrDefault(framework.id(), Map.of()).values()) {
          if (!filter.executor(executor, framework.info())) {
            continue;
          }
          ExecutorInfo post = executor.toBuilder().clearResources()
              .addAllResources(ResourceFormats.post(executor.getResourcesList())).build();
          executors.addExecutors(GetExecutors.Executor.newBuilder()
              .setExecutorInfo(v1(post, org.apache.mesos.v1.Protos.ExecutorInfo.parser()))
              .setAgentId(agentId));
        }
      }
    }
    return executors.build();
  }

  /**
   * Tasks of registered and completed frameworks: live ones, unreachable ones (on agents marked unreachable) and
   * completed ones; each task is in exactly one list. No pending or orphan tasks exist in Mesos 1.11.
   */
  GetTasks tasks() {
    ctx.actor.assertInActorThread();
    GetTasks.Builder tasks = GetTasks.newBuilder();
    for (Framework framework : frameworksThenCompleted()) {
      org.apache.mesos.Protos.FrameworkInfo info = framework.info();
      framework.tasks.values().stream().filter(t -> filter.task(t, info)).forEach(t -> tasks.addTasks(task(t)));
      framework.unreachableTasks.values().stream().filter(t -> filter.task(t, info))
          .forEach(t -> tasks.addUnreachableTasks(task(t)));
      framework.completedTasks.stream().filter(t -> filter.task(t, info))
          .forEach(t -> tasks.addCompletedTasks(task(t)));
    }
    return tasks.build();
  }

  static org.apache.mesos.v1.Protos.Task task(Task task) {
    Task post = task.toBuilder().clearResources().addAllResources(ResourceFormats.post(task.getResourcesList()))
        .build();
    return v1(post, org.apache.mesos.v1.Protos.Task.parser());
  }

  private List<Framework> frameworksThenCompleted() {
    List<Framework> all = new ArrayList<>(ctx.state.frameworks.values());
    all.addAll(ctx.state.completedFrameworks);
    all.removeIf(framework -> !filter.framework(framework.info()));
    return all;
  }

  /** What a framework holds: its live tasks' resources and its executors' (Mesos' totalUsedResources). */
  Resources used(Framework framework) {
    Resources used = framework.usedResources();
    for (Agent agent : ctx.state.agents.values()) {
      used = used.plus(agent.executorResources(framework.id()));
    }
    return used;
  }

  private static List<Resource> endpoint(Resources resources) {
    return Evolve.evolveAllPartial(ResourceFormats.endpoint(resources), Resource.parser());
  }

  static TimeInfo time(double seconds) {
    return TimeInfo.newBuilder().setNanoseconds(Math.round(seconds * 1e9)).build();
  }

  static <T extends Message> T v1(MessageLite v0, Parser<T> parser) {
    return Evolve.evolvePartial(v0, parser);
  }
}
