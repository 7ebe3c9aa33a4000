package io.jmesos.master.registry;

import io.jmesos.detector.ZooKeeperUrl;
import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.zookeeper.ZooKeeperClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.Value;

/**
 * Fetch and store latency of the durable registry stores for 10,000 and 50,000 agents: ZooKeeper (an in-JVM
 * {@link TestingServer}, so no network but a real transaction log) and a file in a temporary work directory. Not a
 * test: run its {@code main} with the master's test class path; the optional argument is the rounds per figure.
 *
 * <p>"fetch" is a newly elected master reading the whole registry; "store 1" re-stores it with one agent changed
 * (one shard in ZooKeeper, the whole file on disk); "store all" writes a registry of which every shard changed.
 */
public final class RegistryStoreBenchmark {
  private RegistryStoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    for (int agents : new int[] {10_000, 50_000}) {
      Registry registry = RegistryStoreAgents.registry(agents);
      zooKeeper(registry, agents, rounds);
      file(registry, agents, rounds);
    }
  }

  private static void zooKeeper(Registry registry, int agents, int rounds) throws Exception {
    try (TestingServer server = new TestingServer(true)) {
      CuratorFramework client = ZooKeeperClients.newClient(
          ZooKeeperUrl.parse("zk://" + server.getConnectString() + "/mesos"), Duration.ofSeconds(30));
      client.start();
      client.blockUntilConnected(30, TimeUnit.SECONDS);
      try {
        List<Long> storeAll = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
          ZooKeeperRegistryStore store = new ZooKeeperRegistryStore(client, "/all-" + round);
          store.fetch();
          long start = System.nanoTime();
          store.store(registry);
          record(storeAll, round, start);
        }
        ZooKeeperRegistryStore writer = new ZooKeeperRegistryStore(client, "/mesos");
        writer.fetch();
        writer.store(registry);
        List<Long> fetch = new ArrayList<>();
        Registry fetched = null;
        for (int round = 0; round <= rounds; round++) {
          ZooKeeperRegistryStore leader = new ZooKeeperRegistryStore(client, "/mesos");
          long start = System.nanoTime();
          fetched = leader.fetch();
          record(fetch, round, start);
        }
        List<Long> storeOne = storeOne(new ZooKeeperRegistryStore(client, "/mesos"), fetched, rounds);
        long bytes = 0;
        long largest = 0;
        for (String child : client.getChildren().forPath("/mesos/registry")) {
          long size = client.checkExists().forPath("/mesos/registry/" + child).getDataLength();
          bytes += size;
          largest = child.startsWith("shard-") ? Math.max(largest, size) : largest;
        }
        print("zookeeper", agents, String.format(Locale.ROOT, "%.1f MB in %d shards (largest %d KB)",
            bytes / 1e6, ZooKeeperRegistryStore.DEFAULT_SHARDS, largest / 1024), fetch, storeOne, storeAll);
      } finally {
        client.close();
      }
    }
  }

  private static void file(Registry registry, int agents, int rounds) throws Exception {
    Path workDir = Files.createTempDirectory("registry-benchmark");
    try (FileRegistryStore writer = new FileRegistryStore(workDir)) {
      writer.fetch();
      writer.store(registry);
    }
    List<Long> fetch = new ArrayList<>();
    Registry fetched = null;
    for (int round = 0; round <= rounds; round++) {
      try (FileRegistryStore leader = new FileRegistryStore(workDir)) {
        long start = System.nanoTime();
        fetched = leader.fetch();
        record(fetch, round, start);
      }
    }
    List<Long> storeOne;
    try (FileRegistryStore store = new FileRegistryStore(workDir)) {
      storeOne = storeOne(store, fetched, rounds);
    }
    Path file = workDir.resolve("registry/registry.bin");
    String size = String.format(Locale.ROOT, "%.1f MB in one file", Files.size(file) / 1e6);
    print("file", agents, size, fetch, storeOne, storeOne);
    try (var paths = Files.walk(workDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Stores {@code registry} with a different agent changed each round, after one fetch. */
  private static List<Long> storeOne(RegistryStore store, Registry registry, int rounds) throws Exception {
    store.fetch();
    List<Long> times = new ArrayList<>();
    for (int round = 0; round <= rounds; round++) {
      Registry.Builder updated = registry.toBuilder();
      updated.getSlavesBuilder().getSlavesBuilder(round * 97).getInfoBuilder().addAttributes(Attribute.newBuilder()
          .setName("round").setType(Value.Type.TEXT).setText(Value.Text.newBuilder().setValue("r" + round)));
      long start = System.nanoTime();
      store.store(updated.build());
      record(times, round, start);
    }
    return times;
  }

  /** Records the time since {@code start}, except in round 0 (warm-up). */
  private static void record(List<Long> times, int round, long start) {
    long micros = (System.nanoTime() - start) / 1_000;
    if (round > 0) {
      times.add(micros);
    }
  }

  private static void print(String store, int agents, String size, List<Long> fetch, List<Long> storeOne,
      List<Long> storeAll) {
    System.out.printf(Locale.ROOT, "%-9s %6d agents  %-36s fetch %s  store 1 %s  store all %s%n", store, agents,
        size, stats(fetch), stats(storeOne), stats(storeAll));
  }

  /** min/median/max in milliseconds. */
  private static String stats(List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    return String.format(Locale.ROOT, "%.0f/%.0f/%.0f ms", sorted.get(0) / 1e3, sorted.get(sorted.size() / 2) / 1e3,
        sorted.get(sorted.size() - 1) / 1e3);
  }
}
