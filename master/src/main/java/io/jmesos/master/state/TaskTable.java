package io.jmesos.master.state;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;

/**
 * A framework's live tasks by id, in insertion order, also indexed by agent (Mesos keeps {@code Slave::tasks} for
 * the same reason): what runs on one agent is found without walking every task of the framework, which matters
 * when thousands of agents re-register at once after a master failover. Changes only through {@link #put},
 * {@link #remove} and {@link #clear}; the views are read-only. Not thread-safe (the master's actor owns it).
 */
public final class TaskTable extends LinkedHashMap<TaskID, Task> {
  private static final long serialVersionUID = 1L;

  private final Map<SlaveID, Map<TaskID, Task>> byAgent = new HashMap<>();

  /** The live tasks on {@code agent}, in the order they were added there; empty when none. */
  public Collection<Task> onAgent(SlaveID agent) {
    Map<TaskID, Task> tasks = byAgent.get(agent);
    return tasks == null ? Collections.emptyList() : Collections.unmodifiableCollection(tasks.values());
  }

  @Override
  public Task put(TaskID id, Task task) {
    Task old = super.put(id, task);
    unindex(old);
    byAgent.computeIfAbsent(task.getSlaveId(), a -> new LinkedHashMap<>()).put(id, task);
    return old;
  }

  @Override
  public Task remove(Object id) {
    Task old = super.remove(id);
    unindex(old);
    return old;
  }

  @Override
  public void clear() {
    super.clear();
    byAgent.clear();
  }

  @Override
  public void putAll(Map<? extends TaskID, ? extends Task> tasks) {
    tasks.forEach(this::put);
  }

  private void unindex(Task old) {
    if (old == null) {
      return;
    }
    Map<TaskID, Task> tasks = byAgent.get(old.getSlaveId());
    if (tasks != null) {
      tasks.remove(old.getTaskId());
      if (tasks.isEmpty()) {
        byAgent.remove(old.getSlaveId());
      }
    }
  }

  @Override
  public Collection<Task> values() {
    return Collections.unmodifiableCollection(super.values());
  }

  @Override
  public Set<TaskID> keySet() {
    return Collections.unmodifiableSet(super.keySet());
  }

  @Override
  public Set<Map.Entry<TaskID, Task>> entrySet() {
    return Collections.unmodifiableSet(super.entrySet());
  }

  @Override
  public Task putIfAbsent(TaskID id, Task task) {
    throw new UnsupportedOperationException("TaskTable changes through put and remove only");
  }

  @Override
  public boolean remove(Object id, Object task) {
    throw new UnsupportedOperationException("TaskTable changes through put and remove only");
  }

  @Override
  public Task replace(TaskID id, Task task) {
    throw new UnsupportedOperationException("TaskTable changes through put and remove only");
  }

  @Override
  public boolean replace(TaskID id, Task oldTask, Task newTask) {
    throw new UnsupportedOperationException("TaskTable changes through put and remove only");
  }

  @Override
  public void replaceAll(BiFunction<? super TaskID, ? super Task, ? extends Task> function) {
    throw new UnsupportedOperationException("TaskTable changes through put and remove only");
  }

  @Override
  public Task computeIfAbsent(TaskID id, Function<? super TaskID, ? extends Task> function) {
    throw new UnsupportedOperationException("TaskTable changes through put and remove only");
  }

  @Override
  public Task computeIfPresent(TaskID id, BiFunction<? super TaskID, ? super Task, ? extends Task> function) {
    throw new UnsupportedOperationException("TaskTable changes through put and remove only");
  }

  @Override
  public Task compute(TaskID id, BiFunction<? super TaskID, ? super Task, ? extends Task> function) {
    throw new UnsupportedOperationException("TaskTable changes through put and remove only");
  }

  @Override
  public Task merge(TaskID id, Task task, BiFunction<? super Task, ? super Task, ? extends Task> function) {
    throw new UnsupportedOperationException("TaskTable changes through put and remove only");
  }
}
