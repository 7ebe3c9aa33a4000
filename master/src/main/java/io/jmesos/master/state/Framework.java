package io.jmesos.master.state;

import io.jmesos.actor.Clock;
import io.jmesos.allocator.FrameworkRoles;
import io.jmesos.protocol.TaskStates;
import io.jmesos.resources.Resources;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
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
 * A framework as the master knows it: its info, its lifecycle ({@link FrameworkLifecycle}) and scheduler
 * connection, its tasks (live, unreachable and recently completed: each task is in exactly one of the three) and
 * its outstanding offers. Owned by the master's actor.
 */
public final class Framework {
  private final FrameworkID id;
  private FrameworkInfo info;
  private FrameworkLifecycle lifecycle;
  private SchedulerConnection connection;
  public double registeredTime;
  public double reregisteredTime;
  public double unregisteredTime;
  public Clock.Timer failoverTimer;
  /** Live tasks, also indexed by agent. */
  public final TaskTable tasks = new TaskTable();
  /** Tasks on agents marked unreachable, oldest first, bounded by --max_unreachable_tasks_per_framework. */
  public final Map<TaskID, Task> unreachableTasks = new LinkedHashMap<>();
  public final Deque<Task> completedTasks = new ArrayDeque<>();
  public final Set<OfferID> offers = new LinkedHashSet<>();
  public final Set<String> suppressedRoles = new LinkedHashSet<>();

  /** A framework that starts {@code ACTIVE} (subscribed) or {@code RECOVERED} (learnt from an agent). */
  public Framework(FrameworkID id, FrameworkInfo info, FrameworkLifecycle initial) {
    if (initial != FrameworkLifecycle.ACTIVE && initial != FrameworkLifecycle.RECOVERED) {
      throw new IllegalArgumentException("A framework starts ACTIVE or RECOVERED, not " + initial);
    }
    this.id = id;
    this.info = info.toBuilder().setId(id).build();
    this.lifecycle = initial;
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

  public FrameworkLifecycle lifecycle() {
    return lifecycle;
  }

  private void transition(FrameworkLifecycle next) {
    if (!lifecycle.canMoveTo(next)) {
      throw new IllegalStateException("Framework " + id.getValue() + " cannot move from " + lifecycle + " to "
          + next);
    }
    lifecycle = next;
  }

  /** Subscribed (first time, after a disconnection, or failed over onto a new stream). */
  public void connect(SchedulerConnection connection) {
    transition(FrameworkLifecycle.ACTIVE);
    this.connection = connection;
  }

  /** The stream broke. */
  public void disconnect() {
    transition(FrameworkLifecycle.DISCONNECTED);
    connection = null;
  }

  /** Torn down; returns the stream that was open, if any, for the caller to close. */
  public SchedulerConnection complete() {
    transition(FrameworkLifecycle.COMPLETED);
    SchedulerConnection open = connection;
    connection = null;
    return open;
  }

  /** The subscriber's event stream; null unless ACTIVE. */
  public SchedulerConnection connection() {
    return connection;
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

  /** Mesos' {@code active}: subscribed and offered. */
  public boolean active() {
    return lifecycle == FrameworkLifecycle.ACTIVE;
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

  /** Moves a live task to the bounded list of completed tasks. */
  public void complete(Task task, int maxCompleted) {
    tasks.remove(task.getTaskId());
    completedTasks.addLast(task);
    while (completedTasks.size() > maxCompleted) {
      completedTasks.removeFirst();
    }
  }

  /** Moves a live task to the bounded unreachable tasks (its agent was marked unreachable). */
  public void unreachable(Task task, int maxUnreachable) {
    tasks.remove(task.getTaskId());
    unreachableTasks.put(task.getTaskId(), task);
    Iterator<TaskID> oldest = unreachableTasks.keySet().iterator();
    while (unreachableTasks.size() > maxUnreachable && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /**
   * A task comes back live from a re-registering agent: it leaves the unreachable and completed tasks (the master
   * may have declared it terminal while the agent kept running it, Mesos' MESOS-9940) and is live again.
   */
  public void readd(Task task) {
    unreachableTasks.remove(task.getTaskId());
    completedTasks.removeIf(t -> t.getTaskId().equals(task.getTaskId()));
    tasks.put(task.getTaskId(), task);
  }

  @Override
  public String toString() {
    return id.getValue() + " (" + info.getName() + ")";
  }
}
