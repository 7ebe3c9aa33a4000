package io.jmesos.allocator.hierarchical;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.allocator.Quota;
import io.jmesos.allocator.hierarchical.Harness.Offer;
import io.jmesos.resources.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property-style test: random clusters, frameworks, roles, quota and refusals, driven for many steps with
 * seeded randomness; after every allocation no resource is offered twice, no agent is over-committed and no
 * role exceeds its quota limit.
 */
@Timeout(120)
class AllocatorInvariantsTest {
  private static final String[] ROLES = {"a", "b", "a/x", "a/y", "c/d"};
  private static final double LIMIT_B = 5;

  @Test
  void invariantsHoldAfterEveryAllocation() {
    for (int seed = 0; seed < 25; seed++) {
      run(new Random(seed), seed % 3 == 0 ? AllocatorOptions.RANDOM : AllocatorOptions.DRF);
    }
  }

  private void run(Random random, String sorter) {
    try (Harness h = new Harness(sorter, Set.of(), List.of())) {
      Map<SlaveID, Resources> totals = new HashMap<>();
      Map<SlaveID, Map<FrameworkID, Resources>> outstanding = new HashMap<>();
      List<Offer> held = new ArrayList<>();
      h.allocator.updateQuota("b", new Quota(Map.of(), Map.of("cpus", LIMIT_B)));
      h.allocator.updateQuota("a", new Quota(Map.of("cpus", 3.0), Map.of("cpus", 8.0)));
      h.allocator.updateWeights(Map.of("a", 1 + random.nextInt(3) * 1.0));
      int agents = 0;
      int frameworks = 0;
      for (int step = 0; step < 40; step++) {
        int action = random.nextInt(6);
        if (action == 0 || agents < 2) {
          String id = "agent" + agents++;
          String text = "cpus:" + (1 + random.nextInt(8)) + ";mem:" + (256 * (1 + random.nextInt(8)))
              + ";ports:[31000-31100]" + (random.nextBoolean() ? ";cpus(c):2;mem(c):128" : "");
          SlaveID sid = h.addAgent(id, text);
          totals.put(sid, Resources.parse(text));
        } else if (action == 1 || frameworks < 2) {
          String role = ROLES[random.nextInt(ROLES.length)];
          if (random.nextBoolean()) {
            h.allocator.addFramework(Harness.fid("f" + frameworks++),
                Harness.multiRole(role, ROLES[random.nextInt(ROLES.length)]), Map.of(), true);
          } else {
            h.addFramework("f" + frameworks++, role);
          }
        } else if (action == 2 && !held.isEmpty()) {
          Offer offer = held.remove(random.nextInt(held.size()));
          h.decline(offer, random.nextInt(4));
          release(outstanding, offer);
        } else if (action == 3 && !held.isEmpty()) {
          Offer offer = held.remove(random.nextInt(held.size()));
          Resources part = Resources.parse("cpus:" + Math.min(1, offer.resources().scalar("cpus")))
              .allocatedTo(offer.role());
          if (offer.resources().contains(part) && !part.isEmpty()) {
            h.allocator.recoverResources(offer.framework(), offer.agent(), part, null);
            Offer rest = new Offer(offer.framework(), offer.role(), offer.agent(), offer.resources().minus(part));
            release(outstanding, offer);
            take(outstanding, rest);
            held.add(rest);
          } else {
            held.add(offer);
          }
        } else if (action == 4 && frameworks > 0) {
          FrameworkID f = Harness.fid("f" + random.nextInt(frameworks));
          if (random.nextBoolean()) {
            h.allocator.reviveOffers(f, Set.of());
          } else {
            h.allocator.suppressOffers(f, Set.of());
          }
        }
        List<Offer> offers = h.tick();
        for (Offer offer : offers) {
          take(outstanding, offer);
          held.add(offer);
        }
        check(totals, outstanding, held);
      }
    }
  }

  private static void take(Map<SlaveID, Map<FrameworkID, Resources>> outstanding, Offer offer) {
    outstanding.computeIfAbsent(offer.agent(), k -> new HashMap<>())
        .merge(offer.framework(), offer.resources().stripAllocationInfo(), Resources::plus);
  }

  private static void release(Map<SlaveID, Map<FrameworkID, Resources>> outstanding, Offer offer) {
    outstanding.get(offer.agent()).computeIfPresent(offer.framework(),
        (k, v) -> v.minus(offer.resources().stripAllocationInfo()));
  }

  private static void check(Map<SlaveID, Resources> totals,
      Map<SlaveID, Map<FrameworkID, Resources>> outstanding, List<Offer> held) {
    outstanding.forEach((agent, byFramework) -> {
      Resources sum = Resources.empty();
      for (Resources resources : byFramework.values()) {
        sum = sum.plus(resources);
      }
      assertThat(totals.get(agent).contains(sum))
          .as("agent %s offered %s within %s", agent.getValue(), sum, totals.get(agent)).isTrue();
    });
    double bCpus = 0;
    double aCpus = 0;
    for (Offer offer : held) {
      double unreserved = offer.resources().unreserved().scalar("cpus");
      if (offer.role().equals("b")) {
        bCpus += unreserved;
      }
      if (offer.role().equals("a") || offer.role().startsWith("a/")) {
        aCpus += unreserved;
      }
    }
    assertThat(bCpus).as("cpus of role b").isLessThanOrEqualTo(LIMIT_B);
    assertThat(aCpus).as("cpus of role a and its children").isLessThanOrEqualTo(8.0);
  }
}
