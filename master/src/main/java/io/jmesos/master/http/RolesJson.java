package io.jmesos.master.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.allocator.Quota;
import io.jmesos.json.StateModels;
import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.core.RoleBreakdown;
import io.jmesos.master.state.Framework;
import java.util.Map;

/**
 * The {@code /roles} document as Mesos 1.11 writes it: for each known role (see {@link OperatorRoles}), its name,
 * weight, quota (role, guarantee, limit and consumed quantities), the deprecated {@code resources} (allocated plus
 * offered, cpus/disk/gpus/mem always present), the {@code allocated}, {@code offered} and {@code reserved}
 * quantities of its subtree, and the ids of the frameworks tracked under it. Built on the master's actor.
 */
final class RolesJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private RolesJson() {}

  /** The roles {@code filter}'s reader may view (view_roles), as Mesos leaves out the others. */
  static ObjectNode render(MasterContext ctx, OperatorRoles known, StateFilter filter) {
    ctx.actor.assertInActorThread();
    ObjectNode document = F.objectNode();
    ArrayNode roles = document.putArray("roles");
    for (String name : known.knownRoles()) {
      if (!filter.role(name)) {
        continue;
      }
      RoleBreakdown breakdown = new RoleBreakdown(ctx, name);
      ObjectNode role = roles.addObject();
      role.put("name", name);
      role.put("weight", ctx.weights.weight(name));
      Quota quota = ctx.quotas.quota(name);
      ObjectNode quotaNode = role.putObject("quota");
      quotaNode.put("role", name);
      quotaNode.set("guarantee", quantities(quota.guarantees()));
      quotaNode.set("limit", quantities(quota.limits()));
      quotaNode.set("consumed", quantities(breakdown.consumedQuota()));
      role.set("resources", StateModels.resources(breakdown.allocatedAndOffered()));
      role.set("allocated", quantities(breakdown.allocated()));
      role.set("offered", quantities(breakdown.offered()));
      role.set("reserved", quantities(breakdown.reserved()));
      ArrayNode frameworks = role.putArray("frameworks");
      for (Framework framework : known.frameworksOf(name)) {
        frameworks.add(framework.id().getValue());
      }
    }
    return document;
  }

  private static ObjectNode quantities(Map<String, Double> quantities) {
    ObjectNode node = F.objectNode();
    quantities.forEach(node::put);
    return node;
  }
}
