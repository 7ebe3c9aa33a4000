package io.jmesos.allocator;

import io.jmesos.resources.Resources;
import java.util.HashMap;
import java.util.Map;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveInfo;

/**
 * The allocator's view of one agent: its total and what is allocated (offered or used) to each framework,
 * kept without {@code allocation_info}. Owned by the allocator's actor; not thread-safe.
 */
final class AgentState {
  SlaveInfo info;
  Resources total;
  boolean active = true;
  private final Map<FrameworkID, Resources> allocated = new HashMap<>();

  AgentState(SlaveInfo info, Resources total) {
    this.info = info;
    this.total = total.stripAllocationInfo();
  }

  Resources available() {
    Resources free = total;
    for (Resources used : allocated.values()) {
      free = free.minus(used);
    }
    return free;
  }

  void allocate(FrameworkID frameworkId, Resources resources) {
    allocated.merge(frameworkId, resources.stripAllocationInfo(), Resources::plus);
  }

  /** Frees what {@code frameworkId} held of {@code resources}; returns false if it held none of it. */
  boolean recover(FrameworkID frameworkId, Resources resources) {
    Resources held = allocated.get(frameworkId);
    if (held == null) {
      return false;
    }
    Resources left = held.minus(resources.stripAllocationInfo());
    if (left.isEmpty()) {
      allocated.remove(frameworkId);
    } else {
      allocated.put(frameworkId, left);
    }
    return true;
  }

  void removeFramework(FrameworkID frameworkId) {
    allocated.remove(frameworkId);
  }

  Resources allocatedTo(FrameworkID frameworkId) {
    return allocated.getOrDefault(frameworkId, Resources.empty());
  }
}
