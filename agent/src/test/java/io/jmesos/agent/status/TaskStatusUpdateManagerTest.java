package io.jmesos.agent.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.actor.Actor;
import io.jmesos.actor.ManualClock;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mesos' {@code TaskStatusUpdateManagerTest} scenarios on the status update manager, with its streams
 * checkpointed to an in-memory log: what is forwarded, retried, ignored and written, and what a restarted agent
 * rebuilds from the records.
 */
@Timeout(10)
class TaskStatusUpdateManagerTest {
  static final FrameworkID FW = FrameworkID.newBuilder().setValue("f").build();
  static final SlaveID SLAVE = SlaveID.newBuilder().setValue("s").build();
  static final TaskID TASK = TaskID.newBuilder().setValue("t").build();

  final ManualClock clock = new ManualClock();
  final Actor actor = new Actor("sum-test", clock);
  final List<StatusUpdate> sent = new CopyOnWriteArrayList<>();
  final StatusUpdateManager sum = new StatusUpdateManager(actor, sent::add);
  final MemoryLog log = new MemoryLog();

  @AfterEach
  void tearDown() {
    actor.close();
  }

  <T> T on(Supplier<T> work) throws Exception {
    return actor.call(work).get(5, TimeUnit.SECONDS);
  }

  static StatusUpdate update(TaskState state) {
    return Tasks.agentUpdate(FW, SLAVE, null, TASK, state, null, null, 1.0);
  }

  void advance(Duration d) throws Exception {
    clock.advance(d);
    on(() -> null);
  }

  boolean ack(StatusUpdate update) throws Exception {
    return on(() -> sum.acknowledge(FW, TASK, update.getUuid())).isPresent();
  }

  @Test
  void retryStatusUpdate() throws Exception {
    StatusUpdate running = update(TaskState.TASK_RUNNING);
    assertThat(on(() -> sum.update(running, log))).isTrue();
    assertThat(sent).hasSize(1);
    // The first one was lost: the same update goes out again after the minimum retry interval.
    advance(StatusUpdateManager.RETRY_INTERVAL_MIN);
    assertThat(sent).hasSize(2).allMatch(u -> u.getUuid().equals(running.getUuid()));
    assertThat(ack(running)).isTrue();
    advance(Duration.ofHours(1));
    assertThat(sent).hasSize(2);
    assertThat(log.types()).containsExactly(StatusUpdateRecord.Type.UPDATE, StatusUpdateRecord.Type.ACK);
  }

  @Test
  void ignoreDuplicateStatusUpdateAck() throws Exception {
    StatusUpdate running = update(TaskState.TASK_RUNNING);
    StatusUpdate finished = update(TaskState.TASK_FINISHED);
    on(() -> sum.update(running, log));
    advance(StatusUpdateManager.RETRY_INTERVAL_MIN);
    assertThat(ack(running)).isTrue();
    on(() -> sum.update(finished, log));
    // The acknowledgement of the retried TASK_RUNNING arrives while TASK_FINISHED waits for its own.
    assertThat(ack(running)).as("a duplicate acknowledgement is ignored").isFalse();
    assertThat(on(() -> sum.pending(FW, TASK))).containsExactly(finished);
    sent.clear();
    advance(StatusUpdateManager.RETRY_INTERVAL_MIN);
    assertThat(sent).extracting(u -> u.getStatus().getState()).containsExactly(TaskState.TASK_FINISHED);
    assertThat(log.types()).containsExactly(StatusUpdateRecord.Type.UPDATE, StatusUpdateRecord.Type.ACK,
        StatusUpdateRecord.Type.UPDATE);
  }

  @Test
  void ignoreUnexpectedStatusUpdateAck() throws Exception {
    StatusUpdate running = update(TaskState.TASK_RUNNING);
    on(() -> sum.update(running, log));
    assertThat(on(() -> sum.acknowledge(FW, TASK, Tasks.newUuid()))).isEmpty();
    assertThat(on(() -> sum.pending(FW, TASK))).containsExactly(running);
    advance(StatusUpdateManager.RETRY_INTERVAL_MIN);
    assertThat(sent).hasSize(2);
    assertThat(log.types()).containsExactly(StatusUpdateRecord.Type.UPDATE);
  }

  @Test
  void duplicateUpdateBeforeAck() throws Exception {
    StatusUpdate running = update(TaskState.TASK_RUNNING);
    on(() -> sum.update(running, log));
    assertThat(on(() -> sum.update(running, log))).as("same uuid before the ack").isFalse();
    assertThat(on(sum::pendingCount)).isEqualTo(1);
    assertThat(log.types()).containsExactly(StatusUpdateRecord.Type.UPDATE);
    // The retry of the original still goes out, and its acknowledgement clears the stream.
    advance(StatusUpdateManager.RETRY_INTERVAL_MIN);
    assertThat(sent).hasSize(2);
    assertThat(ack(running)).isTrue();
    assertThat(on(sum::pendingCount)).isZero();
  }

  @Test
  void duplicateTerminalUpdateBeforeAckIsRejected() throws Exception {
    StatusUpdate finished = update(TaskState.TASK_FINISHED);
    on(() -> sum.update(finished, log));
    assertThat(on(() -> sum.update(update(TaskState.TASK_KILLED), log))).isFalse();
    assertThat(on(() -> sum.pending(FW, TASK))).containsExactly(finished);
    assertThat(log.types()).containsExactly(StatusUpdateRecord.Type.UPDATE);
  }

  @Test
  void duplicateTerminalUpdateAfterAck() throws Exception {
    StatusUpdate finished = update(TaskState.TASK_FINISHED);
    on(() -> sum.update(finished, log));
    assertThat(ack(finished)).isTrue();
    assertThat(log.closed).as("a finished stream closes its log").isTrue();
    // As Mesos: the finished stream is gone, so a later terminal update is a new stream and is forwarded.
    StatusUpdate killed = update(TaskState.TASK_KILLED);
    assertThat(on(() -> sum.update(killed))).isTrue();
    assertThat(sent).extracting(u -> u.getStatus().getState())
        .containsExactly(TaskState.TASK_FINISHED, TaskState.TASK_KILLED);
    assertThat(ack(killed)).isTrue();
  }

  @Test
  void latestTaskState() throws Exception {
    StatusUpdate running = update(TaskState.TASK_RUNNING);
    on(() -> sum.update(running, log));
    on(() -> sum.update(update(TaskState.TASK_FINISHED), log));
    advance(StatusUpdateManager.RETRY_INTERVAL_MIN);
    StatusUpdate retry = sent.get(sent.size() - 1);
    assertThat(retry.getStatus().getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(retry.getLatestState()).isEqualTo(TaskState.TASK_FINISHED);
  }

  @Test
  void aFailedCheckpointChangesNothing() throws Exception {
    StatusUpdate running = update(TaskState.TASK_RUNNING);
    log.failing = true;
    assertThatThrownBy(() -> actor.call(() -> sum.update(running, log)).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CheckpointFailedException.class)
        .hasMessageContaining("task t");
    assertThat(sent).isEmpty();
    assertThat(on(sum::pendingCount)).isZero();
    log.failing = false;
    assertThat(on(() -> sum.update(running, log))).as("the sender may send it again").isTrue();
    log.failing = true;
    assertThatThrownBy(() -> actor.call(() -> sum.acknowledge(FW, TASK, running.getUuid())).get(5,
        TimeUnit.SECONDS)).hasCauseInstanceOf(CheckpointFailedException.class);
    assertThat(on(() -> sum.pending(FW, TASK))).containsExactly(running);
  }

  @Test
  void recoveryReplaysUnacknowledgedUpdatesOnceResumed() throws Exception {
    StatusUpdate running = update(TaskState.TASK_RUNNING);
    StatusUpdate finished = update(TaskState.TASK_FINISHED);
    on(() -> sum.update(running, log) && sum.update(finished, log));
    ack(running);
    List<StatusUpdateRecord> records = List.copyOf(log.records);

    StatusUpdateManager restarted = new StatusUpdateManager(actor, sent::add);
    sent.clear();
    MemoryLog reopened = new MemoryLog();
    List<StatusUpdate> pending = on(() -> {
      restarted.pause();
      return restarted.recover(FW, TASK, records, reopened);
    });
    assertThat(pending).containsExactly(finished);
    assertThat(sent).as("nothing goes out before the agent re-registers").isEmpty();
    on(() -> {
      restarted.resume();
      return null;
    });
    assertThat(sent).containsExactly(finished.toBuilder().setLatestState(TaskState.TASK_FINISHED).build());
    assertThat(on(() -> restarted.update(running, reopened))).as("acknowledged before the restart").isFalse();
    assertThat(on(() -> restarted.update(finished, reopened))).as("received before the restart").isFalse();
    assertThat(on(() -> restarted.acknowledge(FW, TASK, finished.getUuid()))).isPresent();
    assertThat(reopened.types()).containsExactly(StatusUpdateRecord.Type.ACK);
  }

  @Test
  void aStreamWhoseTerminalUpdateWasAcknowledgedIsNotRecovered() throws Exception {
    StatusUpdate finished = update(TaskState.TASK_FINISHED);
    on(() -> sum.update(finished, log));
    ack(finished);
    StatusUpdateManager restarted = new StatusUpdateManager(actor, sent::add);
    MemoryLog reopened = new MemoryLog();
    assertThat(on(() -> restarted.recover(FW, TASK, List.copyOf(log.records), reopened))).isEmpty();
    assertThat(on(restarted::pendingCount)).isZero();
    assertThat(reopened.closed).isTrue();
  }

  /** A stream log in memory that can be made to fail. */
  static final class MemoryLog implements StreamLog {
    final List<StatusUpdateRecord> records = new ArrayList<>();
    volatile boolean failing;
    volatile boolean closed;

    @Override
    public void append(StatusUpdateRecord record) throws IOException {
      if (failing) {
        throw new IOException("disk full");
      }
      records.add(record);
    }

    @Override
    public void close() {
      closed = true;
    }

    List<StatusUpdateRecord.Type> types() {
      return records.stream().map(StatusUpdateRecord::getType).toList();
    }
  }
}
