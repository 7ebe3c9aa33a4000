package io.jmesos.allocator.hierarchical;

import io.jmesos.allocator.FrameworkRoles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.OfferFilters;

/**
 * The allocator's view of a framework: subscribed and suppressed roles, whether it is active, the capabilities
 * that decide which resources it may be offered, its per-role minimum allocatable resources (FrameworkInfo
 * {@code offer_filters}) and its clients (one per role it is tracked under). Owned by the allocator's actor.
 */
final class Framework {
  static final int REVOCABLE = 1;
  static final int SHARED = 2;
  static final int REFINEMENT = 4;

  final FrameworkID id;
  FrameworkInfo info;
  Set<String> roles;
  final Set<String> suppressedRoles = new HashSet<>();
  boolean active;
  int capabilities;
  Map<String, List<long[]>> minAllocatable = Map.of();
  final Map<String, Client> clients = new HashMap<>();

  Framework(FrameworkID id, FrameworkInfo info, boolean active, ScalarNames names) {
    this.id = id;
    this.active = active;
    update(info, names);
  }

  void update(FrameworkInfo info, ScalarNames names) {
    this.info = info;
    this.roles = FrameworkRoles.of(info);
    int mask = 0;
    if (FrameworkRoles.hasCapability(info, FrameworkInfo.Capability.Type.REVOCABLE_RESOURCES)) {
      mask |= REVOCABLE;
    }
    if (FrameworkRoles.hasCapability(info, FrameworkInfo.Capability.Type.SHARED_RESOURCES)) {
      mask |= SHARED;
    }
    if (FrameworkRoles.hasCapability(info, FrameworkInfo.Capability.Type.RESERVATION_REFINEMENT)) {
      mask |= REFINEMENT;
    }
    this.capabilities = mask;
    Map<String, List<long[]>> min = new HashMap<>();
    for (Map.Entry<String, OfferFilters> entry : info.getOfferFiltersMap().entrySet()) {
      if (entry.getValue().hasMinAllocatableResources()) {
        List<long[]> alternatives = new ArrayList<>();
        for (OfferFilters.ResourceQuantities quantities
            : entry.getValue().getMinAllocatableResources().getQuantitiesList()) {
          Map<String, Double> byName = new HashMap<>();
          quantities.getQuantitiesMap().forEach((name, value) -> byName.put(name, value.getValue()));
          alternatives.add(Scalars.of(byName, names));
        }
        min.put(entry.getKey(), alternatives);
      }
    }
    this.minAllocatable = min;
  }
}
