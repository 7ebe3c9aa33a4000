package io.jmesos.allocator.hierarchical;

import io.jmesos.actor.ManualClock;
import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.resources.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;

/** A HierarchicalDRFAllocator on a ManualClock with a capturing offer callback. */
final class Harness implements AutoCloseable {
  record Offer(FrameworkID framework, String role, SlaveID agent, Resources resources) {}

  static final Duration INTERVAL = Duration.ofSeconds(1);

  final ManualClock clock = new ManualClock();
  final List<Offer> offers = new CopyOnWriteArrayList<>();
  final HierarchicalDRFAllocator allocator;

  Harness() {
    this(AllocatorOptions.DRF, Set.of(), List.of());
  }

  Harness(String sorter, Set<String> excluded, List<Map<String, Double>> minAllocatable) {
    allocator = new HierarchicalDRFAllocator(clock, new Random(42));
    allocator.initialize(new AllocatorOptions(INTERVAL, (framework, byRole) ->
        byRole.forEach((role, byAgent) -> byAgent.forEach((agent, resources) ->
            offers.add(new Offer(framework, role, agent, resources)))),
        sorter, sorter, excluded, minAllocatable));
  }

  static FrameworkID fid(String id) {
    return FrameworkID.newBuilder().setValue(id).build();
  }

  static SlaveID sid(String id) {
    return SlaveID.newBuilder().setValue(id).build();
  }

  @SuppressWarnings("deprecation") // The single role is what non-MULTI_ROLE frameworks use.
  static FrameworkInfo framework(String role) {
    return FrameworkInfo.newBuilder().setUser("u").setName("n").setRole(role).build();
  }

  static FrameworkInfo multiRole(String... roles) {
    return FrameworkInfo.newBuilder().setUser("u").setName("n").addAllRoles(List.of(roles))
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .build();
  }

  FrameworkID addFramework(String id, String role) {
    allocator.addFramework(fid(id), framework(role), Map.of(), true);
    return fid(id);
  }

  SlaveID addAgent(String id, String resources) {
    allocator.addSlave(sid(id), SlaveInfo.newBuilder().setHostname(id).build(), Resources.parse(resources),
        Map.of());
    return sid(id);
  }

  /** Settles and returns (and forgets) the offers made so far. */
  List<Offer> drain() {
    allocator.settle();
    List<Offer> copy = new ArrayList<>(offers);
    offers.clear();
    return copy;
  }

  /** Advances the clock by one interval (a batch run) and drains. */
  List<Offer> tick() {
    allocator.settle();
    clock.advance(INTERVAL);
    return drain();
  }

  void decline(Offer offer, double refuseSeconds) {
    allocator.recoverResources(offer.framework(), offer.agent(), offer.resources(),
        Filters.newBuilder().setRefuseSeconds(refuseSeconds).build());
  }

  Map<String, Double> metrics() {
    return allocator.metrics().join();
  }

  @Override
  public void close() {
    allocator.close();
  }
}
