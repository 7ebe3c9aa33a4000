package io.jmesos.allocator.hierarchical;

import static io.jmesos.allocator.hierarchical.Harness.fid;
import static io.jmesos.allocator.hierarchical.Harness.sid;
import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.allocator.Allocators;
import io.jmesos.allocator.Quota;
import io.jmesos.allocator.hierarchical.Harness.Offer;
import io.jmesos.resources.Resources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HierarchicalDRFAllocatorTest {
  private Harness h = new Harness();

  @AfterEach
  void stop() {
    h.close();
  }

  private static double cpus(List<Offer> offers, String framework) {
    return offers.stream().filter(o -> o.framework().getValue().equals(framework))
        .mapToDouble(o -> o.resources().scalar("cpus")).sum();
  }

  private static long count(List<Offer> offers, String framework) {
    return offers.stream().filter(o -> o.framework().getValue().equals(framework)).count();
  }

  @Test
  void providerIsFoundByName() {
    h.close();
    try (var allocator = Allocators.create("HierarchicalDRF", new io.jmesos.actor.ManualClock())) {
      assertThat(allocator).isInstanceOf(HierarchicalDRFAllocator.class);
    }
    h = new Harness();
  }

  @Test
  void twoFrameworksConvergeToEqualDominantShares() {
    h.addFramework("f1", "r1");
    h.addFramework("f2", "r2");
    for (int i = 0; i < 10; i++) {
      h.addAgent("a" + i, "cpus:1;mem:512");
    }
    List<Offer> offers = h.drain();

    assertThat(cpus(offers, "f1")).isEqualTo(5.0);
    assertThat(cpus(offers, "f2")).isEqualTo(5.0);
    Map<String, Double> metrics = h.metrics();
    assertThat(metrics.get("allocator/mesos/roles/r1/shares/dominant")).isEqualTo(0.5);
    assertThat(metrics.get("allocator/mesos/roles/r2/shares/dominant")).isEqualTo(0.5);
  }

  @Test
  void dominantShareDecidesNotTheFirstResource() {
    h.addAgent("big", "cpus:10;mem:100");
    h.addFramework("f1", "r1");
    h.drain();
    h.addFramework("f2", "r2");
    h.addAgent("small", "cpus:1;mem:900");
    List<Offer> offers = h.drain();

    // r1 holds 10/11 cpus (dominant); r2 has nothing, so the new agent goes to r2.
    assertThat(offers).extracting(o -> o.framework().getValue()).containsExactly("f2");
  }

  @Test
  void weightsTwoToOneGiveTwoToOneShares() {
    h.allocator.updateWeights(Map.of("heavy", 2.0));
    h.addFramework("f1", "heavy");
    h.addFramework("f2", "light");
    for (int i = 0; i < 9; i++) {
      h.addAgent("a" + i, "cpus:1;mem:512");
    }
    List<Offer> offers = h.drain();

    assertThat(cpus(offers, "f1")).isEqualTo(6.0);
    assertThat(cpus(offers, "f2")).isEqualTo(3.0);
  }

  @Test
  void quotaGuaranteeIsMetBeforeFairSharing() {
    h.allocator.updateQuota("q", new Quota(Map.of("cpus", 3.0), Map.of()));
    h.addFramework("fq", "q");
    h.addFramework("fr", "r");
    for (int i = 0; i < 4; i++) {
      h.addAgent("a" + i, "cpus:1;mem:512");
    }
    List<Offer> offers = h.drain();

    assertThat(cpus(offers, "fq")).isEqualTo(3.0);
    assertThat(cpus(offers, "fr")).isEqualTo(1.0);
    assertThat(h.metrics()).containsEntry("allocator/mesos/quota/roles/q/resources/cpus/guarantee", 3.0)
        .containsEntry("allocator/mesos/quota/roles/q/resources/cpus/offered_or_allocated", 3.0);
  }

  @Test
  void headroomIsHeldBackForUnsatisfiedGuarantees() {
    // Role q is guaranteed 2 cpus but has no framework yet: r must not take what q will need.
    h.allocator.updateQuota("q", new Quota(Map.of("cpus", 2.0), Map.of()));
    h.addFramework("fr", "r");
    h.addAgent("a0", "cpus:3;mem:300");
    List<Offer> offers = h.drain();

    assertThat(cpus(offers, "fr")).isEqualTo(1.0);
    h.addFramework("fq", "q");
    assertThat(cpus(h.drain(), "fq")).isEqualTo(2.0);
  }

  @Test
  void quotaLimitIsNeverExceeded() {
    h.allocator.updateQuota("capped", new Quota(Map.of(), Map.of("cpus", 2.0)));
    h.addFramework("f", "capped");
    h.addAgent("big", "cpus:4;mem:1024");
    h.addAgent("a1", "cpus:1;mem:512");
    List<Offer> offers = h.drain();
    offers.addAll(h.tick());

    assertThat(cpus(offers, "f")).isEqualTo(2.0);
    assertThat(h.metrics()).containsEntry("allocator/mesos/quota/roles/capped/resources/cpus/limit", 2.0);
  }

  @Test
  void reservationsCountTowardsTheLimit() {
    h.allocator.updateQuota("ops", new Quota(Map.of(), Map.of("cpus", 3.0)));
    h.addFramework("f", "ops");
    h.addAgent("a0", "cpus(ops):2;cpus:4;mem:512");
    List<Offer> offers = h.drain();

    // 2 reserved cpus always go with the offer; only 1 unreserved cpu fits under the limit.
    assertThat(cpus(offers, "f")).isEqualTo(3.0);
  }

  @Test
  void refusedAgentIsNotReofferedBeforeTheFilterExpires() {
    h.addFramework("f", "r");
    h.addAgent("a0", "cpus:1;mem:512");
    List<Offer> first = h.drain();
    assertThat(first).hasSize(1);
    h.decline(first.get(0), 10);

    for (int second = 1; second < 10; second++) {
      assertThat(h.tick()).as("offers %d s after declining", second).isEmpty();
    }
    assertThat(h.metrics()).containsEntry("allocator/mesos/offer_filters/roles/r/active", 1.0);
    List<Offer> again = h.tick();
    assertThat(again).hasSize(1);
    assertThat(again.get(0).agent()).isEqualTo(sid("a0"));
    assertThat(h.metrics()).containsEntry("allocator/mesos/offer_filters/roles/r/active", 0.0);
  }

  @Test
  void refusalShorterThanTheIntervalLastsOneInterval() {
    h.addFramework("f", "r");
    h.addAgent("a0", "cpus:1;mem:512");
    h.decline(h.drain().get(0), 0.1);
    h.allocator.settle();
    h.clock.advance(java.time.Duration.ofMillis(500));
    h.allocator.reviveOffers(fid("other"), Set.of()); // unknown: no effect
    assertThat(h.drain()).isEmpty();
    assertThat(h.tick()).hasSize(1);
  }

  @Test
  void filterDoesNotApplyToOtherFrameworks() {
    h.addFramework("f1", "r");
    h.addAgent("a0", "cpus:1;mem:512");
    Offer offer = h.drain().get(0);
    h.addFramework("f2", "r");
    h.drain();
    h.decline(offer, 3600);
    List<Offer> next = h.tick();
    assertThat(next).extracting(o -> o.framework().getValue()).containsExactly("f2");
  }

  @Test
  void suppressStopsOffersAndReviveResumesThemAndClearsFilters() {
    FrameworkID f = h.addFramework("f", "r");
    h.addAgent("a0", "cpus:1;mem:512");
    h.decline(h.drain().get(0), 3600);
    h.allocator.suppressOffers(f, Set.of());
    h.addAgent("a1", "cpus:1;mem:512");
    assertThat(h.drain()).isEmpty();
    assertThat(h.tick()).isEmpty();

    h.allocator.reviveOffers(f, Set.of());
    List<Offer> offers = h.drain();
    assertThat(offers).extracting(o -> o.agent().getValue()).containsExactlyInAnyOrder("a0", "a1");
  }

  @Test
  void reservationsGoOnlyToTheirRoleAndItsDescendants() {
    h.addAgent("a0", "cpus(ops):2;mem(ops):256;cpus:1;mem:512");
    h.addFramework("dev", "dev");
    List<Offer> dev = h.drain();
    assertThat(dev).hasSize(1);
    assertThat(dev.get(0).resources().reserved().isEmpty()).isTrue();
    assertThat(dev.get(0).resources().scalar("cpus")).isEqualTo(1.0);

    h.addFramework("child", "ops/child");
    List<Offer> child = h.drain();
    assertThat(child).hasSize(1);
    assertThat(child.get(0).role()).isEqualTo("ops/child");
    assertThat(child.get(0).resources().reserved("ops").scalar("cpus")).isEqualTo(2.0);
  }

  @Test
  void reservationForAChildIsNotOfferedToTheParent() {
    h.addAgent("a0", "cpus(ops/child):2;mem(ops/child):256");
    h.addFramework("parent", "ops");
    assertThat(h.drain()).isEmpty();
    h.addFramework("child", "ops/child");
    assertThat(h.drain()).extracting(o -> o.framework().getValue()).containsExactly("child");
  }

  @Test
  void hierarchicalRolesShareAsASubtree() {
    h.addFramework("fx", "a/x");
    h.addFramework("fy", "a/y");
    h.addFramework("fb", "b");
    for (int i = 0; i < 8; i++) {
      h.addAgent("n" + i, "cpus:1;mem:512");
    }
    List<Offer> offers = h.drain();

    // Role a (x and y together) and role b split evenly; x and y split a's half.
    assertThat(cpus(offers, "fb")).isEqualTo(4.0);
    assertThat(cpus(offers, "fx")).isEqualTo(2.0);
    assertThat(cpus(offers, "fy")).isEqualTo(2.0);
  }

  @Test
  void randomSorterOffersToEveryoneEventually() {
    h.close();
    h = new Harness(AllocatorOptions.RANDOM, Set.of(), List.of());
    h.addFramework("f1", "r1");
    h.addFramework("f2", "r2");
    for (int i = 0; i < 40; i++) {
      h.addAgent("a" + i, "cpus:1;mem:512");
    }
    List<Offer> offers = h.drain();
    assertThat(offers).hasSize(40);
    assertThat(count(offers, "f1")).isPositive();
    assertThat(count(offers, "f2")).isPositive();
  }

  @Test
  void agentsBelowTheMinimumAllocatableAreNotOffered() {
    h.addFramework("f", "r");
    h.addAgent("tiny", "cpus:0.005;mem:16;disk:100");
    assertThat(h.drain()).isEmpty();
    h.addAgent("ok", "cpus:0.01;mem:1");
    assertThat(h.drain()).extracting(o -> o.agent().getValue()).containsExactly("ok");
  }

  @Test
  void configuredMinimumAllocatableReplacesTheDefault() {
    h.close();
    h = new Harness(AllocatorOptions.DRF, Set.of(), List.of(Map.of("cpus", 1.0, "mem", 100.0)));
    h.addFramework("f", "r");
    h.addAgent("small", "cpus:0.5;mem:1000");
    assertThat(h.drain()).isEmpty();
    h.addAgent("big", "cpus:1;mem:100");
    assertThat(h.drain()).extracting(o -> o.agent().getValue()).containsExactly("big");
  }

  @Test
  void fairnessExclusionIgnoresTheResourceInShares() {
    h.close();
    h = new Harness(AllocatorOptions.DRF, Set.of("gpus"), List.of());
    h.addAgent("gpu", "cpus:1;mem:100;gpus:4");
    h.addFramework("f1", "r1");
    h.drain();
    Map<String, Double> metrics = h.metrics();
    assertThat(metrics.get("allocator/mesos/roles/r1/shares/dominant")).isEqualTo(1.0);
    h.addFramework("f2", "r2");
    h.addAgent("cpu", "cpus:3;mem:300");
    assertThat(h.drain()).extracting(o -> o.framework().getValue()).containsExactly("f2");
    // Without gpus, r1's share is 1/4: it is not considered to hold the whole cluster.
    assertThat(h.metrics().get("allocator/mesos/roles/r1/shares/dominant")).isEqualTo(0.25);
  }

  @Test
  void multiRoleOffersCarryAllocationRole() {
    h.allocator.addFramework(fid("m"), Harness.multiRole("a", "b"), Map.of(), true);
    h.addAgent("x", "cpus(b):1;mem(b):100;cpus:1;mem:100");
    List<Offer> offers = h.drain();

    assertThat(offers).isNotEmpty();
    for (Offer offer : offers) {
      for (Resource resource : offer.resources()) {
        assertThat(resource.getAllocationInfo().getRole()).isEqualTo(offer.role());
      }
    }
    Map<String, Double> byRole = offers.stream().collect(Collectors.groupingBy(Offer::role,
        Collectors.summingDouble(o -> o.resources().scalar("cpus"))));
    // Both roles start at share 0, so role a comes first (by name) and gets the unreserved cpu; the cpu
    // reserved for b can only go to role b.
    assertThat(byRole).containsEntry("a", 1.0).containsEntry("b", 1.0);
  }

  @Test
  void deactivatedAgentsAndFrameworksGetNothing() {
    FrameworkID f = h.addFramework("f", "r");
    h.allocator.deactivateFramework(f);
    h.addAgent("a0", "cpus:1;mem:512");
    assertThat(h.drain()).isEmpty();
    h.allocator.deactivateSlave(sid("a0"));
    h.allocator.activateFramework(f);
    assertThat(h.drain()).isEmpty();
    h.allocator.activateSlave(sid("a0"));
    assertThat(h.tick()).hasSize(1);
  }

  @Test
  void removedFrameworkFreesItsResources() {
    FrameworkID f1 = h.addFramework("f1", "r");
    h.addAgent("a0", "cpus:1;mem:512");
    assertThat(h.drain()).hasSize(1);
    h.addFramework("f2", "r");
    assertThat(h.drain()).isEmpty();
    h.allocator.removeFramework(f1);
    assertThat(h.tick()).extracting(o -> o.framework().getValue()).containsExactly("f2");
  }

  @Test
  void usedResourcesAfterFailoverAreNotOfferedAgain() {
    h.allocator.addSlave(sid("a0"), SlaveInfo.newBuilder().setHostname("a0").build(),
        Resources.parse("cpus:4;mem:1024"),
        Map.of(fid("f"), Resources.parse("cpus:3;mem:512").allocatedTo("r")));
    h.allocator.addFramework(fid("f"), Harness.framework("r"),
        Map.of(sid("a0"), Resources.parse("cpus:3;mem:512").allocatedTo("r")), true);
    List<Offer> offers = h.drain();

    assertThat(offers).hasSize(1);
    assertThat(offers.get(0).resources().scalar("cpus")).isEqualTo(1.0);
    assertThat(h.metrics()).containsEntry("allocator/mesos/resources/cpus/offered_or_allocated", 4.0)
        .containsEntry("allocator/mesos/resources/cpus/total", 4.0);
  }

  @Test
  void metricsUseMesosNames() {
    h.addFramework("f", "r");
    h.addAgent("a0", "cpus:1;mem:512");
    h.drain();
    h.tick();
    Map<String, Double> metrics = h.metrics();
    assertThat(metrics).containsKeys("allocator/mesos/allocation_runs", "allocator/mesos/allocation_run_ms",
        "allocator/mesos/allocation_run_ms/count", "allocator/mesos/allocation_run_ms/p50",
        "allocator/mesos/allocation_run_ms/p9999", "allocator/mesos/allocation_run_latency_ms/max",
        "allocator/mesos/event_queue_dispatches", "allocator/mesos/resources/mem/total");
    assertThat(metrics.get("allocator/mesos/allocation_runs")).isGreaterThanOrEqualTo(2.0)
        .isEqualTo(metrics.get("allocator/mesos/allocation_run_ms/count"));
    assertThat(metrics.get("allocator/mesos/allocation_run_ms/min"))
        .isLessThanOrEqualTo(metrics.get("allocator/mesos/allocation_run_ms/p50"));
  }
}
