package io.jmesos.master.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.master.Protos.Call;
import org.junit.jupiter.api.Test;

class OperatorCallValidatorTest {
  @Test
  void theTypeMustBePresent() {
    assertThat(OperatorCallValidator.validate(Call.getDefaultInstance()))
        .contains("Expecting 'type' to be present");
    assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(Call.Type.UNKNOWN).build())).isEmpty();
  }

  @Test
  void callsWithoutAFieldNeedNone() {
    for (Call.Type type : new Call.Type[] {Call.Type.GET_HEALTH, Call.Type.GET_FLAGS, Call.Type.GET_VERSION,
        Call.Type.GET_STATE, Call.Type.GET_AGENTS, Call.Type.GET_FRAMEWORKS, Call.Type.GET_EXECUTORS,
        Call.Type.GET_TASKS, Call.Type.GET_ROLES, Call.Type.GET_MASTER, Call.Type.SUBSCRIBE}) {
      assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(type).build())).as(type.name())
          .isEmpty();
    }
  }

  @Test
  void theMatchingFieldMustBePresent() {
    assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(Call.Type.GET_METRICS).build()))
        .contains("Expecting 'get_metrics' to be present");
    assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(Call.Type.GET_METRICS)
        .setGetMetrics(Call.GetMetrics.getDefaultInstance()).build())).isEmpty();
    assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(Call.Type.MARK_AGENT_GONE).build()))
        .contains("Expecting 'mark_agent_gone' to be present");
    assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(Call.Type.UPDATE_QUOTA).build()))
        .contains("Expecting 'update_quota' to be present");
  }

  @Test
  void reservationsCarryValidResources() {
    Resource negative = Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(-1)).build();
    Call reserve = Call.newBuilder().setType(Call.Type.RESERVE_RESOURCES).setReserveResources(
        Call.ReserveResources.newBuilder().setAgentId(AgentID.newBuilder().setValue("a")).addResources(negative))
        .build();
    assertThat(OperatorCallValidator.validate(reserve)).isPresent();
  }

  @Test
  void volumeResizesNameAnAgent() {
    Resource disk = Resource.newBuilder().setName("disk").setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(1)).build();
    Call grow = Call.newBuilder().setType(Call.Type.GROW_VOLUME)
        .setGrowVolume(Call.GrowVolume.newBuilder().setVolume(disk).setAddition(disk)).build();
    assertThat(OperatorCallValidator.validate(grow)).contains(
        "Expecting 'agent_id' to be present; only agent default resources are supported right now");
  }
}
