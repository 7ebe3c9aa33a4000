package io.jmesos.dist.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.actor.MessageDispatcher;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A simulated agent's status update streams: resent until acknowledged, the next update only after the ack. */
@Timeout(30)
class InstantTasksTest {
  private static final SlaveID AGENT = SlaveID.newBuilder().setValue("agent-1").build();
  private static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("framework-1").build();

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final List<StatusUpdate> sent = new CopyOnWriteArrayList<>();
  private final InstantTasks.Host host = new InstantTasks.Host() {
    @Override
    public SlaveID slaveId() {
      return AGENT;
    }

    @Override
    public String pid() {
      return "slave(1)@127.0.0.1:5051";
    }

    @Override
    public void send(Envelope envelope) {
      try {
        sent.add(StatusUpdateMessage.parseFrom(envelope.getPayload()).getUpdate());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
  };

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  @Test
  void runningIsResentUntilAcknowledgedThenFinishedFollows() {
    InstantTasks tasks = new InstantTasks(timers, Duration.ofMillis(20), false);
    tasks.runTask(host, run("t1", SimulatedFrameworks.FINISH));

    await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() >= 3);
    StatusUpdate running = sent.get(0);
    assertThat(running.getStatus().getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(running.getSlaveId()).isEqualTo(AGENT);
    assertThat(running.getUuid()).isEqualTo(running.getStatus().getUuid());
    assertThat(sent).allSatisfy(u -> assertThat(u.getUuid()).isEqualTo(running.getUuid()));
    assertThat(tasks.retries()).isGreaterThanOrEqualTo(2);

    tasks.acknowledged(host, ack("t1", running));
    await().atMost(Duration.ofSeconds(10)).until(() -> sent.get(sent.size() - 1).getStatus().getState()
        == TaskState.TASK_FINISHED);
    StatusUpdate finished = sent.get(sent.size() - 1);
    assertThat(finished.getUuid()).isNotEqualTo(running.getUuid());
    assertThat(tasks.pending()).isEqualTo(1);

    tasks.acknowledged(host, ack("t1", running)); // a late duplicate: ignored
    assertThat(tasks.unknownAcknowledgements()).isEqualTo(1);
    tasks.acknowledged(host, ack("t1", finished));
    assertThat(tasks.finished()).isEqualTo(1);
    assertThat(tasks.pending()).isZero();
    tasks.close();
  }

  @Test
  void aTaskThatKeepsRunningEndsItsStreamAtTheFirstAcknowledgement() {
    InstantTasks tasks = new InstantTasks(timers, Duration.ofSeconds(10), false);
    tasks.runTask(host, run("t2", "keeps-running"));
    assertThat(sent).hasSize(1);
    tasks.acknowledged(host, ack("t2", sent.get(0)));
    assertThat(sent).hasSize(1);
    assertThat(tasks.pending()).isZero();
    assertThat(tasks.finished()).isZero();
    tasks.close();
  }

  private static Envelope run(String id, String name) {
    return MessageDispatcher.envelope(RunTaskMessage.newBuilder()
        .setFrameworkId(FRAMEWORK)
        .setFramework(FrameworkInfo.newBuilder().setId(FRAMEWORK).setName("f").setUser("u"))
        .setTask(TaskInfo.newBuilder().setName(name).setTaskId(TaskID.newBuilder().setValue(id)).setSlaveId(AGENT)
            .setCommand(CommandInfo.newBuilder().setValue("true")))
        .build());
  }

  private static Envelope ack(String id, StatusUpdate update) {
    return MessageDispatcher.envelope(StatusUpdateAcknowledgementMessage.newBuilder()
        .setSlaveId(AGENT)
        .setFrameworkId(FRAMEWORK)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setUuid(update.getUuid())
        .build());
  }
}
