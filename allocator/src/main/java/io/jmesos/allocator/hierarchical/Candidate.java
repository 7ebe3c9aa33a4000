package io.jmesos.allocator.hierarchical;

import io.jmesos.resources.Resources;
import java.util.Arrays;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Value;

/**
 * Resources of one agent that could be offered to one role (and framework capabilities), with their scalar
 * quantities precomputed. Immutable apart from memos; an agent keeps its candidates only while its available
 * resources keep their content, so the identity of a candidate stands for its content (refusal filters
 * memoize on it).
 * Owned by the allocator's actor.
 */
final class Candidate {
  static final Candidate NONE = new Candidate(Resources.empty(), Scalars.EMPTY, Scalars.EMPTY, false);

  final Resources resources;
  /** All scalar quantities, reserved or not. */
  final long[] scalars;
  /** Unreserved non-revocable scalar quantities: what counts toward quota and headroom. */
  final long[] quotaScalars;
  /** True when these are all of the agent's available resources. */
  final boolean whole;
  /** Memo of the global minimum allocatable check: 0 unknown, 1 passes, 2 fails. */
  byte minAllocatable;
  private String allocatedRole;
  private Resources allocated;

  Candidate(Resources resources, long[] scalars, long[] quotaScalars, boolean whole) {
    this.resources = resources;
    this.scalars = scalars;
    this.quotaScalars = quotaScalars;
    this.whole = whole;
  }

  static Candidate of(Resources resources, ScalarNames names, boolean whole) {
    if (resources.isEmpty()) {
      return NONE;
    }
    long[] scalars = new long[names.size()];
    long[] quotaScalars = new long[names.size()];
    for (Resource resource : resources) {
      if (resource.getType() != Value.Type.SCALAR) {
        continue;
      }
      int index = names.index(resource.getName());
      if (index >= scalars.length) {
        scalars = Arrays.copyOf(scalars, names.size());
        quotaScalars = Arrays.copyOf(quotaScalars, names.size());
      }
      long value = Scalars.toFixed(resource.getScalar().getValue());
      scalars[index] += value;
      if (!Resources.isReserved(resource) && !resource.hasRevocable()) {
        quotaScalars[index] += value;
      }
    }
    return new Candidate(resources, scalars, quotaScalars, whole);
  }

  boolean isEmpty() {
    return resources.isEmpty();
  }

  /** The resources with {@code allocation_info.role} set, memoized per role. */
  Resources allocatedTo(String role) {
    if (!role.equals(allocatedRole)) {
      allocated = resources.allocatedTo(role);
      allocatedRole = role;
    }
    return allocated;
  }
}
