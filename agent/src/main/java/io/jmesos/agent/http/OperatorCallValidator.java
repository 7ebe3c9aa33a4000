package io.jmesos.agent.http;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.agent.Protos.Call;

/**
 * Stateless checks of a v1 agent operator {@code Call}, as Mesos' {@code validation::agent::call::validate}:
 * the call is initialized, has a type, and carries the sub-message its type requires; the container calls' ids
 * follow Mesos' rules ({@code validateContainerId}) and the nested ones name a parent. The deeper checks Mesos
 * makes of commands, container infos and resources are not made.
 * Errors are values; the caller answers {@code 400 Failed to validate agent::Call: <error>}.
 *
 * <p>Thread-safe (stateless): runs on the HTTP I/O thread.
 */
@SuppressWarnings("deprecation") // Mesos still validates the deprecated *_NESTED_CONTAINER calls.
final class OperatorCallValidator {
  /** The call types whose sub-message Mesos insists on, with that sub-message's field. */
  private static final Map<Call.Type, FieldDescriptor> REQUIRED = new EnumMap<>(Call.Type.class);
  /** Mesos' {@code MAX_CONTAINER_ID_LENGTH}. */
  static final int MAX_CONTAINER_ID_LENGTH = 242;

  static {
    require(Call.Type.GET_METRICS, Call.GET_METRICS_FIELD_NUMBER);
    require(Call.Type.SET_LOGGING_LEVEL, Call.SET_LOGGING_LEVEL_FIELD_NUMBER);
    require(Call.Type.LIST_FILES, Call.LIST_FILES_FIELD_NUMBER);
    require(Call.Type.READ_FILE, Call.READ_FILE_FIELD_NUMBER);
    require(Call.Type.LAUNCH_NESTED_CONTAINER, Call.LAUNCH_NESTED_CONTAINER_FIELD_NUMBER);
    require(Call.Type.WAIT_NESTED_CONTAINER, Call.WAIT_NESTED_CONTAINER_FIELD_NUMBER);
    require(Call.Type.KILL_NESTED_CONTAINER, Call.KILL_NESTED_CONTAINER_FIELD_NUMBER);
    require(Call.Type.REMOVE_NESTED_CONTAINER, Call.REMOVE_NESTED_CONTAINER_FIELD_NUMBER);
    require(Call.Type.LAUNCH_NESTED_CONTAINER_SESSION, Call.LAUNCH_NESTED_CONTAINER_SESSION_FIELD_NUMBER);
    require(Call.Type.ATTACH_CONTAINER_INPUT, Call.ATTACH_CONTAINER_INPUT_FIELD_NUMBER);
    require(Call.Type.ATTACH_CONTAINER_OUTPUT, Call.ATTACH_CONTAINER_OUTPUT_FIELD_NUMBER);
    require(Call.Type.LAUNCH_CONTAINER, Call.LAUNCH_CONTAINER_FIELD_NUMBER);
    require(Call.Type.WAIT_CONTAINER, Call.WAIT_CONTAINER_FIELD_NUMBER);
    require(Call.Type.KILL_CONTAINER, Call.KILL_CONTAINER_FIELD_NUMBER);
    require(Call.Type.REMOVE_CONTAINER, Call.REMOVE_CONTAINER_FIELD_NUMBER);
    require(Call.Type.ADD_RESOURCE_PROVIDER_CONFIG, Call.ADD_RESOURCE_PROVIDER_CONFIG_FIELD_NUMBER);
    require(Call.Type.UPDATE_RESOURCE_PROVIDER_CONFIG, Call.UPDATE_RESOURCE_PROVIDER_CONFIG_FIELD_NUMBER);
    require(Call.Type.REMOVE_RESOURCE_PROVIDER_CONFIG, Call.REMOVE_RESOURCE_PROVIDER_CONFIG_FIELD_NUMBER);
    require(Call.Type.MARK_RESOURCE_PROVIDER_GONE, Call.MARK_RESOURCE_PROVIDER_GONE_FIELD_NUMBER);
  }

  private OperatorCallValidator() {}

  private static void require(Call.Type type, int fieldNumber) {
    REQUIRED.put(type, Call.getDescriptor().findFieldByNumber(fieldNumber));
  }

  /** The reason {@code call} is invalid, or empty. */
  static Optional<String> validate(Call call) {
    if (!call.isInitialized()) {
      return Optional.of("Not initialized: " + String.join(", ", call.findInitializationErrors()));
    }
    if (!call.hasType()) {
      return Optional.of("Expecting 'type' to be present");
    }
    FieldDescriptor required = REQUIRED.get(call.getType());
    if (required != null && !call.hasField(required)) {
      return Optional.of("Expecting '" + required.getName() + "' to be present");
    }
    return containerId(call);
  }

  /** Mesos' checks of the container calls' ids: valid ids, and a parent for the nested calls. */
  private static Optional<String> containerId(Call call) {
    switch (call.getType()) {
      case LAUNCH_NESTED_CONTAINER:
        return nested("launch_nested_container", call.getLaunchNestedContainer().getContainerId());
      case WAIT_NESTED_CONTAINER:
        return nested("wait_nested_container", call.getWaitNestedContainer().getContainerId());
      case KILL_NESTED_CONTAINER:
        return nested("kill_nested_container", call.getKillNestedContainer().getContainerId());
      case REMOVE_NESTED_CONTAINER:
        return nested("remove_nested_container", call.getRemoveNestedContainer().getContainerId());
      case LAUNCH_CONTAINER:
        return named("launch_container", call.getLaunchContainer().getContainerId());
      case WAIT_CONTAINER:
        return named("wait_container", call.getWaitContainer().getContainerId());
      case KILL_CONTAINER:
        return named("kill_container", call.getKillContainer().getContainerId());
      case REMOVE_CONTAINER:
        return named("remove_container", call.getRemoveContainer().getContainerId());
      default:
        return Optional.empty();
    }
  }

  private static Optional<String> nested(String field, ContainerID id) {
    Optional<String> invalid = named(field, id);
    if (invalid.isEmpty() && !id.hasParent()) {
      return Optional.of("Expecting '" + field + ".container_id.parent' to be present");
    }
    return invalid;
  }

  private static Optional<String> named(String field, ContainerID id) {
    return validateContainerId(id).map(error -> "'" + field + ".container_id' is invalid: " + error);
  }

  /** Mesos' {@code validation::container::validateContainerId}, its parents included. */
  static Optional<String> validateContainerId(ContainerID containerId) {
    String id = containerId.getValue();
    if (id.isEmpty()) {
      return Optional.of("ID must not be empty");
    }
    if (id.length() > 255) {
      return Optional.of("ID must not be greater than 255 characters");
    }
    if (id.equals(".") || id.equals("..")) {
      return Optional.of("'" + id + "' is disallowed");
    }
    if (id.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\')) {
      return Optional.of("'" + id + "' contains invalid characters");
    }
    if (id.length() > MAX_CONTAINER_ID_LENGTH) {
      return Optional.of("'ContainerID.value' '" + id + "' exceeds the maximum length ("
          + MAX_CONTAINER_ID_LENGTH + ")");
    }
    if (id.indexOf('.') >= 0 || id.indexOf(' ') >= 0) {
      return Optional.of("'ContainerID.value' '" + id + "' contains invalid characters");
    }
    if (containerId.hasParent()) {
      Optional<String> parent = validateContainerId(containerId.getParent());
      if (parent.isPresent()) {
        return Optional.of("'ContainerID.parent' is invalid: " + parent.get());
      }
    }
    return Optional.empty();
  }
}
