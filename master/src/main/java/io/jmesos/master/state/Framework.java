package io.jmesos.master.state;

import io.jmesos.actor.Clock;
import io.jmesos.allocator.FrameworkRoles;
import io.jmesos.protocol.TaskStates;
import io.jmesos.resources.Resources;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;

/**
 * A framework as the master knows it: its info, its scheduler connection (null while disconnected), its tasks
 * (live and recently completed) and its outstanding offers. Owned by the master's actor.
 */
public final class Framework {
  private final FrameworkID id;
  private FrameworkInfo info;
  /** The subscriber's event stream; null while disconnected. */
  public SchedulerConnection connection;
  public boolean active;
  public double registeredTime;
  public double reregisteredTime;
  public double unregisteredTime;
  public Clock.Timer failoverTimer;
  public final Map<TaskID, Task> tasks = new LinkedHashMap<>();
  public final Deque<Task> completedTasks = new ArrayDeque<>();
  public final Set<OfferID> offers = new LinkedHashSet<>();
  public final Set<String> suppressedRoles = new LinkedHashSet<>();

  public Framework(FrameworkID id, FrameworkInfo info) {
    this.id = id;
    this.info = info.toBuilder().setId(id).build();
  }

  public FrameworkID id() {
    return id;
  }

  public FrameworkInfo info() {
    return info;
  }

  public void info(FrameworkInfo info) {
    this.info = info.toBuilder().setId(id).build();
  }

  public Set<String> roles() {
    return FrameworkRoles.of(info);
  }

  public boolean partitionAware() {
    return FrameworkRoles.hasCapability(info, FrameworkInfo.Capability.Type.PARTITION_AWARE);
  }

  public boolean connected() {
    return connection != null;
  }

  /** Resources of its tasks that are not terminal yet. */
  public Resources usedResources() {
    Resources used = Resources.empty();
    for (Task task : tasks.values()) {
      if (!TaskStates.isTerminal(task.getState())) {
        used = used.plus(Resources.of(task.getResourcesList()));
      }
    }
    return used;
  }

  /** Moves a task to the bounded list of completed tasks. */
  public void complete(Task task, int maxCompleted) {
    tasks.remove(task.getTaskId());
    completedTasks.addLast(task);
    while (completedTasks.size() > maxCompleted) {
      completedTasks.removeFirst();
    }
  }

  @Override
  public String toString() {
    return id.getValue() + " (" + info.getName() + ")";
  }
}
