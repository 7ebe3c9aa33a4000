package io.jmesos.master.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.internal.RegistryProtos.Registry;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.junit.jupiter.api.Test;

/** The deactivated flag the registry keeps for DEACTIVATE_AGENT, across partitions and re-registrations. */
class RegistryDeactivationTest {
  private static final SlaveID ID = SlaveID.newBuilder().setValue("S1").build();
  private static final SlaveInfo INFO = SlaveInfo.newBuilder().setId(ID).setHostname("h1").build();

  @Test
  void theFlagFollowsTheAgentThroughUnreachableAndBack() {
    Registry.Builder registry = Registry.newBuilder();
    assertThat(RegistryOperations.admit(INFO).apply(registry)).isTrue();
    assertThat(RegistryOperations.deactivated(ID, true).apply(registry)).isTrue();
    assertThat(RegistryOperations.deactivated(ID, true).apply(registry)).as("no change the second time").isFalse();
    assertThat(registry.getSlaves().getSlaves(0).getDeactivated()).isTrue();

    assertThat(RegistryOperations.markUnreachable(ID, 10).apply(registry)).isTrue();
    assertThat(registry.getUnreachable().getSlaves(0).getDeactivated()).isTrue();
    assertThat(RegistryOperations.markReachable(INFO.toBuilder().setHostname("h1").build()).apply(registry))
        .isTrue();
    assertThat(registry.getSlaves().getSlaves(0).getDeactivated()).as("back from unreachable").isTrue();
    assertThat(RegistryOperations.markReachable(INFO.toBuilder().setPort(5052).build()).apply(registry)).isTrue();
    assertThat(registry.getSlaves().getSlaves(0).getDeactivated()).as("with a changed info").isTrue();

    assertThat(RegistryOperations.deactivated(ID, false).apply(registry)).isTrue();
    assertThat(registry.getSlaves().getSlaves(0).getDeactivated()).isFalse();
    assertThat(RegistryOperations.deactivated(SlaveID.newBuilder().setValue("other").build(), true)
        .apply(registry)).as("an unknown agent").isFalse();
  }
}
