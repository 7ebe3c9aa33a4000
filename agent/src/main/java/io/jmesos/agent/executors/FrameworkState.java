package io.jmesos.agent.executors;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;

/**
 * A framework with executors on this agent: its info, live executors and a bounded history of completed
 * ones (Mesos' {@code Slave::Framework}).
 *
 * <p>Not thread-safe: owned by the agent's actor.
 */
public final class FrameworkState {
  static final int MAX_COMPLETED_EXECUTORS = 150;

  /** RUNNING until the master shuts the framework down. */
  public enum State { RUNNING, TERMINATING }

  private FrameworkInfo info;
  private State state = State.RUNNING;
  final Map<ExecutorID, ExecutorState> executors = new LinkedHashMap<>();
  final ArrayDeque<ExecutorState> completedExecutors = new ArrayDeque<>();

  FrameworkState(FrameworkInfo info) {
    this.info = Objects.requireNonNull(info, "info");
  }

  public FrameworkID id() {
    return info.getId();
  }

  public FrameworkInfo info() {
    return info;
  }

  void updateInfo(FrameworkInfo info) {
    this.info = info;
  }

  public State state() {
    return state;
  }

  void terminate() {
    state = State.TERMINATING;
  }

  public Collection<ExecutorState> executors() {
    return executors.values();
  }

  public Collection<ExecutorState> completedExecutors() {
    return completedExecutors;
  }

  void completeExecutor(ExecutorState executor) {
    executors.remove(executor.id());
    completedExecutors.addLast(executor);
    while (completedExecutors.size() > MAX_COMPLETED_EXECUTORS) {
      completedExecutors.pollFirst();
    }
  }
}
