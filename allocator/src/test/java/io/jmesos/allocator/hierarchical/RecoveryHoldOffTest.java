package io.jmesos.allocator.hierarchical;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.allocator.Quota;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mesos' allocator recovery after a master failover ({@code HierarchicalAllocatorTest} recovery tests): with quota
 * set, nothing is offered until 80% of the agents the registry knew are back, or ten minutes have passed; without
 * quota there is no hold-off.
 */
class RecoveryHoldOffTest {
  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private void recoverWithQuota(int expectedAgents) {
    Quota quota = new Quota(Map.of("cpus", 1.0), Map.of());
    h.allocator.updateQuota("r1", quota);
    h.allocator.recover(expectedAgents, Map.of("r1", quota));
  }

  @Test
  void withQuotaOffersWaitForEightyPercentOfTheAgents() {
    recoverWithQuota(5);
    h.addFramework("f1", "r1");
    for (int i = 0; i < 3; i++) {
      h.addAgent("a" + i, "cpus:1;mem:512");
    }
    assertThat(h.tick()).isEmpty();
    h.addAgent("a3", "cpus:1;mem:512"); // 4 of 5: ceil(0.8 * 5)
    assertThat(h.drain()).hasSize(4);
  }

  @Test
  void withQuotaOffersResumeAfterTenMinutesWhateverCameBack() {
    recoverWithQuota(5);
    h.addFramework("f1", "r1");
    h.addAgent("a0", "cpus:1;mem:512");
    h.allocator.settle();
    h.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
    assertThat(h.drain()).isEmpty();
    h.clock.advance(Duration.ofSeconds(1));
    assertThat(h.drain()).hasSize(1);
  }

  @Test
  void withoutQuotaThereIsNoHoldOff() {
    h.allocator.recover(5, Map.of());
    h.addFramework("f1", "r1");
    h.addAgent("a0", "cpus:1;mem:512");
    assertThat(h.drain()).hasSize(1);
  }
}
