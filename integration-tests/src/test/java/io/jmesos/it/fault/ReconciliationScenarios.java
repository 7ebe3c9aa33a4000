package io.jmesos.it.fault;

import static io.jmesos.testing.Direction.TO_AGENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.SchedulerDriver;

/**
 * What the reconciliation scenarios share beyond {@link Scenarios}: checkpointing frameworks, reconciliation
 * queries, an agent that re-registers with the same master, a partition, and a check that a scheduler hears
 * nothing more.
 */
final class ReconciliationScenarios {
  /**
   * How long after a partition starts the master marks the agent unreachable, at most, with Mesos' default
   * health checks: the next ping, up to 15 s later, is the first unanswered, and 5 pings unanswered 15 s each
   * make the agent unreachable.
   */
  static final Duration UNREACHABLE_AFTER = Partition.HEALTH_CHECKS;
  /** Mesos' default {@code --registration_backoff_factor}: an agent reconnects within it. */
  static final Duration REGISTRATION_BACKOFF = Duration.ofSeconds(1);

  private static final AtomicInteger PROBES = new AtomicInteger();

  private ReconciliationScenarios() {}

  /**
   * A framework that checkpoints. Mesos' agents re-register with the same master in its tests through a
   * spurious master detection that leaves the connection alone; here the connection breaks, and the master
   * loses the tasks of frameworks that do not checkpoint at once (Mesos' {@code Master::exited}) before the
   * agent is back: a checkpointing framework keeps them, as the Mesos scenarios need.
   */
  static FrameworkInfo checkpointing(String name, boolean partitionAware) {
    return Scenarios.framework(name, partitionAware).toBuilder().setCheckpoint(true).build();
  }

  static TaskID taskId(String value) {
    return TaskID.newBuilder().setValue(value).build();
  }

  /** A task to reconcile explicitly; {@code slaveId} may be null. The state is a dummy, as in Mesos' tests. */
  static TaskStatus query(TaskID taskId, SlaveID slaveId) {
    TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_STAGING);
    if (slaveId != null) {
      status.setSlaveId(slaveId);
    }
    return status.build();
  }

  /**
   * Breaks agent {@code index}'s connection to the master and waits until it has re-registered with the same
   * master (our stand-in for Mesos' {@code detector.appoint(master)} at the agent); returns the master's answer.
   */
  static SlaveReregisteredMessage reregister(FaultCluster cluster, int index) throws Exception {
    CompletableFuture<SlaveReregisteredMessage> back =
        cluster.messages(index).future(SlaveReregisteredMessage.class, TO_AGENT);
    assertThat(cluster.disconnectAgent(index)).isEqualTo(1);
    cluster.advance(REGISTRATION_BACKOFF); // the agent reconnects within it; re-registering takes no time
    SlaveReregisteredMessage reregistered = back.get(10, TimeUnit.SECONDS);
    cluster.settle();
    return reregistered;
  }

  /**
   * Asserts that the scheduler hears no status update beyond those it has taken: the master answers an
   * explicit reconciliation of a task nobody has after everything it sent the framework before, on the same
   * stream, so that answer must be the next update the scheduler gets.
   */
  static void assertNoMoreStatuses(FaultCluster cluster, SchedulerDriver driver, RecordingScheduler scheduler)
      throws InterruptedException {
    cluster.settle();
    TaskID probe = taskId("probe-" + PROBES.incrementAndGet());
    driver.reconcileTasks(List.of(query(probe, null)));
    TaskStatus next = scheduler.nextStatus();
    assertThat(next.getTaskId()).as("the next status update (%s) is the probe's", next.getState()).isEqualTo(probe);
  }
}
