package io.jmesos.allocator.hierarchical;

import java.util.HashSet;
import java.util.Set;

/**
 * A framework under one role: the unit the framework sorters order and refusal filters are kept for. Has a
 * dense id so per-agent filter arrays can be indexed by it. Owned by the allocator's actor.
 */
final class Client {
  final int id;
  final Framework framework;
  final String role;
  final RoleState roleState;
  /** Agents on which this client holds offered or allocated resources. */
  final Set<Agent> agents = new HashSet<>();
  /** Agents where this client may have refusal filters (may repeat; compacted now and then). */
  final java.util.ArrayList<Agent> filteredAgents = new java.util.ArrayList<>();
  int compactedSize;
  boolean removed;

  Client(int id, Framework framework, RoleState roleState) {
    this.id = id;
    this.framework = framework;
    this.role = roleState.role;
    this.roleState = roleState;
  }

  String key() {
    return framework.id.getValue();
  }
}
