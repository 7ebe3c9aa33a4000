package io.jmesos.master.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.internal.RegistryProtos.Registry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Splitting the registry into shards of agents and merging them back. */
@Timeout(30)
class ZooKeeperRegistryShardsTest {
  @Test
  void anAgentsShardIsTheCrc32OfItsIdAndNeverChanges() {
    // Pinned: a different hash would move every agent of an existing registry at the next store.
    assertThat(ZooKeeperRegistryShards.shardOf("5e2c41b7-9a0d-4d3e-8f61-7b2a9c0d1e3f-S0", 64)).isEqualTo(42);
    assertThat(ZooKeeperRegistryShards.shardOf("5e2c41b7-9a0d-4d3e-8f61-7b2a9c0d1e3f-S1", 64)).isEqualTo(60);
    assertThat(ZooKeeperRegistryShards.shardOf("5e2c41b7-9a0d-4d3e-8f61-7b2a9c0d1e3f-S2", 64)).isEqualTo(6);
  }

  @Test
  void splitThenMergeKeepsEverythingAndTheOrderWithinAShard() throws Exception {
    Registry registry = RegistryStoreAgents.registry(500);
    ZooKeeperRegistryShards.Split split = ZooKeeperRegistryShards.split(registry, 8, Integer.MAX_VALUE, 8);

    List<Registry> shards = new ArrayList<>();
    for (byte[] bytes : split.shards) {
      shards.add(Registry.parseFrom(bytes));
    }
    Registry merged = ZooKeeperRegistryShards.merge(ZooKeeperRegistryShards.rest(registry), shards);

    assertThat(merged.getSlaves().getSlavesList())
        .containsExactlyInAnyOrderElementsOf(registry.getSlaves().getSlavesList());
    assertThat(merged.getMaster()).isEqualTo(registry.getMaster());
    assertThat(merged.getQuotaConfigsList()).isEqualTo(registry.getQuotaConfigsList());
    for (int i = 0; i < 8; i++) {
      for (Registry.Slave slave : shards.get(i).getSlaves().getSlavesList()) {
        assertThat(ZooKeeperRegistryShards.shardOf(slave.getInfo().getId().getValue(), 8)).isEqualTo(i);
      }
      List<Registry.Slave> inOriginalOrder = registry.getSlaves().getSlavesList().stream()
          .filter(s -> ZooKeeperRegistryShards.shardOf(s.getInfo().getId().getValue(), 8) == 0)
          .toList();
      assertThat(shards.get(0).getSlaves().getSlavesList()).isEqualTo(inOriginalOrder);
    }
  }

  @Test
  void changingOneAgentChangesOneShard() {
    Registry registry = RegistryStoreAgents.registry(500);
    Registry.Builder updated = registry.toBuilder();
    updated.getSlavesBuilder().removeSlaves(77);

    byte[][] before = ZooKeeperRegistryShards.split(registry, 16, Integer.MAX_VALUE, 16).shards;
    byte[][] after = ZooKeeperRegistryShards.split(updated.build(), 16, Integer.MAX_VALUE, 16).shards;

    int changed = 0;
    for (int i = 0; i < 16; i++) {
      changed += java.util.Arrays.equals(before[i], after[i]) ? 0 : 1;
    }
    assertThat(changed).isEqualTo(1);
  }

  @Test
  void theShardCountDoublesUntilEveryShardFits() {
    ZooKeeperRegistryShards.Split split =
        ZooKeeperRegistryShards.split(RegistryStoreAgents.registry(1_000), 4, 16 * 1024, 4096);

    assertThat(split.count).isGreaterThan(4);
    assertThat(Integer.bitCount(split.count)).isEqualTo(1);
    for (byte[] shard : split.shards) {
      assertThat(shard.length).isLessThanOrEqualTo(16 * 1024);
    }
  }

  @Test
  void aRegistryThatCannotFitFailsLoudly() {
    assertThatThrownBy(() -> ZooKeeperRegistryShards.split(RegistryStoreAgents.registry(1_000), 4, 16 * 1024, 8))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("over the 16384-byte limit")
        .hasMessageContaining("cannot grow past 8")
        .hasMessageContaining("1200 agents");
  }

  @Test
  void theRestKeepsWhichAgentListsWerePresent() {
    Registry registry = Registry.newBuilder().setUnreachable(Registry.UnreachableSlaves.getDefaultInstance()).build();

    Registry rest = ZooKeeperRegistryShards.rest(RegistryStoreAgents.registry(3).toBuilder()
        .clearGone().build());

    assertThat(ZooKeeperRegistryShards.rest(registry)).isEqualTo(registry);
    assertThat(rest.hasSlaves()).isTrue();
    assertThat(rest.getSlaves().getSlavesCount()).isZero();
    assertThat(rest.hasGone()).isFalse();
  }
}
