package io.jmesos.allocator.hierarchical;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.resources.Resources;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Offer operations in the allocator (Mesos' {@code HierarchicalAllocatorTest.UpdateAllocation} and {@code
 * UpdateAvailableSuccess/Fail}): a reservation made from an offer stays with the framework and is offered to its
 * role only; the operator's conversions apply to unallocated resources and are refused for offered ones.
 */
@Timeout(30)
class ResourceOperationsTest {
  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private static Resources dynamic(String text, String role) {
    Resources out = Resources.empty();
    for (Resource r : Resources.parse(text)) {
      out = out.plus(r.toBuilder().addReservations(Resource.ReservationInfo.newBuilder()
          .setType(Resource.ReservationInfo.Type.DYNAMIC).setRole(role).setPrincipal("ops")).build());
    }
    return out;
  }

  @Test
  void updateAllocationConvertsWhatTheFrameworkHoldsAndTheReservationIsOfferedToItsRoleOnly() {
    FrameworkID f1 = h.addFramework("f1", "r1");
    SlaveID agent = h.addAgent("a1", "cpus:4;mem:1024");
    Harness.Offer offer = h.drain().get(0);

    Resources consumed = Resources.parse("cpus:2").allocatedTo("r1");
    Resources converted = dynamic("cpus:2", "r1").allocatedTo("r1");
    h.allocator.updateAllocation(f1, agent, consumed, converted);
    Resources held = offer.resources().minus(consumed).plus(converted);
    h.allocator.recoverResources(f1, agent, held, org.apache.mesos.Protos.Filters.newBuilder()
        .setRefuseSeconds(3600).build());

    FrameworkID f2 = h.addFramework("f2", "r2");
    List<Harness.Offer> offers = h.tick();
    assertThat(offers).singleElement().satisfies(o -> {
      assertThat(o.framework()).isEqualTo(f2);
      assertThat(o.resources().reserved().isEmpty()).as("r2 never sees r1's reservation").isTrue();
      assertThat(o.resources().scalar("cpus")).isEqualTo(2.0);
    });

    h.allocator.reviveOffers(f1, java.util.Set.of());
    List<Harness.Offer> toF1 = h.tick();
    assertThat(toF1).singleElement().satisfies(o -> {
      assertThat(o.framework()).isEqualTo(f1);
      assertThat(o.resources().stripAllocationInfo()).isEqualTo(dynamic("cpus:2", "r1"));
    });
  }

  @Test
  void updateAvailableConvertsUnallocatedResourcesAndRefusesOfferedOnes() {
    FrameworkID f1 = h.addFramework("f1", "r1");
    SlaveID agent = h.addAgent("a1", "cpus:2;mem:512");
    Harness.Offer offer = h.drain().get(0);

    Optional<String> refused = h.allocator.updateAvailable(agent, java.util.Map.of(), Resources.parse("cpus:1"),
        dynamic("cpus:1", "r1")).join();
    assertThat(refused).hasValueSatisfying(e -> assertThat(e).contains("does not contain cpus:1"));

    // Declined for an hour: unallocated, and not offered to f1 again.
    h.allocator.recoverResources(f1, agent, offer.resources(), org.apache.mesos.Protos.Filters.newBuilder()
        .setRefuseSeconds(3600).build());
    Optional<String> applied = h.allocator.updateAvailable(agent, java.util.Map.of(), Resources.parse("cpus:1"),
        dynamic("cpus:1", "r1")).join();
    assertThat(applied).isEmpty();

    FrameworkID f2 = h.addFramework("f2", "r2");
    List<Harness.Offer> offers = h.tick();
    // The new reservation is not covered by f1's refusal: it goes to r1, never to r2.
    assertThat(offers).filteredOn(o -> o.framework().equals(f1)).singleElement().satisfies(o ->
        assertThat(o.resources().stripAllocationInfo().reserved("r1")).isEqualTo(dynamic("cpus:1", "r1")));
    assertThat(offers).filteredOn(o -> o.framework().equals(f2))
        .allSatisfy(o -> assertThat(o.resources().reserved().isEmpty()).isTrue());
    assertThat(offers.stream().mapToDouble(o -> o.resources().scalar("cpus")).sum()).isEqualTo(2.0);
  }

  @Test
  void updateAvailableRecoversTheRescindedOffersInTheSameStep() {
    FrameworkID f1 = h.addFramework("f1", "r1");
    SlaveID agent = h.addAgent("a1", "cpus:2;mem:512");
    Harness.Offer offer = h.drain().get(0);

    Optional<String> applied = h.allocator.updateAvailable(agent, java.util.Map.of(f1, offer.resources()),
        Resources.parse("cpus:1"), dynamic("cpus:1", "r1")).join();
    assertThat(applied).isEmpty();
    List<Harness.Offer> again = h.tick();
    assertThat(again).singleElement().satisfies(o ->
        assertThat(o.resources().stripAllocationInfo().reserved("r1")).isEqualTo(dynamic("cpus:1", "r1")));
  }
}
