package io.jmesos.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.actor.ManualClock;
import io.jmesos.resources.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SimpleAllocatorTest {
  private static final FrameworkID F1 = FrameworkID.newBuilder().setValue("f1").build();
  private static final FrameworkID F2 = FrameworkID.newBuilder().setValue("f2").build();
  private static final SlaveID A1 = SlaveID.newBuilder().setValue("a1").build();
  private static final SlaveID A2 = SlaveID.newBuilder().setValue("a2").build();

  record Offer(FrameworkID framework, String role, SlaveID agent, Resources resources) {}

  private final ManualClock clock = new ManualClock();
  private final List<Offer> offers = new CopyOnWriteArrayList<>();
  private SimpleAllocator allocator;

  @BeforeEach
  void start() {
    allocator = (SimpleAllocator) Allocators.create("Simple", clock);
    allocator.initialize(new AllocatorOptions(Duration.ofSeconds(1), (framework, byRole) ->
        byRole.forEach((role, byAgent) ->
            byAgent.forEach((agent, resources) -> offers.add(new Offer(framework, role, agent, resources))))));
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @SuppressWarnings("deprecation") // The single role is what non-MULTI_ROLE frameworks use.
  private static FrameworkInfo framework(String role) {
    return FrameworkInfo.newBuilder().setUser("u").setName("n").setRole(role).build();
  }

  private static FrameworkInfo multiRole(String... roles) {
    return FrameworkInfo.newBuilder().setUser("u").setName("n").addAllRoles(List.of(roles))
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .build();
  }

  private void addAgent(SlaveID id, String resources) {
    allocator.addSlave(id, SlaveInfo.newBuilder().setHostname(id.getValue()).build(),
        Resources.parse(resources, "*"), Map.of());
  }

  private List<Offer> drain() {
    allocator.settle();
    List<Offer> copy = List.copyOf(offers);
    offers.clear();
    return copy;
  }

  @Test
  void offersTheWholeAgentWithAllocationRole() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2;mem:1024;ports:[31000-32000]");

    List<Offer> got = drain();

    assertThat(got).hasSize(1);
    Offer offer = got.get(0);
    assertThat(offer.framework()).isEqualTo(F1);
    assertThat(offer.role()).isEqualTo("*");
    assertThat(offer.resources().scalar("cpus")).isEqualTo(2.0);
    assertThat(offer.resources().scalar("mem")).isEqualTo(1024.0);
    assertThat(offer.resources().ranges("ports").getRange(0).getBegin()).isEqualTo(31000);
    assertThat(offer.resources().toList()).allSatisfy(r -> assertThat(r.getAllocationInfo().getRole()).isEqualTo("*"));
  }

  @Test
  void neverOffersTheSameResourcesTwice() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    allocator.addFramework(F2, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2;mem:1024");
    assertThat(drain()).hasSize(1);

    clock.advance(Duration.ofSeconds(5));

    assertThat(drain()).isEmpty();
  }

  @Test
  void roundRobinSpreadsAgentsOverFrameworks() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    allocator.addFramework(F2, framework("*"), Map.of(), true);
    allocator.settle();
    addAgent(A1, "cpus:1");
    addAgent(A2, "cpus:1");

    List<Offer> got = drain();

    assertThat(got).extracting(Offer::framework).containsExactlyInAnyOrder(F1, F2);
    assertThat(got).extracting(Offer::agent).containsExactlyInAnyOrder(A1, A2);
  }

  @Test
  void recoveredResourcesAreOfferedAgain() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2;mem:1024");
    Offer first = drain().get(0);

    allocator.recoverResources(F1, A1, first.resources(), null);

    List<Offer> again = drain();
    assertThat(again).hasSize(1);
    assertThat(again.get(0).resources()).isEqualTo(first.resources());
  }

  @Test
  void partlyUsedOfferLeavesTheRestForLater() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2;mem:1024");
    Offer first = drain().get(0);

    allocator.recoverResources(F1, A1, Resources.parse("cpus:1;mem:512", "*").allocatedTo("*"), null);

    List<Offer> again = drain();
    assertThat(again.get(0).resources().scalar("cpus")).isEqualTo(1.0);
    assertThat(again.get(0).resources().scalar("mem")).isEqualTo(512.0);
    assertThat(first.resources().scalar("cpus")).isEqualTo(2.0);
  }

  @Test
  void declineFilterHoldsForRefuseSecondsOnTheClock() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2;mem:1024");
    Offer first = drain().get(0);

    allocator.recoverResources(F1, A1, first.resources(), Filters.newBuilder().setRefuseSeconds(10).build());
    assertThat(drain()).isEmpty();
    clock.advance(Duration.ofSeconds(9));
    assertThat(drain()).isEmpty();

    clock.advance(Duration.ofSeconds(1));

    assertThat(drain()).hasSize(1);
  }

  @Test
  void defaultFiltersRefuseForFiveSeconds() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2");
    Offer first = drain().get(0);

    allocator.recoverResources(F1, A1, first.resources(), Filters.getDefaultInstance());
    assertThat(drain()).isEmpty();
    clock.advance(Duration.ofSeconds(4));
    assertThat(drain()).isEmpty();
    clock.advance(Duration.ofSeconds(1));

    assertThat(drain()).hasSize(1);
  }

  @Test
  void filteredResourcesGoToAnotherFramework() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2");
    Offer first = drain().get(0);
    allocator.addFramework(F2, framework("*"), Map.of(), true);

    allocator.recoverResources(F1, A1, first.resources(), Filters.newBuilder().setRefuseSeconds(60).build());

    assertThat(drain()).extracting(Offer::framework).containsExactly(F2);
  }

  @Test
  void reviveClearsFilters() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2");
    Offer first = drain().get(0);
    allocator.recoverResources(F1, A1, first.resources(), Filters.newBuilder().setRefuseSeconds(3600).build());
    assertThat(drain()).isEmpty();

    allocator.reviveOffers(F1, Set.of());

    assertThat(drain()).hasSize(1);
  }

  @Test
  void suppressedFrameworkGetsNothingUntilRevived() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    allocator.suppressOffers(F1, Set.of());
    addAgent(A1, "cpus:2");
    clock.advance(Duration.ofSeconds(2));
    assertThat(drain()).isEmpty();

    allocator.reviveOffers(F1, Set.of("*"));

    assertThat(drain()).hasSize(1);
  }

  @Test
  void reservedResourcesOnlyGoToTheirRole() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:1;cpus(ops):2;mem:100");

    Offer star = drain().get(0);
    assertThat(star.resources().scalar("cpus")).isEqualTo(1.0);
    assertThat(Resources.isReserved(star.resources().named("cpus").toList().get(0))).isFalse();

    allocator.addFramework(F2, framework("ops"), Map.of(), true);
    List<Offer> ops = drain();
    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).framework()).isEqualTo(F2);
    assertThat(ops.get(0).role()).isEqualTo("ops");
    assertThat(ops.get(0).resources().reserved("ops").scalar("cpus")).isEqualTo(2.0);
    assertThat(ops.get(0).resources().toList()).extracting(r -> r.getAllocationInfo().getRole())
        .containsOnly("ops");
  }

  @Test
  void multiRoleFrameworkIsOfferedUnderOneOfItsRoles() {
    allocator.addFramework(F1, multiRole("a", "b"), Map.of(), true);
    addAgent(A1, "cpus(b):1");

    List<Offer> got = drain();

    assertThat(got).hasSize(1);
    assertThat(got.get(0).role()).isEqualTo("b");
  }

  @Test
  void inactiveFrameworksAndAgentsGetNoOffers() {
    allocator.addFramework(F1, framework("*"), Map.of(), false);
    addAgent(A1, "cpus:2");
    assertThat(drain()).isEmpty();
    allocator.deactivateSlave(A1);
    allocator.activateFramework(F1);
    assertThat(drain()).isEmpty();

    allocator.activateSlave(A1);

    assertThat(drain()).hasSize(1);
  }

  @Test
  void usedResourcesAtAddSlaveAreNotOffered() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    allocator.addSlave(A1, SlaveInfo.newBuilder().setHostname("h").build(), Resources.parse("cpus:4", "*"),
        Map.of(F1, Resources.parse("cpus:3", "*")));

    assertThat(drain().get(0).resources().scalar("cpus")).isEqualTo(1.0);
  }

  @Test
  void removingAFrameworkFreesItsResources() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2");
    drain();
    allocator.addFramework(F2, framework("*"), Map.of(), true);
    assertThat(drain()).isEmpty();

    allocator.removeFramework(F1);

    assertThat(drain()).extracting(Offer::framework).containsExactly(F2);
  }

  @Test
  void filterCoversOnlyWhatWasRefused() {
    allocator.addFramework(F1, framework("*"), Map.of(), true);
    addAgent(A1, "cpus:2;mem:100");
    Offer first = drain().get(0);
    Resources small = Resources.parse("cpus:1", "*").allocatedTo("*");
    allocator.recoverResources(F1, A1, small, Filters.newBuilder().setRefuseSeconds(60).build());
    assertThat(drain()).isEmpty();

    allocator.recoverResources(F1, A1, first.resources().minus(small), null);

    List<Offer> got = drain();
    assertThat(got).hasSize(1);
    assertThat(got.get(0).resources().scalar("cpus")).isEqualTo(2.0);
  }

  @Test
  void unknownAllocatorNameIsAClearError() {
    assertThatThrownBy(() -> Allocators.create("HierarchicalDRFX", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown allocator 'HierarchicalDRFX'")
        .hasMessageContaining("Simple");
  }
}
