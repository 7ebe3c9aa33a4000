package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.agent.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OperatorCallValidatorTest {
  @Test
  void acceptsCallsThatNeedNoSubMessage() {
    for (Call.Type type : new Call.Type[] {Call.Type.UNKNOWN, Call.Type.GET_HEALTH, Call.Type.GET_FLAGS,
        Call.Type.GET_VERSION, Call.Type.GET_STATE, Call.Type.GET_CONTAINERS, Call.Type.GET_FRAMEWORKS,
        Call.Type.GET_EXECUTORS, Call.Type.GET_TASKS, Call.Type.GET_AGENT, Call.Type.PRUNE_IMAGES}) {
      assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(type).build())).as(type.name()).isEmpty();
    }
  }

  @Test
  void requiresTheType() {
    assertThat(OperatorCallValidator.validate(Call.getDefaultInstance()))
        .contains("Expecting 'type' to be present");
  }

  @Test
  void requiresTheSubMessageOfItsType() {
    assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(Call.Type.GET_METRICS).build()))
        .contains("Expecting 'get_metrics' to be present");
    assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(Call.Type.GET_METRICS)
        .setGetMetrics(Call.GetMetrics.getDefaultInstance()).build())).isEmpty();
    assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(Call.Type.KILL_CONTAINER).build()))
        .contains("Expecting 'kill_container' to be present");
    assertThat(OperatorCallValidator.validate(Call.newBuilder().setType(Call.Type.MARK_RESOURCE_PROVIDER_GONE)
        .build())).contains("Expecting 'mark_resource_provider_gone' to be present");
  }

  @Test
  void refusesAnUninitializedCall() {
    Call call = Call.newBuilder().setType(Call.Type.KILL_CONTAINER)
        .setKillContainer(Call.KillContainer.newBuilder().buildPartial()).buildPartial();
    assertThat(OperatorCallValidator.validate(call)).hasValueSatisfying(error ->
        assertThat(error).startsWith("Not initialized: ").contains("kill_container.container_id"));
    assertThat(OperatorCallValidator.validate(call.toBuilder()
        .setKillContainer(Call.KillContainer.newBuilder().setContainerId(ContainerID.newBuilder().setValue("c")))
        .build())).isEmpty();
  }
}
