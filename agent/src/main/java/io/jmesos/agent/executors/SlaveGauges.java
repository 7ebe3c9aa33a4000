package io.jmesos.agent.executors;

import io.jmesos.resources.Resources;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskState;

/**
 * The agent's {@code slave/*} metrics about its frameworks, executors, tasks and resources, as Mesos' agent
 * computes them: tasks by state (queued tasks are staging), executors by state, frameworks that are not being
 * shut down, resources by name from the agent's info (total) and from what its live executors hold (used,
 * revocable apart), and the counters of {@link AgentMetrics}. Read on the agent's actor.
 */
public final class SlaveGauges {
  private static final List<String> RESOURCES = List.of("cpus", "gpus", "mem", "disk");

  private SlaveGauges() {}

  /** Puts the metrics into {@code values} by Mesos' names. */
  public static void snapshot(ExecutorManager executors, AgentMetrics metrics, SlaveInfo info,
      Map<String, Double> values) {
    int staging = 0;
    int starting = 0;
    int running = 0;
    int killing = 0;
    int[] executorStates = new int[ExecutorState.State.values().length];
    int frameworksActive = 0;
    Resources used = Resources.empty();
    for (FrameworkState fw : executors.frameworks()) {
      frameworksActive += fw.state() == FrameworkState.State.RUNNING ? 1 : 0;
      for (ExecutorState ex : fw.executors()) {
        executorStates[ex.state().ordinal()]++;
        if (ex.state() != ExecutorState.State.TERMINATED) {
          used = used.plus(ex.allocated());
        }
        staging += ex.queuedTasks().size();
        for (Task t : ex.launchedTasks()) {
          TaskState state = t.getState();
          staging += state == TaskState.TASK_STAGING ? 1 : 0;
          starting += state == TaskState.TASK_STARTING ? 1 : 0;
          running += state == TaskState.TASK_RUNNING ? 1 : 0;
          killing += state == TaskState.TASK_KILLING ? 1 : 0;
        }
      }
    }
    values.put("slave/frameworks_active", (double) frameworksActive);
    values.put("slave/tasks_staging", (double) staging);
    values.put("slave/tasks_starting", (double) starting);
    values.put("slave/tasks_running", (double) running);
    values.put("slave/tasks_killing", (double) killing);
    values.put("slave/tasks_finished", (double) metrics.tasksFinished());
    values.put("slave/tasks_failed", (double) metrics.tasksFailed());
    values.put("slave/tasks_killed", (double) metrics.tasksKilled());
    values.put("slave/tasks_lost", (double) metrics.tasksLost());
    values.put("slave/tasks_gone", (double) metrics.tasksGone());
    values.put("slave/slow_executor_subscribers_disconnected", (double) metrics.slowExecutorSubscribersDisconnected());
    values.put("slave/executors_registering", (double) executorStates[ExecutorState.State.REGISTERING.ordinal()]);
    values.put("slave/executors_running", (double) executorStates[ExecutorState.State.RUNNING.ordinal()]);
    values.put("slave/executors_terminating", (double) executorStates[ExecutorState.State.TERMINATING.ordinal()]);
    values.put("slave/executors_terminated", (double) metrics.executorsTerminated());
    // Mesos counts executors its QoS controller preempts; with no oversubscription (jmesos has none) it stays 0.
    values.put("slave/executors_preempted", 0.0);
    values.put("slave/valid_status_updates", (double) metrics.validStatusUpdates());
    values.put("slave/invalid_status_updates", (double) metrics.invalidStatusUpdates());
    values.put("slave/valid_framework_messages", (double) metrics.validFrameworkMessages());
    values.put("slave/invalid_framework_messages", (double) metrics.invalidFrameworkMessages());
    values.put("slave/container_launch_errors", (double) metrics.containerLaunchErrors());
    io.jmesos.agent.fetcher.Fetcher fetcher = executors.ctx.sandboxes.fetcher;
    values.put("containerizer/fetcher/task_fetches_succeeded", (double) fetcher.fetchesSucceeded());
    values.put("containerizer/fetcher/task_fetches_failed", (double) fetcher.fetchesFailed());
    // jmesos' fetcher has no cache: a cache of no bytes.
    values.put("containerizer/fetcher/cache_size_total_bytes", 0.0);
    values.put("containerizer/fetcher/cache_size_used_bytes", 0.0);
    Resources total = Resources.of(info.getResourcesList());
    resources(values, "", total.nonRevocable(), used.nonRevocable());
    resources(values, "_revocable", total.revocable(), used.revocable());
  }

  private static void resources(Map<String, Double> values, String kind, Resources total, Resources used) {
    for (String name : RESOURCES) {
      double t = total.scalar(name);
      double u = used.scalar(name);
      values.put("slave/" + name + kind + "_total", t);
      values.put("slave/" + name + kind + "_used", u);
      values.put("slave/" + name + kind + "_percent", t == 0 ? 0.0 : u / t);
    }
  }
}
