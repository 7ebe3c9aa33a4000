package io.jmesos.master.state;

import com.google.protobuf.Message;
import io.jmesos.actor.Clock;
import io.jmesos.master.operations.Conversions;
import io.jmesos.resources.Resources;
import io.jmesos.transport.Connection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.TaskID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An admitted agent: its info and total resources, its lifecycle ({@link AgentLifecycle}) and connection, the
 * executors running on it, its outstanding offers, the kills it has not been able to receive, and its
 * health-check and re-registration timers. Owned by the master's actor.
 */
public final class Agent {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private final SlaveID id;
  private AgentLifecycle lifecycle = AgentLifecycle.REGISTERING;
  private Connection connection;
  public SlaveInfo info;
  public String pid;
  public String version;
  /**
   * The principal the agent authenticated as on the connection it (re-)registered on; null if it did not
   * authenticate. For authorization of {@code register_agents}.
   */
  public String principal;
  public double registeredTime;
  public double reregisteredTime;
  public final Map<FrameworkID, Map<ExecutorID, ExecutorInfo>> executors = new HashMap<>();
  public final Set<OfferID> offers = new LinkedHashSet<>();
  /** Tasks killed while the agent was disconnected: killed again when it re-registers (Mesos' killedTasks). */
  public final Map<FrameworkID, Set<TaskID>> killedTasks = new HashMap<>();
  public boolean pongReceived = true;
  public int missedPings;
  public Clock.Timer pingTimer;
  public Clock.Timer reregistrationTimer;
  /** A removal (unreachable) is waiting for the rate limiter. */
  public boolean removalScheduled;
  /** The operator deactivated it (DEACTIVATE_AGENT): no offers until REACTIVATE_AGENT, connected or not. */
  public boolean deactivated;
  private Resources checkpointed = Resources.empty();
  private Resources total;
  /** The info {@link #total} was computed from; recomputed when the info is replaced. */
  private SlaveInfo totalOf;
  /** When the master last asked it to drain (seconds), for {@code estimated_drain_start_time}; 0 if never. */
  public double estimatedDrainStartTime;

  /** The host (IP) part of an agent pid ({@code slave(1)@10.0.0.1:5051} or {@code 10.0.0.1:5051}); "" for none. */
  public static String hostOf(String pid) {
    if (pid == null) {
      return "";
    }
    int at = pid.lastIndexOf('@');
    String address = at >= 0 ? pid.substring(at + 1) : pid;
    int colon = address.lastIndexOf(':');
    return colon >= 0 ? address.substring(0, colon) : address;
  }

  public Agent(SlaveID id, SlaveInfo info) {
    this.id = id;
    this.info = info.toBuilder().setId(id).build();
  }

  public SlaveID id() {
    return id;
  }

  public AgentLifecycle lifecycle() {
    return lifecycle;
  }

  /** Moves to {@code next}; an illegal transition is a bug and throws. */
  public void transition(AgentLifecycle next) {
    if (!lifecycle.canMoveTo(next)) {
      throw new IllegalStateException("Agent " + id.getValue() + " cannot move from " + lifecycle + " to " + next);
    }
    lifecycle = next;
  }

  /** Admits the agent on {@code connection} (first registration or re-registration). */
  public void admit(Connection connection) {
    transition(AgentLifecycle.REGISTERED);
    this.connection = connection;
  }

  /** The connection broke: the agent stays admitted but is not offered until it re-registers. */
  public void disconnect() {
    transition(AgentLifecycle.DISCONNECTED);
    connection = null;
  }

  /** Moves to a final state (UNREACHABLE, GONE, REMOVED) and forgets the connection. */
  public void finish(AgentLifecycle end) {
    transition(end);
    connection = null;
  }

  public Connection connection() {
    return connection;
  }

  /**
   * The agent's total: its declared resources with its dynamic reservations and persistent volumes in place
   * (Mesos' {@code Slave::totalResources}).
   */
  public Resources total() {
    if (totalOf != info) {
      try {
        total = Conversions.applyCheckpointed(Resources.of(info.getResourcesList()), checkpointed);
      } catch (Conversions.ConversionException e) {
        LOG.warn("Agent {} checkpointed resources do not fit its resources: {}", id.getValue(), e.getMessage());
        total = Resources.of(info.getResourcesList());
      }
      totalOf = info;
    }
    return total;
  }

  /** Dynamic reservations and persistent volumes (Mesos' {@code checkpointedResources}). */
  public Resources checkpointed() {
    return checkpointed;
  }

  /** Replaces the checkpointed resources (as the agent reported them); the total follows. */
  public void checkpointed(Resources resources) {
    checkpointed = resources.stripAllocationInfo();
    totalOf = null;
  }

  /** A speculative operation changed the total (Mesos' {@code Slave::apply}); the checkpointed ones follow. */
  public void applied(Resources newTotal) {
    total = newTotal.stripAllocationInfo();
    totalOf = info;
    checkpointed = total.filter(Conversions::needsCheckpointing);
  }

  /** Registered on a live connection: offered, pinged, sent messages. */
  public boolean connected() {
    return lifecycle == AgentLifecycle.REGISTERED && connection != null;
  }

  /** Mesos' {@code active}: offered by the allocator (no deactivation for maintenance exists yet). */
  /** Connected and not deactivated by the operator: what Mesos calls an active agent (it gets offers). */
  public boolean active() {
    return connected() && !deactivated;
  }

  /** Sends to the agent; false (and nothing sent) when it is not connected. */
  public boolean send(Message message) {
    if (!connected()) {
      return false;
    }
    connection.send(message);
    return true;
  }

  public boolean hasExecutor(FrameworkID frameworkId, ExecutorID executorId) {
    return executors.getOrDefault(frameworkId, Map.of()).containsKey(executorId);
  }

  public ExecutorInfo executor(FrameworkID frameworkId, ExecutorID executorId) {
    return executors.getOrDefault(frameworkId, Map.of()).get(executorId);
  }

  public void addExecutor(FrameworkID frameworkId, ExecutorInfo executor) {
    executors.computeIfAbsent(frameworkId, k -> new HashMap<>()).put(executor.getExecutorId(), executor);
  }

  public ExecutorInfo removeExecutor(FrameworkID frameworkId, ExecutorID executorId) {
    Map<ExecutorID, ExecutorInfo> byId = executors.get(frameworkId);
    if (byId == null) {
      return null;
    }
    ExecutorInfo removed = byId.remove(executorId);
    if (byId.isEmpty()) {
      executors.remove(frameworkId);
    }
    return removed;
  }

  /** Resources of the executors of one framework on this agent. */
  public Resources executorResources(FrameworkID frameworkId) {
    Resources sum = Resources.empty();
    for (ExecutorInfo executor : executors.getOrDefault(frameworkId, Map.of()).values()) {
      sum = sum.plus(Resources.of(executor.getResourcesList()));
    }
    return sum;
  }

  public void killed(FrameworkID frameworkId, TaskID taskId) {
    killedTasks.computeIfAbsent(frameworkId, k -> new HashSet<>()).add(taskId);
  }

  public boolean wasKilled(FrameworkID frameworkId, TaskID taskId) {
    return killedTasks.getOrDefault(frameworkId, Set.of()).contains(taskId);
  }

  @Override
  public String toString() {
    return id.getValue() + " at " + pid + " (" + info.getHostname() + ")";
  }
}
