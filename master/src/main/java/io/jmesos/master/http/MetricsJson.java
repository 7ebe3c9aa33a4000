package io.jmesos.master.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.MasterState;
import io.jmesos.metrics.SystemMetrics;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Values;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.Value;

/**
 * {@code /metrics/snapshot}: Mesos' {@code master/*} metric names, gauges computed from current state and
 * counters from {@link io.jmesos.master.state.Metrics}, plus the allocator's own ({@code allocator/...}) taken
 * just before (see {@link AllocatorMetrics}). Built on the master's actor.
 */
public final class MetricsJson {
  private static final List<TaskState> GAUGE_STATES = List.of(TaskState.TASK_STAGING, TaskState.TASK_STARTING,
      TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_UNREACHABLE);
  private static final List<TaskState> COUNTER_STATES = List.of(TaskState.TASK_FINISHED, TaskState.TASK_FAILED,
      TaskState.TASK_KILLED, TaskState.TASK_LOST, TaskState.TASK_ERROR, TaskState.TASK_DROPPED,
      TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR);

  private static final SystemMetrics SYSTEM = new SystemMetrics();

  private MetricsJson() {}

  /** The master's metrics followed by {@code allocatorMetrics} (which cannot replace a master metric). */
  public static ObjectNode render(MasterContext ctx, Map<String, Double> allocatorMetrics) {
    ObjectNode m = render(ctx);
    new java.util.TreeMap<>(allocatorMetrics).forEach((name, value) -> {
      if (!m.has(name) && value != null) {
        m.put(name, value);
      }
    });
    return m;
  }

  public static ObjectNode render(MasterContext ctx) {
    ctx.actor.assertInActorThread();
    MasterState state = ctx.state;
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("master/elected", ctx.leadership.acting() ? 1.0 : 0.0);
    m.put("master/uptime_secs", ctx.now() - state.startTime);

    int agentsActive = 0;
    int agentsConnected = 0;
    // Fixed-point sums of the four scalars, as Resources adds them, without building Resources: summing each
    // agent's used resources with Resources.plus took most of a second at 19,000 agents and 200,000 tasks.
    ScalarSums total = new ScalarSums();
    ScalarSums used = new ScalarSums();
    for (Agent agent : state.agents.values()) {
      agentsActive += agent.active() ? 1 : 0;
      agentsConnected += agent.connected() ? 1 : 0;
      total.add(agent.total());
    }
    state.forEachUsed((agent, framework, resources) -> used.add(resources));
    m.put("master/slaves_active", (double) agentsActive);
    m.put("master/slaves_inactive", (double) (state.agents.size() - agentsActive));
    m.put("master/slaves_connected", (double) agentsConnected);
    m.put("master/slaves_disconnected", (double) (state.agents.size() - agentsConnected));
    m.put("master/slaves_unreachable", (double) state.unreachableAgents.size());
    m.put("master/slave_registrations", (double) state.metrics.slaveRegistrations);
    m.put("master/slave_reregistrations", (double) state.metrics.slaveReregistrations);
    m.put("master/slave_removals", (double) state.metrics.slaveRemovals);
    m.put("master/slave_removals/reason_unhealthy", (double) state.metrics.slaveRemovalsReasonUnhealthy);
    m.put("master/slave_removals/reason_unregistered", (double) state.metrics.slaveRemovalsReasonUnregistered);
    m.put("master/slave_unreachable_scheduled", (double) state.metrics.slaveUnreachableScheduled);
    m.put("master/slave_unreachable_completed", (double) state.metrics.slaveUnreachableCompleted);
    m.put("master/slave_unreachable_canceled", (double) state.metrics.slaveUnreachableCanceled);
    m.put("master/recovery_slave_removals", (double) state.metrics.recoverySlaveRemovals);
    ctx.registrar.metrics().snapshot().forEach(m::put);

    int frameworksActive = 0;
    int frameworksConnected = 0;
    Map<TaskState, Integer> live = new EnumMap<>(TaskState.class);
    for (Framework framework : state.frameworks.values()) {
      frameworksActive += framework.active() ? 1 : 0;
      frameworksConnected += framework.connected() ? 1 : 0;
      for (Task task : framework.tasks.values()) {
        live.merge(task.getState(), 1, Integer::sum);
      }
      for (Task task : framework.unreachableTasks.values()) {
        if (task.getState() == TaskState.TASK_UNREACHABLE) {
          live.merge(task.getState(), 1, Integer::sum);
        }
      }
    }
    m.put("master/frameworks_active", (double) frameworksActive);
    m.put("master/frameworks_inactive", (double) (state.frameworks.size() - frameworksActive));
    m.put("master/frameworks_connected", (double) frameworksConnected);
    m.put("master/frameworks_disconnected", (double) (state.frameworks.size() - frameworksConnected));
    m.put("master/outstanding_offers", (double) state.offers.size());
    m.put("master/operator_event_stream_subscribers", (double) ctx.operatorEvents().subscribers());
    m.put("master/slow_operator_subscribers_disconnected", (double) state.metrics.slowOperatorSubscribersDisconnected);
    m.put("master/slow_scheduler_subscribers_disconnected",
        (double) state.metrics.slowSchedulerSubscribersDisconnected);

    for (TaskState s : GAUGE_STATES) {
      m.put("master/" + name(s), (double) live.getOrDefault(s, 0));
    }
    for (TaskState s : COUNTER_STATES) {
      m.put("master/" + name(s), (double) state.metrics.terminated(s));
    }
    state.metrics.tasksBySourceAndReason().forEach((name, count) -> m.put("master/" + name, (double) count));

    resources(m, "", total, used, false);
    resources(m, "_revocable", total, used, true);

    m.put("master/valid_status_updates", (double) state.metrics.validStatusUpdates);
    m.put("master/invalid_status_updates", (double) state.metrics.invalidStatusUpdates);
    m.put("master/valid_framework_to_executor_messages",
        (double) state.metrics.validFrameworkToExecutorMessages);
    m.put("master/invalid_framework_to_executor_messages",
        (double) state.metrics.invalidFrameworkToExecutorMessages);
    m.put("master/valid_executor_to_framework_messages",
        (double) state.metrics.validExecutorToFrameworkMessages);
    m.put("master/invalid_executor_to_framework_messages",
        (double) state.metrics.invalidExecutorToFrameworkMessages);
    m.put("master/valid_status_update_acknowledgements", (double) state.metrics.validStatusUpdateAcknowledgements);
    m.put("master/invalid_status_update_acknowledgements",
        (double) state.metrics.invalidStatusUpdateAcknowledgements);
    state.metrics.messages.snapshot().forEach((name, count) -> m.put("master/messages_" + name, (double) count));
    m.put("master/dropped_messages", (double) state.metrics.droppedMessages);
    // Registered by Mesos 1.11 but never counted since agents are marked unreachable instead of shut down.
    for (String shutdowns : List.of("scheduled", "completed", "canceled")) {
      m.put("master/slave_shutdowns_" + shutdowns, 0.0);
    }
    ctx.rateLimits.metrics().forEach(m::put);
    EventQueue.gauges(ctx.actor).forEach(m::put);
    SYSTEM.snapshot().forEach(m::put);
    return m;
  }

  /** Mesos' {@code master/<resource>[_revocable]_{total,used,percent}} for cpus, gpus, mem and disk. */
  private static void resources(ObjectNode m, String kind, ScalarSums total, ScalarSums used, boolean revocable) {
    for (String resource : List.of("cpus", "mem", "disk", "gpus")) {
      double t = total.get(resource, revocable);
      double u = used.get(resource, revocable);
      m.put("master/" + resource + kind + "_total", t);
      m.put("master/" + resource + kind + "_used", u);
      m.put("master/" + resource + kind + "_percent", t == 0 ? 0.0 : u / t);
    }
  }

  private static String name(TaskState state) {
    return "tasks_" + state.name().substring("TASK_".length()).toLowerCase(Locale.ROOT);
  }

  /** Fixed-point totals of cpus, mem, disk and gpus, revocable and not, as {@link Resources#scalar} sums them. */
  private static final class ScalarSums {
    private static final List<String> NAMES = List.of("cpus", "mem", "disk", "gpus");
    private final long[] fixed = new long[NAMES.size() * 2];

    void add(Iterable<Resource> resources) {
      for (Resource resource : resources) {
        if (resource.getType() == Value.Type.SCALAR) {
          int index = NAMES.indexOf(resource.getName());
          if (index >= 0) {
            fixed[index * 2 + (resource.hasRevocable() ? 1 : 0)] += Values.toFixed(resource.getScalar().getValue());
          }
        }
      }
    }

    double get(String name, boolean revocable) {
      return Values.fromFixed(fixed[NAMES.indexOf(name) * 2 + (revocable ? 1 : 0)]);
    }
  }
}
