package io.jmesos.master.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.internal.RegistryProtos.Registry;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One batch of registry operations sharing the index of admitted agents, as the registrar applies them. */
@Timeout(10)
class AdmittedAgentsTest {
  private static SlaveInfo info(String id) {
    return SlaveInfo.newBuilder().setHostname(id).setId(SlaveID.newBuilder().setValue(id)).build();
  }

  @Test
  void anAgentIsAdmittedOnceAndAgainAfterAnUnindexedOperationMovedIt() {
    Registry.Builder registry = Registry.newBuilder();
    registry.getSlavesBuilder().addSlaves(Registry.Slave.newBuilder().setInfo(info("a0")));
    AdmittedAgents admitted = new AdmittedAgents(registry);

    assertThat(RegistryOperations.admit(info("a0")).apply(registry, admitted)).as("already admitted").isFalse();
    assertThat(RegistryOperations.admit(info("a1")).apply(registry, admitted)).isTrue();
    assertThat(RegistryOperations.admit(info("a1")).apply(registry, admitted)).as("admitted in this batch").isFalse();
    assertThat(RegistryOperations.markUnreachable(info("a1").getId(), 1.0).apply(registry, admitted)).isTrue();
    assertThat(registry.getSlaves().getSlavesCount()).isEqualTo(1);
    assertThat(RegistryOperations.admit(info("a1")).apply(registry, admitted)).as("no longer admitted").isTrue();
    assertThat(RegistryOperations.markReachable(info("a2")).apply(registry, admitted)).isTrue();
    assertThat(RegistryOperations.admit(info("a2")).apply(registry, admitted)).isFalse();
    assertThat(registry.getSlaves().getSlavesList()).extracting(s -> s.getInfo().getId().getValue())
        .containsExactly("a0", "a1", "a2");
  }
}
