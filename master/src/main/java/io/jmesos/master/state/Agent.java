package io.jmesos.master.state;

import io.jmesos.actor.Clock;
import io.jmesos.resources.Resources;
import io.jmesos.transport.Connection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;

/**
 * A registered agent: its info and total resources, its connection (null while disconnected), the executors
 * running on it, its outstanding offers and its health-check state. Owned by the master's actor.
 */
public final class Agent {
  private final SlaveID id;
  public SlaveInfo info;
  public String pid;
  public String version;
  public Connection connection;
  public boolean active = true;
  public double registeredTime;
  public double reregisteredTime;
  public final Map<FrameworkID, Map<ExecutorID, ExecutorInfo>> executors = new HashMap<>();
  public final Set<OfferID> offers = new LinkedHashSet<>();
  public boolean pongReceived = true;
  public int missedPings;
  public Clock.Timer pingTimer;

  public Agent(SlaveID id, SlaveInfo info) {
    this.id = id;
    this.info = info.toBuilder().setId(id).build();
  }

  public SlaveID id() {
    return id;
  }

  public Resources total() {
    return Resources.of(info.getResourcesList());
  }

  public boolean connected() {
    return connection != null;
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

  @Override
  public String toString() {
    return id.getValue() + " at " + pid + " (" + info.getHostname() + ")";
  }
}
