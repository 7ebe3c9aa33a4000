package io.jmesos.allocator.hierarchical;

import static io.jmesos.allocator.hierarchical.Harness.fid;
import static io.jmesos.allocator.hierarchical.Harness.sid;
import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.allocator.hierarchical.Harness.Offer;
import io.jmesos.resources.Resources;
import java.util.List;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent keeps what it derived from its available resources (candidates, tagged offers, filter memos) and
 * uses it again when the available resources come back with the same content: these tests check that every
 * offer still carries exactly what is available at the time of the run.
 */
@Timeout(60)
class CandidateCacheTest {
  private static final String AGENT = "cpus:4;mem:1024;ports:[31000-31010]";

  private final Harness h = new Harness();

  @AfterEach
  void stop() {
    h.close();
  }

  private static Offer single(List<Offer> offers) {
    assertThat(offers).hasSize(1);
    return offers.get(0);
  }

  private static Resources untagged(Offer offer) {
    return offer.resources().stripAllocationInfo();
  }

  @Test
  void declinedOfferComesBackUnchanged() {
    h.addFramework("f", "r");
    h.addAgent("a0", AGENT);
    Offer first = single(h.drain());
    assertThat(untagged(first)).isEqualTo(Resources.parse(AGENT));

    for (int round = 0; round < 3; round++) {
      h.decline(first, 0);
      Offer again = single(h.tick());
      assertThat(untagged(again)).as("round %d", round).isEqualTo(Resources.parse(AGENT));
      assertThat(again.resources().toList()).allSatisfy(r ->
          assertThat(r.getAllocationInfo().getRole()).isEqualTo("r"));
      first = again;
    }
  }

  @Test
  void agentWhoseTotalChangesBetweenCyclesIsOfferedTheNewAmount() {
    h.addFramework("f", "r");
    SlaveID agent = h.addAgent("a0", AGENT);
    h.decline(single(h.drain()), 0);
    h.decline(single(h.tick()), 0);

    String bigger = "cpus:8;mem:2048;ports:[31000-31020]";
    h.allocator.updateSlave(agent, SlaveInfo.newBuilder().setHostname("a0").build(), Resources.parse(bigger));

    assertThat(untagged(single(h.drain()))).isEqualTo(Resources.parse(bigger));
  }

  @Test
  void partlyRecoveredOfferIsOfferedAsWhatCameBack() {
    h.addFramework("f", "r");
    h.addAgent("a0", AGENT);
    Offer whole = single(h.drain());
    // The framework keeps one cpu, 256 MB and one port (a task), and gives back the rest.
    Resources kept = Resources.parse("cpus:1;mem:256;ports:[31000-31000]").allocatedTo("r");
    h.allocator.recoverResources(fid("f"), sid("a0"), whole.resources().minus(kept), null);

    Offer rest = single(h.tick());
    assertThat(untagged(rest)).isEqualTo(Resources.parse("cpus:3;mem:768;ports:[31001-31010]"));
    h.decline(rest, 0);
    Offer restAgain = single(h.tick());
    assertThat(untagged(restAgain)).isEqualTo(Resources.parse("cpus:3;mem:768;ports:[31001-31010]"));

    // The task ends while the rest is offered: only what it held is free for the next run.
    h.allocator.recoverResources(fid("f"), sid("a0"), kept, null);
    Offer freed = single(h.tick());
    assertThat(untagged(freed)).isEqualTo(Resources.parse("cpus:1;mem:256;ports:[31000-31000]"));

    h.decline(restAgain, 0);
    h.decline(freed, 0);
    assertThat(untagged(single(h.tick()))).isEqualTo(Resources.parse(AGENT));
  }

  @Test
  void refusalStillAppliesToTheSameResourcesOnLaterRuns() {
    h.addFramework("f1", "r");
    h.addAgent("a0", AGENT);
    Offer toF1 = single(h.drain());
    assertThat(toF1.framework()).isEqualTo(fid("f1"));
    h.addFramework("f2", "r");
    h.decline(toF1, 3600);

    for (int round = 0; round < 3; round++) {
      Offer offer = single(h.tick());
      assertThat(offer.framework()).as("round %d", round).isEqualTo(fid("f2"));
      assertThat(untagged(offer)).isEqualTo(Resources.parse(AGENT));
      h.decline(offer, 0);
    }
  }

  @Test
  void sameResourcesOfferedToAnotherRoleCarryThatRole() {
    h.addFramework("fa", "a");
    h.addAgent("x", AGENT);
    Offer toA = single(h.drain());
    assertThat(toA.role()).isEqualTo("a");
    h.addFramework("fb", "b");
    h.decline(toA, 3600);

    Offer toB = single(h.tick());
    assertThat(toB.role()).isEqualTo("b");
    assertThat(untagged(toB)).isEqualTo(Resources.parse(AGENT));
    for (Resource resource : toB.resources()) {
      assertThat(resource.getAllocationInfo().getRole()).isEqualTo("b");
    }
    assertThat(h.metrics()).containsEntry("allocator/mesos/offer_filters/roles/a/active", 1.0);
    h.allocator.removeFramework(fid("fb"));
    h.allocator.reviveOffers(fid("fa"), java.util.Set.of());
    Offer backToA = single(h.drain());
    assertThat(backToA.role()).isEqualTo("a");
    assertThat(backToA.resources()).isEqualTo(Resources.parse(AGENT).allocatedTo("a"));
  }
}
