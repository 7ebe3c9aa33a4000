package io.jmesos.master.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

class MessageCountersTest {
  private static final TaskInfo TASK = TaskInfo.newBuilder().setName("t")
      .setTaskId(TaskID.newBuilder().setValue("t")).setAgentId(AgentID.newBuilder().setValue("a")).build();

  private final MessageCounters counters = new MessageCounters();

  @Test
  void everyCounterExistsFromTheStartAtZero() {
    assertThat(counters.snapshot()).hasSize(21).containsEntry("register_framework", 0L)
        .containsEntry("status_update", 0L).containsEntry("authenticate", 0L)
        .containsEntry("deactivate_framework", 0L).containsEntry("update_slave", 0L);
  }

  @Test
  void aSubscribeIsARegistrationOrWithAFrameworkIdAReregistration() {
    FrameworkInfo info = FrameworkInfo.newBuilder().setUser("u").setName("n").build();
    counters.schedulerCall(subscribe(info));
    counters.schedulerCall(subscribe(info.toBuilder().setId(FrameworkID.newBuilder().setValue("f")).build()));
    counters.schedulerCall(subscribe(info.toBuilder().setId(FrameworkID.newBuilder().setValue("")).build()));
    assertThat(counters.snapshot()).containsEntry("register_framework", 2L)
        .containsEntry("reregister_framework", 1L);
  }

  @Test
  void anAcceptCountsEachLaunchAsALaunchOrWithoutTasksADecline() {
    Offer.Operation launch = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
        .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(TASK)).build();
    Offer.Operation empty = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
        .setLaunch(Offer.Operation.Launch.getDefaultInstance()).build();
    Offer.Operation reserve = Offer.Operation.newBuilder().setType(Offer.Operation.Type.RESERVE).build();
    counters.schedulerCall(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOperations(launch).addOperations(empty).addOperations(launch).addOperations(reserve)).build());
    counters.schedulerCall(Call.newBuilder().setType(Call.Type.TEARDOWN).build());
    assertThat(counters.snapshot()).containsEntry("launch_tasks", 2L).containsEntry("decline_offers", 1L)
        .containsEntry("unregister_framework", 1L);
  }

  @Test
  void agentMessagesAreCountedByEnvelopeTypeAndPongsAreNot() {
    counters.agentMessage(StatusUpdateMessage.getDescriptor().getFullName());
    counters.agentMessage(PongSlaveMessage.getDescriptor().getFullName());
    counters.agentMessage(io.jmesos.internal.Messages.AuthenticateMessage.getDescriptor().getFullName());
    assertThat(counters.snapshot()).containsEntry("status_update", 1L).containsEntry("authenticate", 1L)
        .hasSize(21);
  }

  private static Call subscribe(FrameworkInfo info) {
    return Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
  }
}
