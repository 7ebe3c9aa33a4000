package io.jmesos.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EvolveTest {

  private static Protos.TaskInfo v0Task() {
    return Protos.TaskInfo.newBuilder()
        .setName("sleep")
        .setTaskId(Protos.TaskID.newBuilder().setValue("task-1"))
        .setSlaveId(Protos.SlaveID.newBuilder().setValue("agent-1"))
        .addResources(Protos.Resource.newBuilder().setName("cpus").setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(0.5)))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 5"))
        .setData(ByteString.copyFromUtf8("payload"))
        .build();
  }

  private static Protos.TaskStatus v0Status() {
    return Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("task-1"))
        .setState(Protos.TaskState.TASK_GONE_BY_OPERATOR)
        .setSource(Protos.TaskStatus.Source.SOURCE_MASTER)
        .setReason(Protos.TaskStatus.Reason.REASON_SLAVE_REMOVED_BY_OPERATOR)
        .setMessage("agent removed")
        .setSlaveId(Protos.SlaveID.newBuilder().setValue("agent-1"))
        .setTimestamp(1234.5)
        .setUuid(ByteString.copyFrom(new byte[] {1, 2, 3}))
        .build();
  }

  @Test
  void taskInfoEvolvesAndDevolves() {
    Protos.TaskInfo v0 = v0Task();

    org.apache.mesos.v1.Protos.TaskInfo v1 =
        Evolve.evolve(v0, org.apache.mesos.v1.Protos.TaskInfo.parser());

    assertThat(v1.getName()).isEqualTo("sleep");
    assertThat(v1.getAgentId().getValue()).isEqualTo("agent-1");
    assertThat(v1.getResources(0).getScalar().getValue()).isEqualTo(0.5);
    assertThat(v1.getData().toStringUtf8()).isEqualTo("payload");
    assertThat(Evolve.devolve(v1, Protos.TaskInfo.parser())).isEqualTo(v0);
  }

  @Test
  void taskStatusKeepsEnumsBothWays() {
    Protos.TaskStatus v0 = v0Status();

    org.apache.mesos.v1.Protos.TaskStatus v1 =
        Evolve.evolve(v0, org.apache.mesos.v1.Protos.TaskStatus.parser());

    assertThat(v1.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_GONE_BY_OPERATOR);
    assertThat(v1.getSource()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Source.SOURCE_MASTER);
    assertThat(v1.getReason()).isEqualTo(
        org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR);
    assertThat(v1.getAgentId().getValue()).isEqualTo("agent-1");
    assertThat(Evolve.devolve(v1, Protos.TaskStatus.parser())).isEqualTo(v0);
  }

  @Test
  void everyTaskStateMapsToTheSameName() {
    for (Protos.TaskState state : Protos.TaskState.values()) {
      Protos.TaskStatus v0 = v0Status().toBuilder().setState(state).build();

      org.apache.mesos.v1.Protos.TaskStatus v1 =
          Evolve.evolve(v0, org.apache.mesos.v1.Protos.TaskStatus.parser());

      assertThat(v1.getState().name()).isEqualTo(state.name());
    }
  }

  @Test
  void idsDevolveAsTheRoundTripDoesAndAnUnsetValueStaysUnset() {
    var agent = org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a-S1").build();
    var task = org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue("t").build();
    var offer = org.apache.mesos.v1.Protos.OfferID.newBuilder().setValue("o-3").build();
    var framework = org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue("f-0001").build();

    assertThat(Evolve.devolve(agent)).isEqualTo(Evolve.devolve(agent, Protos.SlaveID.parser()));
    assertThat(Evolve.devolve(task)).isEqualTo(Evolve.devolve(task, Protos.TaskID.parser()));
    assertThat(Evolve.devolve(offer)).isEqualTo(Evolve.devolve(offer, Protos.OfferID.parser()));
    assertThat(Evolve.devolve(framework)).isEqualTo(Evolve.devolve(framework, Protos.FrameworkID.parser()));
    Protos.SlaveID unset = Evolve.devolve(org.apache.mesos.v1.Protos.AgentID.newBuilder().buildPartial());
    assertThat(unset.hasValue()).isFalse();
    assertThat(unset).isEqualTo(Evolve.devolvePartial(org.apache.mesos.v1.Protos.AgentID.newBuilder().buildPartial(),
        Protos.SlaveID.parser()));
  }

  @Test
  void missingRequiredFieldIsAClearError() {
    Protos.TaskStatus partial = Protos.TaskStatus.newBuilder()
        .setState(Protos.TaskState.TASK_RUNNING).buildPartial();

    assertThatThrownBy(() ->
        Evolve.evolve(partial, org.apache.mesos.v1.Protos.TaskStatus.parser()))
        .isInstanceOf(Evolve.ConversionException.class)
        .hasMessageContaining("mesos.TaskStatus");
  }

  @Test
  void partialFormsKeepMissingRequiredFields() {
    Protos.TaskStatus partial = Protos.TaskStatus.newBuilder()
        .setState(Protos.TaskState.TASK_RUNNING).buildPartial();

    org.apache.mesos.v1.Protos.TaskStatus v1 =
        Evolve.evolvePartial(partial, org.apache.mesos.v1.Protos.TaskStatus.parser());

    assertThat(v1.isInitialized()).isFalse();
    assertThat(v1.hasTaskId()).isFalse();
    assertThat(v1.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING);
    assertThat(Evolve.devolvePartial(v1, Protos.TaskStatus.parser())).isEqualTo(partial);
  }

  @Test
  void partialFormsConvertCompleteMessagesLikeTheStrictOnes() {
    Protos.TaskInfo v0 = v0Task();

    org.apache.mesos.v1.Protos.TaskInfo v1 =
        Evolve.evolvePartial(v0, org.apache.mesos.v1.Protos.TaskInfo.parser());

    assertThat(v1).isEqualTo(Evolve.evolve(v0, org.apache.mesos.v1.Protos.TaskInfo.parser()));
    assertThat(Evolve.devolvePartial(v1, Protos.TaskInfo.parser())).isEqualTo(v0);
  }

  @Test
  void listsConvertInOrderIntoANewMutableList() {
    Protos.TaskID partial = Protos.TaskID.newBuilder().buildPartial();
    List<Protos.TaskID> v0 = List.of(
        Protos.TaskID.newBuilder().setValue("a").build(), partial,
        Protos.TaskID.newBuilder().setValue("b").build());

    List<org.apache.mesos.v1.Protos.TaskID> v1 =
        Evolve.evolveAllPartial(v0, org.apache.mesos.v1.Protos.TaskID.parser());

    assertThat(v1).extracting(org.apache.mesos.v1.Protos.TaskID::getValue).containsExactly("a", "", "b");
    assertThat(v1.get(1).hasValue()).isFalse();
    List<Protos.TaskID> back = Evolve.devolveAllPartial(v1, Protos.TaskID.parser());
    assertThat(back).containsExactlyElementsOf(v0);
    back.add(partial);
    assertThat(back).hasSize(4);
    assertThat(Evolve.evolveAllPartial(List.of(), org.apache.mesos.v1.Protos.TaskID.parser())).isEmpty();
  }
}
