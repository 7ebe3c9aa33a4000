package io.jmesos.allocator.hierarchical;

import io.jmesos.resources.Resources;

/**
 * Resources of one agent that could be offered to one role (and framework capabilities), with their scalar
 * quantities precomputed. Immutable apart from memos; an agent rebuilds its candidates whenever its available
 * resources change, so the identity of a candidate stands for its content (refusal filters memoize on it).
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
    return new Candidate(resources, Scalars.of(resources, names), Scalars.of(resources, names,
        r -> !Resources.isReserved(r) && !r.hasRevocable()), whole);
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
