package io.jmesos.master.state;

import io.jmesos.allocator.Quota;
import io.jmesos.protocol.TaskStates;
import io.jmesos.transport.Connection;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;

/**
 * Everything the master knows, in one place, and the id schemes Mesos uses: frameworks
 * {@code <master-id>-0000}, agents {@code <master-id>-S0}, offers {@code <master-id>-O0}. Owned by the master's
 * actor; not thread-safe.
 */
public final class MasterState {
  public final MasterInfo info;
  public final double startTime;
  public final Map<FrameworkID, Framework> frameworks = new LinkedHashMap<>();
  public final Deque<Framework> completedFrameworks = new ArrayDeque<>();
  public final Set<FrameworkID> completedFrameworkIds = new HashSet<>();
  public final Map<SlaveID, Agent> agents = new LinkedHashMap<>();
  public final Map<Long, SlaveID> agentsByConnection = new HashMap<>();
  /** Agents marked unreachable, with the time (seconds) they were marked, oldest first. */
  public final Map<SlaveID, Double> unreachableAgents = new LinkedHashMap<>();
  /** Agents the operator marked gone, with the time (seconds): never admitted again. */
  public final Map<SlaveID, Double> goneAgents = new LinkedHashMap<>();
  /** Agents known from the registry after a master failover that have not re-registered yet. */
  public final Map<SlaveID, SlaveInfo> recoveredAgents = new LinkedHashMap<>();
  /** Agents the operator deactivated (registered, recovered or unreachable), as the registry keeps them. */
  public final java.util.Set<SlaveID> deactivatedAgents = new java.util.HashSet<>();
  /**
   * Machines in maintenance (DRAINING: in the schedule; DOWN: brought down), as the registry keeps them; a
   * machine not here is UP.
   */
  public final Map<org.apache.mesos.v1.Protos.MachineID, org.apache.mesos.v1.Protos.MachineInfo> machines =
      new LinkedHashMap<>();
  /** The maintenance schedule (Mesos keeps at most one); empty when none. */
  public org.apache.mesos.v1.maintenance.Protos.Schedule schedule =
      org.apache.mesos.v1.maintenance.Protos.Schedule.getDefaultInstance();
  /** Agents the operator drains (DRAIN_AGENT), registered, recovered or unreachable, as the registry keeps them. */
  public final Map<SlaveID, org.apache.mesos.Protos.DrainInfo> draining = new HashMap<>();
  /** Agents whose move to unreachable is being written to the registry (re-registrations are dropped). */
  public final Set<SlaveID> markingUnreachable = new HashSet<>();
  /** Agents whose move to gone is being written to the registry. */
  public final Set<SlaveID> markingGone = new HashSet<>();
  /** Agents whose removal (unregistration) is being written to the registry. */
  public final Set<SlaveID> removing = new HashSet<>();
  /** Agents whose re-admission is being written to the registry (duplicate re-registrations are dropped). */
  public final Set<SlaveID> reregistering = new HashSet<>();
  /**
   * True once this master recovered the registry as the leader: until then it admits no agent and serves no
   * framework (Mesos' {@code Master::recovered}).
   */
  public boolean recovered;
  public final Map<OfferID, Offer> offers = new LinkedHashMap<>();
  public final Metrics metrics = new Metrics();
  /** Role weights set by --weights or the operator; a role missing here weighs 1. Sorted by role. */
  public final Map<String, Double> weights = new TreeMap<>();
  /** Role quotas set by the operator (roles without quota are absent). Sorted by role. */
  public final Map<String, Quota> quotas = new TreeMap<>();
  private long nextFrameworkId;
  private long nextAgentId;
  private long nextOfferId;

  public MasterState(MasterInfo info, double startTime) {
    this.info = info;
    this.startTime = startTime;
  }

  public FrameworkID newFrameworkId() {
    return FrameworkID.newBuilder().setValue(String.format("%s-%04d", info.getId(), nextFrameworkId++)).build();
  }

  public SlaveID newAgentId() {
    return SlaveID.newBuilder().setValue(info.getId() + "-S" + nextAgentId++).build();
  }

  public OfferID newOfferId() {
    return OfferID.newBuilder().setValue(info.getId() + "-O" + nextOfferId++).build();
  }

  public Agent agentOn(Connection connection) {
    SlaveID id = agentsByConnection.get(connection.id());
    return id == null ? null : agents.get(id);
  }

  public void completeFramework(Framework framework, int maxCompleted) {
    if (framework.lifecycle() != FrameworkLifecycle.COMPLETED) {
      throw new IllegalStateException("Framework " + framework + " is " + framework.lifecycle());
    }
    frameworks.remove(framework.id());
    completedFrameworks.addLast(framework);
    completedFrameworkIds.add(framework.id());
    while (completedFrameworks.size() > maxCompleted) {
      completedFrameworkIds.remove(completedFrameworks.removeFirst().id());
    }
  }

  /**
   * Visits the resources in use on the agents, as {@code TaskManager.usedOn} counts them, in one pass: each live
   * task of a registered framework, and each executor that a registered framework has on an agent. For sums over
   * the whole cluster (the metrics, {@code /state}) without a pass per agent and framework.
   */
  public void forEachUsed(UsedResources visitor) {
    for (Framework framework : frameworks.values()) {
      for (Task task : framework.tasks.values()) {
        if (!TaskStates.isTerminal(task.getState())) {
          visitor.used(task.getSlaveId(), framework, task.getResourcesList());
        }
      }
    }
    for (Agent agent : agents.values()) {
      agent.executors.forEach((frameworkId, executors) -> {
        Framework framework = frameworks.get(frameworkId);
        if (framework != null) {
          for (ExecutorInfo executor : executors.values()) {
            visitor.used(agent.id(), framework, executor.getResourcesList());
          }
        }
      });
    }
  }

  /** What {@link #forEachUsed} visits: resources in use on an agent, counted against a framework. */
  @FunctionalInterface
  public interface UsedResources {
    void used(SlaveID agent, Framework framework, List<Resource> resources);
  }
}
