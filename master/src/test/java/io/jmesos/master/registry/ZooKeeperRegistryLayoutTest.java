package io.jmesos.master.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.internal.RegistryStoreProtos.RegistryHead;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Znode names under {@code <path>/registry} and the garbage rule. */
@Timeout(30)
class ZooKeeperRegistryLayoutTest {
  private static final String WRITER = "0123456789abcdef";

  @Test
  void pathsAreUnderRegistry() {
    assertThat(new ZooKeeperRegistryLayout("/mesos").head()).isEqualTo("/mesos/registry/head");
    assertThat(new ZooKeeperRegistryLayout("/").directory()).isEqualTo("/registry");
    assertThat(new ZooKeeperRegistryLayout("/a/b/").path("x")).isEqualTo("/a/b/registry/x");
    assertThatThrownBy(() -> new ZooKeeperRegistryLayout("mesos")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shardNamesCarryIndexGenerationAndWriter() {
    String name = ZooKeeperRegistryLayout.shardName(7, 123, WRITER);

    assertThat(name).isEqualTo("shard-0007-g0000000123-0123456789abcdef");
    assertThat(ZooKeeperRegistryLayout.generation(name)).hasValue(123);
    assertThat(ZooKeeperRegistryLayout.generation("json.info_0000000001")).isEmpty();
    assertThat(ZooKeeperRegistryLayout.generation("head")).isEqualTo(OptionalLong.empty());
    assertThat(ZooKeeperRegistryLayout.maxGeneration(List.of("head", name,
        ZooKeeperRegistryLayout.shardName(1, 99, WRITER)))).isEqualTo(123);
  }

  @Test
  void garbageIsUnnamedShardsUpToTheHeadGeneration() {
    String named = ZooKeeperRegistryLayout.shardName(0, 4, WRITER);
    String replaced = ZooKeeperRegistryLayout.shardName(0, 3, WRITER);
    String lostSwitch = ZooKeeperRegistryLayout.shardName(1, 5, "fedcba9876543210");
    String pending = ZooKeeperRegistryLayout.shardName(1, 6, "fedcba9876543210");
    RegistryHead head = RegistryHead.newBuilder().setGeneration(5).setShardCount(2).addShards(named).addShards("")
        .setRest(Registry.getDefaultInstance()).build();

    assertThat(ZooKeeperRegistryLayout.garbage(List.of("head", named, replaced, lostSwitch, pending, "other"), head))
        .containsExactly(replaced, lostSwitch);
  }
}
