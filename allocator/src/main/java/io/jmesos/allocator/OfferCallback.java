package io.jmesos.allocator;

import io.jmesos.resources.Resources;
import java.util.Map;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;

/**
 * How the allocator hands out resources: one call per framework and allocation round, grouped by role and then
 * agent. Every offered resource carries {@code allocation_info.role}. Called on the allocator's thread: the
 * receiver must only enqueue onto its own actor (Mesos' {@code defer(self(), &Master::offer)}).
 */
@FunctionalInterface
public interface OfferCallback {
  void offer(FrameworkID frameworkId, Map<String, Map<SlaveID, Resources>> resourcesByRoleAndAgent);
}
