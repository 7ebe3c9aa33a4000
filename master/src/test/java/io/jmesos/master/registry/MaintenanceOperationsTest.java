package io.jmesos.master.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.internal.RegistryProtos.Registry;
import java.util.Set;
import org.apache.mesos.Protos.DrainConfig;
import org.apache.mesos.Protos.DrainState;
import org.apache.mesos.Protos.MachineInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.v1.Protos.MachineID;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.Protos.Unavailability;
import org.apache.mesos.v1.maintenance.Protos.Schedule;
import org.apache.mesos.v1.maintenance.Protos.Window;
import org.junit.jupiter.api.Test;

/** The registry side of maintenance and draining, as Mesos' UpdateSchedule, Start/StopMaintenance, DrainAgent. */
class MaintenanceOperationsTest {
  private static final MachineID A = MachineID.newBuilder().setHostname("a").build();
  private static final MachineID B = MachineID.newBuilder().setHostname("b").setIp("10.0.0.2").build();
  private static final SlaveID ID = SlaveID.newBuilder().setValue("S1").build();

  private static Window window(long start, MachineID... machines) {
    return Window.newBuilder().addAllMachineIds(java.util.List.of(machines))
        .setUnavailability(Unavailability.newBuilder().setStart(TimeInfo.newBuilder().setNanoseconds(start))).build();
  }

  private static MachineInfo machine(Registry.Builder registry, int i) {
    return registry.getMachines().getMachines(i).getInfo();
  }

  @Test
  void scheduleMachinesGoDownAndUpAndLeaveTheSchedule() {
    Registry.Builder registry = Registry.newBuilder();
    assertThat(MaintenanceOperations.updateSchedule(Schedule.newBuilder().addWindows(window(1, A, B)).build())
        .apply(registry)).isTrue();
    assertThat(registry.getMachines().getMachinesCount()).isEqualTo(2);
    assertThat(machine(registry, 0).getMode()).isEqualTo(MachineInfo.Mode.DRAINING);
    assertThat(machine(registry, 1).getId().getIp()).isEqualTo("10.0.0.2");

    assertThat(MaintenanceOperations.startMaintenance(Set.of(B)).apply(registry)).isTrue();
    assertThat(machine(registry, 1).getMode()).isEqualTo(MachineInfo.Mode.DOWN);

    // A new schedule keeps the modes of the machines still in it, with their new unavailability, and forgets A.
    assertThat(MaintenanceOperations.updateSchedule(Schedule.newBuilder().addWindows(window(7, B)).build())
        .apply(registry)).isTrue();
    assertThat(registry.getMachines().getMachinesCount()).isEqualTo(1);
    assertThat(machine(registry, 0).getMode()).isEqualTo(MachineInfo.Mode.DOWN);
    assertThat(machine(registry, 0).getUnavailability().getStart().getNanoseconds()).isEqualTo(7);

    assertThat(MaintenanceOperations.stopMaintenance(Set.of(B)).apply(registry)).isTrue();
    assertThat(registry.getMachines().getMachinesCount()).isZero();
    assertThat(registry.getSchedulesCount()).as("the emptied schedule goes").isZero();
    assertThat(MaintenanceOperations.stopMaintenance(Set.of(B)).apply(registry)).isFalse();
  }

  @Test
  void drainInfoFollowsTheAgentThroughUnreachableAndEndsWithReactivation() {
    SlaveInfo info = SlaveInfo.newBuilder().setId(ID).setHostname("h").build();
    Registry.Builder registry = Registry.newBuilder();
    RegistryOperations.admit(info).apply(registry);
    assertThat(MaintenanceOperations.drain(ID, DrainConfig.newBuilder().setMarkGone(true).build()).apply(registry))
        .isTrue();
    assertThat(registry.getSlaves().getSlaves(0).getDeactivated()).isTrue();
    assertThat(registry.getSlaves().getSlaves(0).getDrainInfo().getState()).isEqualTo(DrainState.DRAINING);

    RegistryOperations.markUnreachable(ID, 10).apply(registry);
    assertThat(registry.getUnreachable().getSlaves(0).getDrainInfo().getConfig().getMarkGone()).isTrue();
    RegistryOperations.markReachable(info).apply(registry);
    assertThat(registry.getSlaves().getSlaves(0).getDrainInfo().getState()).isEqualTo(DrainState.DRAINING);

    assertThat(MaintenanceOperations.markDrained(ID).apply(registry)).isTrue();
    assertThat(registry.getSlaves().getSlaves(0).getDrainInfo().getState()).isEqualTo(DrainState.DRAINED);
    assertThat(RegistryOperations.deactivated(ID, false).apply(registry)).isTrue();
    assertThat(registry.getSlaves().getSlaves(0).hasDrainInfo()).isFalse();
    assertThat(MaintenanceOperations.markDrained(ID).apply(registry)).as("no longer draining").isFalse();
    assertThat(MaintenanceOperations.drain(SlaveID.newBuilder().setValue("other").build(),
        DrainConfig.getDefaultInstance()).apply(registry)).as("unknown agent").isFalse();
  }
}
