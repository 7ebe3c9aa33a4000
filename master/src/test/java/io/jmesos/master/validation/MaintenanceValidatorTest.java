package io.jmesos.master.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.MachineID;
import org.apache.mesos.v1.Protos.MachineInfo;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.Protos.Unavailability;
import org.apache.mesos.v1.maintenance.Protos.Schedule;
import org.apache.mesos.v1.maintenance.Protos.Window;
import org.junit.jupiter.api.Test;

/** Mesos' maintenance validation and its messages. */
class MaintenanceValidatorTest {
  private static final MachineID A = MachineID.newBuilder().setHostname("a").setIp("10.0.0.1").build();
  private static final Unavailability SOON = Unavailability.newBuilder()
      .setStart(TimeInfo.newBuilder().setNanoseconds(1)).build();

  private static Schedule schedule(Window... windows) {
    return Schedule.newBuilder().addAllWindows(List.of(windows)).build();
  }

  private static Window window(Unavailability unavailability, MachineID... machines) {
    return Window.newBuilder().addAllMachineIds(List.of(machines)).setUnavailability(unavailability).build();
  }

  @Test
  void schedules() {
    assertThat(MaintenanceValidator.schedule(schedule(window(SOON, A)), Map.of())).isEmpty();
    assertThat(MaintenanceValidator.schedule(schedule(), Map.of())).isEmpty();
    assertThat(MaintenanceValidator.schedule(schedule(window(SOON)), Map.of()))
        .contains("List of machines in the maintenance window is empty");
    assertThat(MaintenanceValidator.schedule(schedule(window(SOON.toBuilder()
        .setDuration(DurationInfo.newBuilder().setNanoseconds(-1)).build(), A)), Map.of()))
        .contains("Unavailability 'duration' is negative");
    assertThat(MaintenanceValidator.schedule(schedule(window(SOON, A), window(SOON, A)), Map.of()))
        .contains("Machine '{\"hostname\":\"a\",\"ip\":\"10.0.0.1\"}' appears more than once in the schedule");
    MachineInfo down = MachineInfo.newBuilder().setId(A).setMode(MachineInfo.Mode.DOWN).build();
    assertThat(MaintenanceValidator.schedule(schedule(), Map.of(A, down)))
        .contains("Machine '{\"hostname\":\"a\",\"ip\":\"10.0.0.1\"}' is deactivated and cannot be removed from "
            + "the schedule");
    assertThat(MaintenanceValidator.schedule(schedule(window(SOON, A)), Map.of(A, down))).isEmpty();
  }

  @Test
  void machines() {
    assertThat(MaintenanceValidator.machines(List.of())).contains("List of machines is empty");
    assertThat(MaintenanceValidator.machines(List.of(A, A))).isPresent();
    assertThat(MaintenanceValidator.machine(MachineID.getDefaultInstance()))
        .contains("Both 'hostname' and 'ip' for a machine are empty");
    assertThat(MaintenanceValidator.machine(MachineID.newBuilder().setIp("256.1.1.1").build()))
        .contains("Failed to parse IPv4: 256.1.1.1");
    assertThat(MaintenanceValidator.machine(MachineID.newBuilder().setIp("10.1.1.1").build())).isEmpty();
    assertThat(MaintenanceValidator.machine(MachineID.newBuilder().setHostname("h").build())).isEmpty();
  }
}
