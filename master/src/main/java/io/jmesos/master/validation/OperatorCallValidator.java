package io.jmesos.master.validation;

import io.jmesos.protocol.Evolve;
import io.jmesos.resources.Resources;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.master.Protos.Call;

/**
 * Stateless checks of an operator {@link Call}, as Mesos' {@code validation::master::call::validate}: the type
 * is present and, for the calls that carry one, so is the matching field; RESERVE_RESOURCES and
 * UNRESERVE_RESOURCES carry valid resources; GROW_VOLUME and SHRINK_VOLUME name an agent. Every call type is
 * checked, also those the master answers 501, so that a malformed call gets Mesos' 400. Thread-safe.
 */
public final class OperatorCallValidator {
  private OperatorCallValidator() {}

  @SuppressWarnings("deprecation") // SET_QUOTA and REMOVE_QUOTA are deprecated in Mesos 1.11, still validated.
  public static Optional<String> validate(Call call) {
    if (!call.isInitialized()) {
      return Optional.of("Not initialized: " + String.join(", ", call.findInitializationErrors()));
    }
    if (!call.hasType()) {
      return Optional.of("Expecting 'type' to be present");
    }
    switch (call.getType()) {
      case GET_METRICS:
        return require(call.hasGetMetrics(), "get_metrics");
      case SET_LOGGING_LEVEL:
        return require(call.hasSetLoggingLevel(), "set_logging_level");
      case LIST_FILES:
        return require(call.hasListFiles(), "list_files");
      case READ_FILE:
        return require(call.hasReadFile(), "read_file");
      case UPDATE_WEIGHTS:
        return require(call.hasUpdateWeights(), "update_weights");
      case RESERVE_RESOURCES:
        return require(call.hasReserveResources(), "reserve_resources")
            .or(() -> resources(call.getReserveResources().getResourcesList()));
      case UNRESERVE_RESOURCES:
        return require(call.hasUnreserveResources(), "unreserve_resources")
            .or(() -> resources(call.getUnreserveResources().getResourcesList()));
      case CREATE_VOLUMES:
        return require(call.hasCreateVolumes(), "create_volumes");
      case DESTROY_VOLUMES:
        return require(call.hasDestroyVolumes(), "destroy_volumes");
      case GROW_VOLUME:
        return require(call.hasGrowVolume(), "grow_volume")
            .or(() -> agentDefaultResources(call.getGrowVolume().hasAgentId()));
      case SHRINK_VOLUME:
        return require(call.hasShrinkVolume(), "shrink_volume")
            .or(() -> agentDefaultResources(call.getShrinkVolume().hasAgentId()));
      case UPDATE_MAINTENANCE_SCHEDULE:
        return require(call.hasUpdateMaintenanceSchedule(), "update_maintenance_schedule");
      case START_MAINTENANCE:
        return require(call.hasStartMaintenance(), "start_maintenance");
      case STOP_MAINTENANCE:
        return require(call.hasStopMaintenance(), "stop_maintenance");
      case DRAIN_AGENT:
        return require(call.hasDrainAgent(), "drain_agent");
      case DEACTIVATE_AGENT:
        return require(call.hasDeactivateAgent(), "deactivate_agent");
      case REACTIVATE_AGENT:
        return require(call.hasReactivateAgent(), "reactivate_agent");
      case UPDATE_QUOTA:
        return require(call.hasUpdateQuota(), "update_quota");
      case SET_QUOTA:
        return require(call.hasSetQuota(), "set_quota");
      case REMOVE_QUOTA:
        return require(call.hasRemoveQuota(), "remove_quota");
      case TEARDOWN:
        return require(call.hasTeardown(), "teardown");
      case MARK_AGENT_GONE:
        return require(call.hasMarkAgentGone(), "mark_agent_gone");
      default: // UNKNOWN, the GET_* calls without a field, SUBSCRIBE.
        return Optional.empty();
    }
  }

  private static Optional<String> require(boolean present, String field) {
    return present ? Optional.empty() : Optional.of("Expecting '" + field + "' to be present");
  }

  private static Optional<String> resources(List<Resource> resources) {
    return Resources.validate(
        Evolve.devolveAllPartial(resources, org.apache.mesos.Protos.Resource.parser()));
  }

  private static Optional<String> agentDefaultResources(boolean hasAgentId) {
    return hasAgentId ? Optional.empty() : Optional.of(
        "Expecting 'agent_id' to be present; only agent default resources are supported right now");
  }
}
