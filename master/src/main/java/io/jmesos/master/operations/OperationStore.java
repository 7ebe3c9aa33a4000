package io.jmesos.master.operations;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Operation;
import org.apache.mesos.Protos.OperationID;
import org.apache.mesos.Protos.OperationState;
import org.apache.mesos.Protos.SlaveID;

/**
 * The operations the master tracks (Mesos' {@code Slave::operations} and {@code Framework::operations}): by
 * uuid, and by framework and operation id for those that asked for feedback. An operation stays until its
 * terminal status is acknowledged (by the framework when it has an id), its agent is removed, or its framework
 * is. Owned by the master's actor; not thread-safe.
 */
public final class OperationStore {
  private final Map<ByteString, Operation> byUuid = new LinkedHashMap<>();
  private final Map<FrameworkID, Map<OperationID, ByteString>> byFramework = new HashMap<>();

  public void put(Operation operation) {
    byUuid.put(operation.getUuid().getValue(), operation);
    if (operation.hasFrameworkId() && operation.getInfo().hasId()) {
      byFramework.computeIfAbsent(operation.getFrameworkId(), k -> new LinkedHashMap<>())
          .put(operation.getInfo().getId(), operation.getUuid().getValue());
    }
  }

  public Operation get(ByteString uuid) {
    return byUuid.get(uuid);
  }

  /** The operation of {@code frameworkId} with {@code id}, or null. */
  public Operation get(FrameworkID frameworkId, OperationID id) {
    ByteString uuid = byFramework.getOrDefault(frameworkId, Map.of()).get(id);
    return uuid == null ? null : byUuid.get(uuid);
  }

  /** True when the framework already has a live operation with this id. */
  public boolean contains(FrameworkID frameworkId, OperationID id) {
    return byFramework.getOrDefault(frameworkId, Map.of()).containsKey(id);
  }

  public void remove(Operation operation) {
    byUuid.remove(operation.getUuid().getValue());
    if (operation.hasFrameworkId() && operation.getInfo().hasId()) {
      Map<OperationID, ByteString> ids = byFramework.get(operation.getFrameworkId());
      if (ids != null) {
        ids.remove(operation.getInfo().getId());
        if (ids.isEmpty()) {
          byFramework.remove(operation.getFrameworkId());
        }
      }
    }
  }

  public List<Operation> all() {
    return new ArrayList<>(byUuid.values());
  }

  public List<Operation> onAgent(SlaveID slaveId) {
    List<Operation> out = new ArrayList<>();
    for (Operation op : byUuid.values()) {
      if (op.getSlaveId().equals(slaveId)) {
        out.add(op);
      }
    }
    return out;
  }

  /** The framework's operations that have an id (the ones it reconciles). */
  public List<Operation> ofFramework(FrameworkID frameworkId) {
    List<Operation> out = new ArrayList<>();
    for (ByteString uuid : byFramework.getOrDefault(frameworkId, Map.of()).values()) {
      out.add(byUuid.get(uuid));
    }
    return out;
  }

  /** Mesos' {@code protobuf::isTerminalState} for operations. */
  public static boolean terminal(OperationState state) {
    switch (state) {
      case OPERATION_FINISHED:
      case OPERATION_FAILED:
      case OPERATION_ERROR:
      case OPERATION_DROPPED:
      case OPERATION_GONE_BY_OPERATOR:
        return true;
      default:
        return false;
    }
  }
}
