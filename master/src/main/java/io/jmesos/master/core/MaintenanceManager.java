package io.jmesos.master.core;

import io.jmesos.actor.Clock;
import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.master.registry.MaintenanceOperations;
import io.jmesos.master.state.Agent;
import io.jmesos.master.validation.MaintenanceValidator;
import io.jmesos.protocol.Evolve;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.v1.Protos.MachineID;
import org.apache.mesos.v1.Protos.MachineInfo;
import org.apache.mesos.v1.Protos.Unavailability;
import org.apache.mesos.v1.maintenance.Protos.ClusterStatus;
import org.apache.mesos.v1.maintenance.Protos.Schedule;
import org.apache.mesos.v1.maintenance.Protos.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance, as Mesos 1.11's master ({@code docs/maintenance.md}, {@code master/http.cpp}): the operator's
 * schedule puts machines in DRAINING mode, whose agents' offers carry the machine's unavailability and whose
 * frameworks get inverse offers ({@link InverseOffers}); /machine/down (START_MAINTENANCE) brings DRAINING
 * machines DOWN, shutting their agents down and refusing them until /machine/up (STOP_MAINTENANCE) takes the
 * machines out of maintenance and out of the schedule. Every change is stored in the registry before it is
 * applied. A machine is an agent's hostname and the IP of its pid, matched exactly as Mesos does. Runs on the
 * master's actor.
 */
public final class MaintenanceManager {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceManager.class);

  private final MasterContext ctx;
  /** The inverse offers of DRAINING machines' agents. */
  public final InverseOffers inverseOffers;
  private Clock.Timer ticker;

  MaintenanceManager(MasterContext ctx) {
    this.ctx = ctx;
    this.inverseOffers = new InverseOffers(ctx);
  }

  /** Takes the machines and the schedule the registry holds (a newly elected master). */
  void recover(Registry registry) {
    for (Registry.Machine machine : registry.getMachines().getMachinesList()) {
      MachineInfo info = Evolve.evolvePartial(machine.getInfo(), MachineInfo.parser());
      ctx.state.machines.put(info.getId(), info);
    }
    if (registry.getSchedulesCount() > 0) {
      ctx.state.schedule = registry.getSchedules(0);
    }
    if (!ctx.state.machines.isEmpty()) {
      LOG.info("Recovered {} machines in maintenance from the registry", ctx.state.machines.size());
      tick();
    }
  }

  /** The machine an agent runs on: its hostname and the IP of its pid. */
  public static MachineID machineOf(SlaveInfo info, String pid) {
    MachineID.Builder id = MachineID.newBuilder().setHostname(info.getHostname());
    String ip = Agent.hostOf(pid);
    if (!ip.isEmpty()) {
      id.setIp(ip);
    }
    return id.build();
  }

  public static MachineID machineOf(Agent agent) {
    return machineOf(agent.info, agent.pid);
  }

  /** An agent on a DOWN machine may not (re-)register (Mesos shuts it down: "Machine is `DOWN`"). */
  public boolean isDown(SlaveInfo info, String pid) {
    MachineInfo machine = ctx.state.machines.get(machineOf(info, pid));
    return machine != null && machine.getMode() == MachineInfo.Mode.DOWN;
  }

  /** The unavailability its offers carry: that of its machine when DRAINING. */
  public Optional<org.apache.mesos.Protos.Unavailability> unavailability(Agent agent) {
    MachineInfo machine = ctx.state.machines.get(machineOf(agent));
    if (machine == null || machine.getMode() != MachineInfo.Mode.DRAINING || !machine.hasUnavailability()) {
      return Optional.empty();
    }
    return Optional.of(Evolve.devolvePartial(machine.getUnavailability(),
        org.apache.mesos.Protos.Unavailability.parser()));
  }

  /** The mode of a machine: UP unless in maintenance. */
  public MachineInfo machine(MachineID id) {
    return ctx.state.machines.getOrDefault(id,
        MachineInfo.newBuilder().setId(id).setMode(MachineInfo.Mode.UP).build());
  }

  /** The schedule, or an empty one for a reader that may not see it (Mesos filters machine by machine). */
  public Schedule schedule(boolean visible) {
    return visible ? ctx.state.schedule : Schedule.getDefaultInstance();
  }

  /** UPDATE_MAINTENANCE_SCHEDULE and POST /maintenance/schedule: 400 for an invalid schedule. */
  public CompletableFuture<Optional<Rejection>> updateSchedule(Schedule schedule) {
    Optional<String> invalid = MaintenanceValidator.schedule(schedule, ctx.state.machines);
    if (invalid.isPresent()) {
      return rejected(Rejection.badRequest(invalid.get()));
    }
    Optional<Rejection> notRecovered = ctx.notRecovered();
    if (notRecovered.isPresent()) {
      return CompletableFuture.completedFuture(notRecovered);
    }
    return ctx.registrar.apply(MaintenanceOperations.updateSchedule(schedule)).thenApply(changed -> {
      Map<MachineID, Unavailability> unavailabilities = new HashMap<>();
      for (Window window : schedule.getWindowsList()) {
        window.getMachineIdsList().forEach(id -> unavailabilities.put(id, window.getUnavailability()));
      }
      for (MachineID id : List.copyOf(ctx.state.machines.keySet())) {
        Unavailability unavailability = unavailabilities.get(id);
        if (unavailability == null) {
          ctx.state.machines.remove(id);
          updateUnavailability(id);
        } else {
          ctx.state.machines.put(id, ctx.state.machines.get(id).toBuilder().setUnavailability(unavailability).build());
          updateUnavailability(id);
        }
      }
      unavailabilities.forEach((id, unavailability) -> {
        if (!ctx.state.machines.containsKey(id)) {
          ctx.state.machines.put(id, MachineInfo.newBuilder().setId(id).setMode(MachineInfo.Mode.DRAINING)
              .setUnavailability(unavailability).build());
          updateUnavailability(id);
        }
      });
      ctx.state.schedule = schedule;
      LOG.info("Updated the maintenance schedule: {} windows, {} machines in maintenance",
          schedule.getWindowsCount(), ctx.state.machines.size());
      tick();
      return Optional.empty();
    });
  }

  /**
   * Mesos' checks of START_MAINTENANCE and STOP_MAINTENANCE: valid ids, each scheduled and in {@code mode}; the
   * first failure's message, or empty.
   */
  private Optional<String> invalidModes(List<MachineID> ids, MachineInfo.Mode mode, String direction) {
    Optional<String> invalid = MaintenanceValidator.machines(ids);
    if (invalid.isPresent()) {
      return invalid;
    }
    for (MachineID id : ids) {
      MachineInfo machine = ctx.state.machines.get(id);
      if (machine == null) {
        return Optional.of(notScheduled(id));
      }
      if (machine.getMode() != mode) {
        return Optional.of("Machine '" + MaintenanceValidator.json(id) + "' is not in " + mode
            + " mode and cannot be brought " + direction);
      }
    }
    return Optional.empty();
  }

  /** START_MAINTENANCE and POST /machine/down: only scheduled DRAINING machines go DOWN. */
  public CompletableFuture<Optional<Rejection>> start(List<MachineID> ids) {
    Optional<String> invalid = invalidModes(ids, MachineInfo.Mode.DRAINING, "down");
    if (invalid.isPresent()) {
      return rejected(Rejection.badRequest(invalid.get()));
    }
    Set<MachineID> down = new LinkedHashSet<>(ids);
    return ctx.registrar.apply(MaintenanceOperations.startMaintenance(down)).thenApply(changed -> {
      for (Agent agent : List.copyOf(ctx.state.agents.values())) {
        if (down.contains(machineOf(agent))) {
          ctx.removal.machineDown(agent);
        }
      }
      for (MachineID id : down) {
        ctx.state.machines.put(id, ctx.state.machines.get(id).toBuilder().setMode(MachineInfo.Mode.DOWN).build());
        LOG.info("Machine {} is DOWN for maintenance", MaintenanceValidator.json(id));
      }
      return Optional.empty();
    });
  }

  /** STOP_MAINTENANCE and POST /machine/up: DOWN machines are UP again and leave the schedule. */
  public CompletableFuture<Optional<Rejection>> stop(List<MachineID> ids) {
    Optional<String> invalid = invalidModes(ids, MachineInfo.Mode.DOWN, "up");
    if (invalid.isPresent()) {
      return rejected(Rejection.badRequest(invalid.get()));
    }
    Set<MachineID> up = new LinkedHashSet<>(ids);
    return ctx.registrar.apply(MaintenanceOperations.stopMaintenance(up)).thenApply(changed -> {
      up.forEach(id -> {
        ctx.state.machines.remove(id);
        LOG.info("Machine {} is UP after maintenance", MaintenanceValidator.json(id));
      });
      Schedule.Builder schedule = Schedule.newBuilder();
      for (Window window : ctx.state.schedule.getWindowsList()) {
        List<MachineID> kept = new ArrayList<>(window.getMachineIdsList());
        kept.removeAll(up);
        if (!kept.isEmpty()) {
          schedule.addWindows(window.toBuilder().clearMachineIds().addAllMachineIds(kept));
        }
      }
      ctx.state.schedule = schedule.build();
      return Optional.empty();
    });
  }

  /**
   * GET_MAINTENANCE_STATUS and /maintenance/status: DRAINING machines with their agents' inverse offer
   * responses, and DOWN machines; empty for a reader that may not see it.
   */
  public ClusterStatus status(boolean visible) {
    ClusterStatus.Builder status = ClusterStatus.newBuilder();
    if (!visible) {
      return status.build();
    }
    ctx.state.machines.forEach((id, machine) -> {
      if (machine.getMode() == MachineInfo.Mode.DRAINING) {
        ClusterStatus.DrainingMachine.Builder draining = status.addDrainingMachinesBuilder().setId(id);
        for (Agent agent : ctx.state.agents.values()) {
          if (machineOf(agent).equals(id)) {
            draining.addAllStatuses(inverseOffers.statuses(agent.id()));
          }
        }
      } else if (machine.getMode() == MachineInfo.Mode.DOWN) {
        status.addDownMachines(id);
      }
    });
    return status.build();
  }

  /**
   * Mesos' {@code updateUnavailability}: the machine's agents' offers are rescinded (and made again carrying
   * the new unavailability) and so are their inverse offers.
   */
  private void updateUnavailability(MachineID id) {
    for (Agent agent : ctx.state.agents.values()) {
      if (machineOf(agent).equals(id)) {
        ctx.offers.rescindAll(agent);
        inverseOffers.unavailabilityChanged(agent.id());
      }
    }
  }

  /** Makes the inverse offers due, then again every --allocation_interval while a machine drains. */
  private void tick() {
    if (ticker != null) {
      ticker.cancel();
      ticker = null;
    }
    boolean draining = ctx.state.machines.values().stream().anyMatch(m -> m.getMode() == MachineInfo.Mode.DRAINING);
    if (!draining) {
      return;
    }
    inverseOffers.generate();
    ticker = ctx.actor.delay(ctx.flags.allocationInterval(), this::tick);
  }

  private static String notScheduled(MachineID id) {
    return "Machine '" + MaintenanceValidator.json(id) + "' is not part of a maintenance schedule";
  }

  private static CompletableFuture<Optional<Rejection>> rejected(Rejection rejection) {
    return CompletableFuture.completedFuture(Optional.of(rejection));
  }
}
