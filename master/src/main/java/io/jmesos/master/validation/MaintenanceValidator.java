package io.jmesos.master.validation;

import io.jmesos.json.MesosJson;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.mesos.v1.Protos.MachineID;
import org.apache.mesos.v1.Protos.MachineInfo;
import org.apache.mesos.v1.Protos.Unavailability;
import org.apache.mesos.v1.maintenance.Protos.Schedule;
import org.apache.mesos.v1.maintenance.Protos.Window;

/**
 * Mesos 1.11's maintenance validation ({@code master/maintenance.cpp}): a schedule's windows each name machines
 * and a non-negative duration, a machine is in one window only, a DOWN machine cannot leave the schedule; a
 * machine list for /machine/down and /machine/up is non-empty without duplicates; a machine has a hostname or
 * an IPv4 address. Errors are Mesos' texts. Pure functions.
 */
public final class MaintenanceValidator {
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private MaintenanceValidator() {}

  /** A new schedule, given the machines in maintenance now. */
  public static Optional<String> schedule(Schedule schedule, Map<MachineID, MachineInfo> machines) {
    Set<MachineID> updated = new HashSet<>();
    for (Window window : schedule.getWindowsList()) {
      if (window.getMachineIdsCount() == 0) {
        return Optional.of("List of machines in the maintenance window is empty");
      }
      Optional<String> unavailability = unavailability(window.getUnavailability());
      if (unavailability.isPresent()) {
        return unavailability;
      }
      for (MachineID id : window.getMachineIdsList()) {
        Optional<String> invalid = machine(id);
        if (invalid.isPresent()) {
          return invalid;
        }
        if (!updated.add(id)) {
          return Optional.of("Machine '" + json(id) + "' appears more than once in the schedule");
        }
      }
    }
    for (Map.Entry<MachineID, MachineInfo> machine : machines.entrySet()) {
      if (machine.getValue().getMode() == MachineInfo.Mode.DOWN && !updated.contains(machine.getKey())) {
        return Optional.of("Machine '" + json(machine.getKey())
            + "' is deactivated and cannot be removed from the schedule");
      }
    }
    return Optional.empty();
  }

  public static Optional<String> unavailability(Unavailability unavailability) {
    if (unavailability.getDuration().getNanoseconds() < 0) {
      return Optional.of("Unavailability 'duration' is negative");
    }
    return Optional.empty();
  }

  /** The machines of START_MAINTENANCE, STOP_MAINTENANCE, /machine/down and /machine/up. */
  public static Optional<String> machines(Collection<MachineID> ids) {
    if (ids.isEmpty()) {
      return Optional.of("List of machines is empty");
    }
    Set<MachineID> unique = new HashSet<>();
    for (MachineID id : ids) {
      Optional<String> invalid = machine(id);
      if (invalid.isPresent()) {
        return invalid;
      }
      if (!unique.add(id)) {
        return Optional.of("Machine '" + json(id) + "' appears more than once in the schedule");
      }
    }
    return Optional.empty();
  }

  public static Optional<String> machine(MachineID id) {
    if (id.getHostname().isEmpty() && id.getIp().isEmpty()) {
      return Optional.of("Both 'hostname' and 'ip' for a machine are empty");
    }
    if (!id.getIp().isEmpty() && !IPV4.matcher(id.getIp()).matches()) {
      return Optional.of("Failed to parse IPv4: " + id.getIp());
    }
    return Optional.empty();
  }

  /** A machine id as Mesos writes it in messages: its JSON. */
  public static String json(MachineID id) {
    return MesosJson.toTree(id).toString();
  }
}
