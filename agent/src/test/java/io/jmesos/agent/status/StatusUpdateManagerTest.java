package io.jmesos.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.Actor;
import io.jmesos.actor.ManualClock;
import io.jmesos.internal.Messages.StatusUpdate;
import java.time.Duration;
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

@Timeout(10)
class StatusUpdateManagerTest {
  static final FrameworkID FW = FrameworkID.newBuilder().setValue("f").build();
  static final SlaveID SLAVE = SlaveID.newBuilder().setValue("s").build();

  final ManualClock clock = new ManualClock();
  final Actor actor = new Actor("sum-test", clock);
  final List<StatusUpdate> sent = new CopyOnWriteArrayList<>();
  final StatusUpdateManager sum = new StatusUpdateManager(actor, sent::add);

  @AfterEach
  void tearDown() {
    actor.close();
  }

  <T> T on(Supplier<T> work) throws Exception {
    return actor.call(work).get(5, TimeUnit.SECONDS);
  }

  static StatusUpdate update(String task, TaskState state) {
    return Tasks.agentUpdate(FW, SLAVE, null, TaskID.newBuilder().setValue(task).build(), state, null, null, 1.0);
  }

  void advance(Duration d) throws Exception {
    clock.advance(d);
    on(() -> null);
  }

  @Test
  void sendsOnlyTheHeadOfEachTaskAndTheNextOnAck() throws Exception {
    StatusUpdate running = update("t", TaskState.TASK_RUNNING);
    StatusUpdate finished = update("t", TaskState.TASK_FINISHED);
    StatusUpdate other = update("u", TaskState.TASK_RUNNING);
    on(() -> sum.update(running) && sum.update(finished) && sum.update(other));
    assertThat(sent).extracting(u -> u.getStatus().getTaskId().getValue()).containsExactly("t", "u");
    assertThat(sent.get(0).getLatestState()).isEqualTo(TaskState.TASK_RUNNING);
    advance(Duration.ofSeconds(10));
    assertThat(sent).hasSize(4);
    StatusUpdate retried = sent.stream().filter(u -> u.getUuid().equals(running.getUuid())).skip(1).findFirst()
        .orElseThrow();
    assertThat(retried.getLatestState()).as("a retry tells the latest state").isEqualTo(TaskState.TASK_FINISHED);
    sent.clear();

    assertThat(on(() -> sum.acknowledge(FW, running.getStatus().getTaskId(), finished.getUuid()))).isEmpty();
    assertThat(sent).isEmpty();
    assertThat(on(() -> sum.acknowledge(FW, running.getStatus().getTaskId(), running.getUuid()))).contains(running);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getUuid()).isEqualTo(finished.getUuid());
    assertThat(on(() -> sum.acknowledge(FW, running.getStatus().getTaskId(), finished.getUuid()))).isPresent();
    assertThat(on(sum::pendingCount)).isEqualTo(1);
  }

  @Test
  void retriesWithDoublingIntervalCappedAtTenMinutes() throws Exception {
    StatusUpdate running = update("t", TaskState.TASK_RUNNING);
    on(() -> sum.update(running));
    assertThat(sent).hasSize(1);
    advance(Duration.ofSeconds(9));
    assertThat(sent).hasSize(1);
    advance(Duration.ofSeconds(1));
    assertThat(sent).hasSize(2);
    advance(Duration.ofSeconds(19));
    assertThat(sent).hasSize(2);
    advance(Duration.ofSeconds(1));
    assertThat(sent).hasSize(3);
    advance(Duration.ofSeconds(40));
    assertThat(sent).hasSize(4);
    // 80s, 160s, 320s, then capped at 600s.
    advance(Duration.ofSeconds(80));
    advance(Duration.ofSeconds(160));
    advance(Duration.ofSeconds(320));
    assertThat(sent).hasSize(7);
    advance(Duration.ofSeconds(599));
    assertThat(sent).hasSize(7);
    advance(Duration.ofSeconds(1));
    assertThat(sent).hasSize(8);
    advance(Duration.ofSeconds(600));
    assertThat(sent).hasSize(9).allMatch(u -> u.getUuid().equals(running.getUuid()));

    on(() -> sum.acknowledge(FW, running.getStatus().getTaskId(), running.getUuid()));
    advance(Duration.ofHours(1));
    assertThat(sent).hasSize(9);
  }

  @Test
  void dropsDuplicatesAndUpdatesAfterTheTerminalOne() throws Exception {
    StatusUpdate running = update("t", TaskState.TASK_RUNNING);
    StatusUpdate failed = update("t", TaskState.TASK_FAILED);
    assertThat(on(() -> sum.update(running))).isTrue();
    assertThat(on(() -> sum.update(running))).isFalse();
    assertThat(on(() -> sum.update(failed))).isTrue();
    assertThat(on(() -> sum.update(update("t", TaskState.TASK_FINISHED)))).isFalse();
    assertThat(on(sum::pendingCount)).isEqualTo(2);
  }

  @Test
  void pausedUpdatesGoOutOnResume() throws Exception {
    on(() -> {
      sum.pause();
      return sum.update(update("t", TaskState.TASK_RUNNING));
    });
    advance(Duration.ofMinutes(1));
    assertThat(sent).isEmpty();
    on(() -> {
      sum.resume();
      return null;
    });
    assertThat(sent).hasSize(1);
  }
}
