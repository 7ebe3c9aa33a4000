package io.jmesos.master.registry;

import io.jmesos.internal.RegistryProtos.Registry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Splits a registry into its non-agent part and shards of agents, and merges them back; pure, no I/O.
 *
 * <p>An agent's shard is the CRC-32 of its id's UTF-8 bytes modulo the shard count, so it stays put while the
 * count does. Within a shard agents keep the order they had in the registry, so that adding, updating or removing
 * one agent changes the bytes of its shard only. A merge appends the shards in index order: a fetched registry
 * lists its agents grouped by shard, which is the only order this store preserves.
 */
final class ZooKeeperRegistryShards {
  private ZooKeeperRegistryShards() {}

  /** The agents of a registry, serialized per shard (an empty array for an empty shard). */
  static final class Split {
    final int count;
    final byte[][] shards;

    private Split(int count, byte[][] shards) {
      this.count = count;
      this.shards = shards;
    }
  }

  static int shardOf(String agentId, int count) {
    CRC32 crc = new CRC32();
    crc.update(agentId.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % count);
  }

  /**
   * Splits {@code registry}'s agents into {@code count} shards, doubling the count while a shard is larger than
   * {@code maxShardBytes}; throws {@link IllegalStateException} when even {@code maxCount} shards do not do.
   */
  static Split split(Registry registry, int count, int maxShardBytes, int maxCount) {
    for (int n = count; ; n *= 2) {
      byte[][] shards = serialize(registry, n);
      int largest = 0;
      for (int i = 1; i < n; i++) {
        if (shards[i].length > shards[largest].length) {
          largest = i;
        }
      }
      if (shards[largest].length <= maxShardBytes) {
        return new Split(n, shards);
      }
      if (n * 2 > maxCount) {
        throw new IllegalStateException("Registry shard " + largest + " of " + n + " would hold "
            + shards[largest].length + " bytes, over the " + maxShardBytes + "-byte limit of a ZooKeeper node, and "
            + "the shard count cannot grow past " + maxCount + " (" + agents(registry) + " agents in all)");
      }
    }
  }

  /** The registry without its agents; {@code slaves}, {@code unreachable} and {@code gone} stay present if so. */
  static Registry rest(Registry registry) {
    Registry.Builder rest = registry.toBuilder();
    if (rest.hasSlaves()) {
      rest.getSlavesBuilder().clearSlaves();
    }
    if (rest.hasUnreachable()) {
      rest.getUnreachableBuilder().clearSlaves();
    }
    if (rest.hasGone()) {
      rest.getGoneBuilder().clearSlaves();
    }
    return rest.build();
  }

  /** {@code rest} with the agents of {@code shards} appended in shard order. */
  static Registry merge(Registry rest, List<Registry> shards) {
    Registry.Builder merged = rest.toBuilder();
    for (Registry shard : shards) {
      if (shard.getSlaves().getSlavesCount() > 0) {
        merged.getSlavesBuilder().addAllSlaves(shard.getSlaves().getSlavesList());
      }
      if (shard.getUnreachable().getSlavesCount() > 0) {
        merged.getUnreachableBuilder().addAllSlaves(shard.getUnreachable().getSlavesList());
      }
      if (shard.getGone().getSlavesCount() > 0) {
        merged.getGoneBuilder().addAllSlaves(shard.getGone().getSlavesList());
      }
    }
    return merged.build();
  }

  static int agents(Registry registry) {
    return registry.getSlaves().getSlavesCount() + registry.getUnreachable().getSlavesCount()
        + registry.getGone().getSlavesCount();
  }

  private static byte[][] serialize(Registry registry, int count) {
    Registry.Builder[] shards = new Registry.Builder[count];
    for (int i = 0; i < count; i++) {
      shards[i] = Registry.newBuilder();
    }
    for (Registry.Slave slave : registry.getSlaves().getSlavesList()) {
      shards[shardOf(slave.getInfo().getId().getValue(), count)].getSlavesBuilder().addSlaves(slave);
    }
    for (Registry.UnreachableSlave slave : registry.getUnreachable().getSlavesList()) {
      shards[shardOf(slave.getId().getValue(), count)].getUnreachableBuilder().addSlaves(slave);
    }
    for (Registry.GoneSlave slave : registry.getGone().getSlavesList()) {
      shards[shardOf(slave.getId().getValue(), count)].getGoneBuilder().addSlaves(slave);
    }
    byte[][] bytes = new byte[count][];
    for (int i = 0; i < count; i++) {
      bytes[i] = shards[i].build().toByteArray();
    }
    return bytes;
  }
}
