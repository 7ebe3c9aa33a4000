package io.jmesos.allocator.hierarchical;

import io.jmesos.allocator.Quota;

/**
 * One role's bookkeeping, as a node of Mesos' {@code RoleTree}: quota, the reservations and the offered or
 * allocated unreserved non-revocable quantities of the role and its descendants (together: consumed quota),
 * the framework sorter of the role and how many refusal filters its frameworks hold. Owned by the allocator's
 * actor.
 */
final class RoleState {
  final String role;
  final RoleState parent;
  Quota quota = Quota.NONE;
  long[] guarantees = Scalars.EMPTY;
  /** Limit per scalar index; {@link Long#MAX_VALUE} where unlimited. Null when the role has no limit. */
  long[] limits;
  /** Reserved scalar quantities of this role and its descendants. */
  long[] reserved = Scalars.EMPTY;
  /** Offered or allocated unreserved non-revocable scalar quantities of this role and its descendants. */
  long[] offeredQuota = Scalars.EMPTY;
  /** Frameworks tracked under this role (subscribed, or still holding resources of it). */
  int frameworks;
  Sorter<Client> frameworkSorter;
  long activeFilters;

  RoleState(String role, RoleState parent) {
    this.role = role;
    this.parent = parent;
  }

  /** Reservations plus unreserved offered or allocated: what Mesos charges against the role's quota. */
  long[] consumed() {
    return Scalars.add(reserved.clone(), offeredQuota, 1);
  }

  /** True when some guarantee exceeds what the role consumes: {@code guarantees - consumed()} is not zero. */
  boolean belowGuarantees() {
    for (int i = 0; i < guarantees.length; i++) {
      if (guarantees[i] > Scalars.get(reserved, i) + Scalars.get(offeredQuota, i)) {
        return true;
      }
    }
    return false;
  }

  boolean hasGuarantees() {
    return !quota.guarantees().isEmpty();
  }

  void setQuota(Quota quota, ScalarNames names) {
    this.quota = quota;
    this.guarantees = Scalars.of(quota.guarantees(), names);
    if (quota.limits().isEmpty()) {
      this.limits = null;
    } else {
      long[] vector = new long[names.size() + quota.limits().size()];
      java.util.Arrays.fill(vector, Long.MAX_VALUE);
      quota.limits().forEach((name, value) -> {
        int index = names.index(name);
        if (index < vector.length) {
          vector[index] = Scalars.toFixed(value);
        }
      });
      this.limits = vector;
    }
  }

  /** Limit for the scalar at {@code index}; unlimited past the vector. */
  long limit(int index) {
    return limits == null || index >= limits.length ? Long.MAX_VALUE : limits[index];
  }
}
