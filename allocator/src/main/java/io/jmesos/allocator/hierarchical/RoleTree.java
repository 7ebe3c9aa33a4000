package io.jmesos.allocator.hierarchical;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All roles the allocator knows (with frameworks, reservations, quota or weights) as a tree, so a role's
 * reservations and offered resources count for its ancestors too. Owned by the allocator's actor.
 */
final class RoleTree {
  private final Map<String, RoleState> roles = new HashMap<>();

  RoleState get(String role) {
    return roles.get(role);
  }

  /** The role's node, creating it and its ancestors as needed. */
  RoleState getOrCreate(String role) {
    RoleState state = roles.get(role);
    if (state == null) {
      int slash = role.lastIndexOf('/');
      RoleState parent = slash < 0 ? null : getOrCreate(role.substring(0, slash));
      state = new RoleState(role, parent);
      roles.put(role, state);
    }
    return state;
  }

  Iterable<RoleState> all() {
    return roles.values();
  }

  /** Adds (sign 1) or removes (-1) reserved quantities of {@code role} to it and its ancestors. */
  void trackReserved(String role, long[] scalars, int sign) {
    for (RoleState r = getOrCreate(role); r != null; r = r.parent) {
      r.reserved = Scalars.add(r.reserved, scalars, sign);
    }
  }

  /** Adds or removes offered/allocated unreserved non-revocable quantities of {@code role} and ancestors. */
  void trackOffered(String role, long[] quotaScalars, int sign) {
    if (Scalars.isZero(quotaScalars)) {
      return;
    }
    for (RoleState r = getOrCreate(role); r != null; r = r.parent) {
      r.offeredQuota = Scalars.add(r.offeredQuota, quotaScalars, sign);
    }
  }

  /** Roles with a quota guarantee, for the first allocation stage. */
  List<RoleState> guaranteed() {
    List<RoleState> result = new ArrayList<>();
    for (RoleState r : roles.values()) {
      if (r.hasGuarantees()) {
        result.add(r);
      }
    }
    return result;
  }
}
