package io.jmesos.agent.executors;

import io.jmesos.actor.Clock;
import io.jmesos.agent.containers.Container;
import io.jmesos.resources.Resources;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.HashSet;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Event;

/**
 * One executor on this agent and its tasks, as Mesos' {@code Slave::Executor}: tasks queued until the
 * executor subscribes, launched tasks with their latest state, terminated tasks whose terminal update is not
 * yet acknowledged, and a bounded history of completed tasks. Its lifecycle is a strict state machine.
 *
 * <p>Not thread-safe: owned by the agent's actor.
 */
public final class ExecutorState {
  static final int MAX_COMPLETED_TASKS = 1000;

  /** REGISTERING -> RUNNING -> TERMINATING -> TERMINATED; any live state may jump to TERMINATED. */
  public enum State { REGISTERING, RUNNING, TERMINATING, TERMINATED }

  private final ExecutorInfo info;
  private final FrameworkID frameworkId;
  private final boolean commandExecutor;
  private final Container container;
  private State state = State.REGISTERING;

  final List<PendingLaunch> queued = new ArrayList<>();
  final Map<TaskID, Task> launched = new LinkedHashMap<>();
  final Map<TaskID, Task> terminated = new LinkedHashMap<>();
  final ArrayDeque<Task> completed = new ArrayDeque<>();
  final Set<TaskID> killRequested = new HashSet<>();

  ExecutorChannel channel;
  /** True for an executor recovered from the checkpoint when the agent restarted. */
  boolean recovered;
  /** The in-agent command executor under {@code --command_executor=embedded}, else null. */
  EmbeddedCommandExecutor embedded;
  /** The in-agent default executor of an executor of type DEFAULT, else null. */
  EmbeddedDefaultExecutor defaultExecutor;
  Clock.Timer registrationTimer;
  Clock.Timer shutdownTimer;
  Clock.Timer heartbeatTimer;

  /** Why the executor is going away, used for the updates of tasks that die with it. */
  TaskState terminationState;
  TaskStatus.Reason terminationReason;
  String terminationMessage;
  Integer exitStatus;
  /** The resource limitation the container hit, once the agent acted on it. */
  io.jmesos.agent.containers.Limitation limitation;

  ExecutorState(ExecutorInfo info, boolean commandExecutor, Container container) {
    this.info = Objects.requireNonNull(info, "info");
    this.frameworkId = info.getFrameworkId();
    this.commandExecutor = commandExecutor;
    this.container = Objects.requireNonNull(container, "container");
  }

  public ExecutorInfo info() {
    return info;
  }

  public ExecutorID id() {
    return info.getExecutorId();
  }

  public FrameworkID frameworkId() {
    return frameworkId;
  }

  /** True for the executor the agent made up to run a command task. */
  public boolean isCommandExecutor() {
    return commandExecutor;
  }

  public Container container() {
    return container;
  }

  public State state() {
    return state;
  }

  void transition(State next) {
    boolean legal;
    switch (next) {
      case RUNNING:
        legal = state == State.REGISTERING;
        break;
      case TERMINATING:
        legal = state == State.REGISTERING || state == State.RUNNING;
        break;
      case TERMINATED:
        legal = state != State.TERMINATED;
        break;
      default:
        legal = false;
    }
    if (!legal) {
      throw new IllegalStateException("Executor " + id().getValue() + " cannot go from " + state + " to " + next);
    }
    state = next;
  }

  /** Tasks not yet handed to the executor. */
  public List<TaskInfo> queuedTasks() {
    List<TaskInfo> tasks = new ArrayList<>();
    queued.forEach(p -> tasks.addAll(p.tasks().getTasksList()));
    return tasks;
  }

  /** Launched tasks that are still live, and terminated ones whose terminal update awaits its ack. */
  public Collection<Task> launchedTasks() {
    List<Task> all = new ArrayList<>(launched.values());
    all.addAll(terminated.values());
    return all;
  }

  /** Launched tasks that are still live (Mesos' {@code launchedTasks}). */
  public Collection<Task> liveTasks() {
    return List.copyOf(launched.values());
  }

  /** Tasks whose terminal update awaits its acknowledgement (Mesos' {@code terminatedTasks}). */
  public Collection<Task> terminatedTasks() {
    return List.copyOf(terminated.values());
  }

  public Collection<Task> completedTasks() {
    return completed;
  }

  boolean hasTask(TaskID taskId) {
    return launched.containsKey(taskId) || terminated.containsKey(taskId) || queuedTask(taskId) != null;
  }

  TaskInfo queuedTask(TaskID taskId) {
    for (PendingLaunch p : queued) {
      for (TaskInfo t : p.tasks().getTasksList()) {
        if (t.getTaskId().equals(taskId)) {
          return t;
        }
      }
    }
    return null;
  }

  /** Removes a queued task; a group loses that member (and disappears once empty). */
  TaskInfo removeQueued(TaskID taskId) {
    for (Iterator<PendingLaunch> it = queued.iterator(); it.hasNext(); ) {
      PendingLaunch p = it.next();
      for (TaskInfo t : p.tasks().getTasksList()) {
        if (t.getTaskId().equals(taskId)) {
          it.remove();
          List<TaskInfo> rest = new ArrayList<>(p.tasks().getTasksList());
          rest.remove(t);
          if (!rest.isEmpty()) {
            queued.add(new PendingLaunch(
                p.tasks().toBuilder().clearTasks().addAllTasks(rest).build(), p.group()));
          }
          return t;
        }
      }
    }
    return null;
  }

  /** True when no task of this executor still needs an acknowledgement or a launch. */
  boolean isIdle() {
    return queued.isEmpty() && launched.isEmpty() && terminated.isEmpty();
  }

  void complete(Task task) {
    completed.addLast(task);
    while (completed.size() > MAX_COMPLETED_TASKS) {
      completed.pollFirst();
    }
  }

  /** The executor's resources plus those of its live and queued tasks. */
  public Resources allocated() {
    Resources total = Resources.of(info.getResourcesList());
    for (Task t : launched.values()) {
      total = total.plus(Resources.of(t.getResourcesList()));
    }
    for (TaskInfo t : queuedTasks()) {
      total = total.plus(Resources.of(t.getResourcesList()));
    }
    return total;
  }

  /** Sends an event on the executor's stream, or logs why it cannot. */
  void send(Event event) {
    if (channel != null && channel.isOpen()) {
      channel.send(event);
    } else {
      org.slf4j.LoggerFactory.getLogger(ExecutorState.class)
          .warn("Cannot send {} to {}: it has no open event stream", event.getType(), this);
    }
  }

  @Override
  public String toString() {
    return "executor " + id().getValue() + " of framework " + frameworkId.getValue();
  }
}
