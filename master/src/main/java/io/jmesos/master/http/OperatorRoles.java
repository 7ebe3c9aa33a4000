package io.jmesos.master.http;

import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Roles;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Role;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.master.Protos.Response.GetRoles;

/**
 * GET_ROLES as Mesos 1.11 answers it without a role whitelist: the known roles (those of registered frameworks,
 * those resources are allocated or offered to, those with reservations on registered agents, those with a
 * weight or a quota set, and their ancestors), sorted, each with its weight (1 unless set), the frameworks
 * tracked under it and the cpus, disk, gpus and mem allocated or offered to it and its subroles. Used only on
 * the master's actor.
 */
final class OperatorRoles {
  /** The only resources Mesos reports per role, in its (alphabetical) order. */
  private static final List<String> SCALARS = List.of("cpus", "disk", "gpus", "mem");

  private final MasterContext ctx;
  private final OperatorState state;

  OperatorRoles(MasterContext ctx, OperatorState state) {
    this.ctx = ctx;
    this.state = state;
  }

  GetRoles roles() {
    return roles(StateFilter.ALL);
  }

  /** The roles {@code filter}'s reader may view (view_roles). */
  GetRoles roles(StateFilter filter) {
    ctx.actor.assertInActorThread();
    Map<Framework, Resources> heldBy = new LinkedHashMap<>();
    for (Framework framework : ctx.state.frameworks.values()) {
      heldBy.put(framework, state.used(framework).plus(ctx.offers.offeredTo(framework)));
    }
    GetRoles.Builder roles = GetRoles.newBuilder();
    for (String name : knownRoles(heldBy)) {
      if (!filter.role(name)) {
        continue;
      }
      Role.Builder role = Role.newBuilder().setName(name).setWeight(ctx.weights.weight(name));
      Resources held = Resources.empty();
      for (Map.Entry<Framework, Resources> e : heldBy.entrySet()) {
        if (trackedUnder(e.getKey(), e.getValue(), name)) {
          role.addFrameworks(FrameworkID.newBuilder().setValue(e.getKey().id().getValue()));
        }
        held = held.plus(e.getValue().filter(r -> inSubtree(allocationRole(r), name)));
      }
      for (String scalar : SCALARS) {
        double quantity = held.scalar(scalar);
        if (quantity > 0) {
          role.addResources(Resource.newBuilder().setName(scalar).setType(Value.Type.SCALAR)
              .setScalar(Value.Scalar.newBuilder().setValue(quantity)));
        }
      }
      roles.addRoles(role);
    }
    return roles.build();
  }

  /** The known roles, sorted, for GET_ROLES and /roles. */
  SortedSet<String> knownRoles() {
    Map<Framework, Resources> heldBy = new LinkedHashMap<>();
    for (Framework framework : ctx.state.frameworks.values()) {
      heldBy.put(framework, state.used(framework).plus(ctx.offers.offeredTo(framework)));
    }
    return knownRoles(heldBy);
  }

  /** Frameworks tracked under a role: subscribed to it, or holding resources allocated to it. */
  List<Framework> frameworksOf(String role) {
    List<Framework> frameworks = new java.util.ArrayList<>();
    for (Framework framework : ctx.state.frameworks.values()) {
      if (trackedUnder(framework, state.used(framework).plus(ctx.offers.offeredTo(framework)), role)) {
        frameworks.add(framework);
      }
    }
    return frameworks;
  }

  /** Mesos' {@code Master::knownRoles()} when no whitelist is configured, sorted. */
  private SortedSet<String> knownRoles(Map<Framework, Resources> heldBy) {
    Set<String> roles = new LinkedHashSet<>();
    heldBy.forEach((framework, held) -> {
      roles.addAll(framework.roles());
      held.forEach(r -> roles.add(allocationRole(r)));
    });
    for (Agent agent : ctx.state.agents.values()) {
      agent.total().reserved().forEach(r -> roles.add(Resources.reservationRole(r)));
    }
    roles.addAll(ctx.state.weights.keySet());
    roles.addAll(ctx.state.quotas.keySet());
    SortedSet<String> known = new TreeSet<>();
    for (String role : roles) {
      if (role.isEmpty()) { // Resources not allocated to any role (none should be).
        continue;
      }
      for (int slash = role.indexOf('/'); slash > 0; slash = role.indexOf('/', slash + 1)) {
        known.add(role.substring(0, slash));
      }
      known.add(role);
    }
    return known;
  }

  /**
   * A framework is tracked under a role it subscribed to or holds resources in (Mesos' {@code Role}); {@code
   * held} is what is allocated (used) or offered to it, each resource carrying the role it is allocated to.
   */
  private static boolean trackedUnder(Framework framework, Resources held, String role) {
    if (framework.roles().contains(role)) {
      return true;
    }
    for (org.apache.mesos.Protos.Resource r : held) {
      if (allocationRole(r).equals(role)) {
        return true;
      }
    }
    return false;
  }

  private static String allocationRole(org.apache.mesos.Protos.Resource resource) {
    return resource.getAllocationInfo().getRole();
  }

  private static boolean inSubtree(String role, String root) {
    return role.equals(root) || Roles.isStrictSubroleOf(role, root);
  }
}
