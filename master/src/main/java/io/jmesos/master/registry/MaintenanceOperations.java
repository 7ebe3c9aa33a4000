package io.jmesos.master.registry;

import io.jmesos.internal.RegistryProtos.Registry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.Protos.DrainConfig;
import org.apache.mesos.Protos.DrainInfo;
import org.apache.mesos.Protos.DrainState;
import org.apache.mesos.Protos.MachineID;
import org.apache.mesos.Protos.MachineInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Unavailability;
import org.apache.mesos.v1.maintenance.Protos.Schedule;
import org.apache.mesos.v1.maintenance.Protos.Window;

/**
 * The registry operations of maintenance and draining, as Mesos 1.11's {@code UpdateSchedule},
 * {@code StartMaintenance}, {@code StopMaintenance} ({@code master/maintenance.cpp}), {@code DrainAgent} and
 * {@code MarkAgentDrained} ({@code master/registry_operations.cpp}).
 */
public final class MaintenanceOperations {
  private MaintenanceOperations() {}

  /**
   * Replaces the schedule: machines that left it are forgotten, machines still in it keep their mode with the
   * new unavailability, new machines are DRAINING.
   */
  public static RegistryOperation updateSchedule(Schedule schedule) {
    return RegistryOperations.operation("Update maintenance schedule", registry -> {
      Set<MachineID> existing = new HashSet<>();
      for (Schedule old : registry.getSchedulesList()) {
        for (Window window : old.getWindowsList()) {
          window.getMachineIdsList().forEach(id -> existing.add(v0(id)));
        }
      }
      Map<MachineID, Unavailability> updated = new HashMap<>();
      for (Window window : schedule.getWindowsList()) {
        Unavailability unavailability = v0(window.getUnavailability());
        window.getMachineIdsList().forEach(id -> updated.put(v0(id), unavailability));
      }
      Registry.Machines.Builder machines = registry.getMachinesBuilder();
      for (int i = machines.getMachinesCount() - 1; i >= 0; i--) {
        MachineID id = machines.getMachines(i).getInfo().getId();
        if (updated.containsKey(id)) {
          machines.getMachinesBuilder(i).getInfoBuilder().setUnavailability(updated.get(id));
        } else {
          machines.removeMachines(i);
        }
      }
      for (Window window : schedule.getWindowsList()) {
        for (org.apache.mesos.v1.Protos.MachineID id : window.getMachineIdsList()) {
          if (!existing.contains(v0(id))) {
            machines.addMachines(Registry.Machine.newBuilder().setInfo(MachineInfo.newBuilder().setId(v0(id))
                .setMode(MachineInfo.Mode.DRAINING).setUnavailability(v0(window.getUnavailability()))));
          }
        }
      }
      registry.clearSchedules().addSchedules(schedule);
      return true;
    });
  }

  /** The machines go DOWN (the caller checked they are DRAINING). */
  public static RegistryOperation startMaintenance(Set<org.apache.mesos.v1.Protos.MachineID> ids) {
    return RegistryOperations.operation("Start maintenance on " + ids.size() + " machines", registry -> {
      Set<MachineID> down = v0(ids);
      boolean changed = false;
      Registry.Machines.Builder machines = registry.getMachinesBuilder();
      for (int i = 0; i < machines.getMachinesCount(); i++) {
        if (down.contains(machines.getMachines(i).getInfo().getId())) {
          machines.getMachinesBuilder(i).getInfoBuilder().setMode(MachineInfo.Mode.DOWN);
          changed = true;
        }
      }
      return changed;
    });
  }

  /** The machines are UP again: they leave the machines and the schedule (empty windows and schedules go). */
  public static RegistryOperation stopMaintenance(Set<org.apache.mesos.v1.Protos.MachineID> ids) {
    return RegistryOperations.operation("Stop maintenance on " + ids.size() + " machines", registry -> {
      Set<MachineID> up = v0(ids);
      boolean changed = false;
      Registry.Machines.Builder machines = registry.getMachinesBuilder();
      for (int i = machines.getMachinesCount() - 1; i >= 0; i--) {
        if (up.contains(machines.getMachines(i).getInfo().getId())) {
          machines.removeMachines(i);
          changed = true;
        }
      }
      for (int i = registry.getSchedulesCount() - 1; i >= 0; i--) {
        Schedule.Builder schedule = registry.getSchedulesBuilder(i);
        for (int j = schedule.getWindowsCount() - 1; j >= 0; j--) {
          Window.Builder window = schedule.getWindowsBuilder(j);
          List<org.apache.mesos.v1.Protos.MachineID> kept = window.getMachineIdsList().stream()
              .filter(id -> !up.contains(v0(id))).collect(java.util.stream.Collectors.toList());
          window.clearMachineIds().addAllMachineIds(kept);
          if (kept.isEmpty()) {
            schedule.removeWindows(j);
          }
        }
        if (schedule.getWindowsCount() == 0) {
          registry.removeSchedules(i);
        }
      }
      return changed;
    });
  }

  /**
   * DRAIN_AGENT: the admitted or unreachable agent is DRAINING with {@code config}, and deactivated; false when
   * the registry does not hold the agent.
   */
  public static RegistryOperation drain(SlaveID id, DrainConfig config) {
    DrainInfo info = DrainInfo.newBuilder().setState(DrainState.DRAINING).setConfig(config).build();
    return RegistryOperations.operation("Drain agent " + id.getValue(), registry -> {
      int admitted = RegistryOperations.indexOfAdmitted(registry, id);
      if (admitted >= 0) {
        registry.getSlavesBuilder().getSlavesBuilder(admitted).setDrainInfo(info).setDeactivated(true);
        return true;
      }
      List<Registry.UnreachableSlave> unreachable = registry.getUnreachable().getSlavesList();
      for (int i = 0; i < unreachable.size(); i++) {
        if (unreachable.get(i).getId().equals(id)) {
          registry.getUnreachableBuilder().getSlavesBuilder(i).setDrainInfo(info).setDeactivated(true);
          return true;
        }
      }
      return false;
    });
  }

  /** A draining agent has no task left: DRAINED (false when it is no longer admitted or draining). */
  public static RegistryOperation markDrained(SlaveID id) {
    return RegistryOperations.operation("Mark agent " + id.getValue() + " drained", registry -> {
      int admitted = RegistryOperations.indexOfAdmitted(registry, id);
      if (admitted < 0 || !registry.getSlaves().getSlaves(admitted).hasDrainInfo()) {
        return false;
      }
      registry.getSlavesBuilder().getSlavesBuilder(admitted).getDrainInfoBuilder().setState(DrainState.DRAINED);
      return true;
    });
  }

  private static Set<MachineID> v0(Set<org.apache.mesos.v1.Protos.MachineID> ids) {
    Set<MachineID> result = new HashSet<>();
    ids.forEach(id -> result.add(v0(id)));
    return result;
  }

  /** The v0 machine id (the registry's type) of a v1 one: the same fields. */
  public static MachineID v0(org.apache.mesos.v1.Protos.MachineID id) {
    MachineID.Builder v0 = MachineID.newBuilder();
    if (id.hasHostname()) {
      v0.setHostname(id.getHostname());
    }
    if (id.hasIp()) {
      v0.setIp(id.getIp());
    }
    return v0.build();
  }

  private static Unavailability v0(org.apache.mesos.v1.Protos.Unavailability unavailability) {
    return io.jmesos.protocol.Evolve.devolvePartial(unavailability, Unavailability.parser());
  }
}
