package io.jmesos.agent.http;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.agent.Protos.Call;

/**
 * Stateless checks of a v1 agent operator {@code Call}, as Mesos' {@code validation::agent::call::validate}:
 * the call is initialized, has a type, and carries the sub-message its type requires. The deeper checks Mesos
 * makes of container ids, commands and resources are not made: every call that has them answers 501 here.
 * Errors are values; the caller answers {@code 400 Failed to validate agent::Call: <error>}.
 *
 * <p>Thread-safe (stateless): runs on the HTTP I/O thread.
 */
@SuppressWarnings("deprecation") // Mesos still validates the deprecated *_NESTED_CONTAINER calls.
final class OperatorCallValidator {
  /** The call types whose sub-message Mesos insists on, with that sub-message's field. */
  private static final Map<Call.Type, FieldDescriptor> REQUIRED = new EnumMap<>(Call.Type.class);

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
    return Optional.empty();
  }
}
