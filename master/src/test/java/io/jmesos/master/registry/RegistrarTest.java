package io.jmesos.master.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registrar inside a real master, as Mesos' {@code RegistrarTest} and {@code MasterQuotaTest} recovery
 * tests: fetch and store timeouts abort the master, operations are stored before they are answered and batched
 * while a store is in flight, a master whose registry was taken over is fenced, and weights and quotas survive a
 * master restart.
 */
@Timeout(60)
class RegistrarTest {
  private static MasterFlags flags(String... extra) {
    Map<String, String> flags = new HashMap<>(Map.of("ip", "127.0.0.1", "port", "0"));
    for (int i = 0; i < extra.length; i += 2) {
      flags.put(extra[i], extra[i + 1]);
    }
    return MasterFlags.of(flags);
  }

  @Test
  void fetchTimeoutAbortsTheMasterAndNothingIsServedMeanwhile() throws Exception {
    BlockingStore store = new BlockingStore();
    store.blockFetch = new CountDownLatch(1);
    try (TestCluster cluster = new TestCluster(flags("registry_fetch_timeout", "30secs"), store);
        HttpClient http = new HttpClient("registrar-test")) {
      HttpResponse subscribe = http.post(cluster.address, "/api/v1/scheduler", "application/json",
          "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"f\"}}}"
              .getBytes(StandardCharsets.UTF_8), Map.of("Accept", "application/json")).get(10, TimeUnit.SECONDS);
      assertThat(subscribe.status()).isEqualTo(503);
      assertThat(subscribe.bodyText()).isEqualTo("Master has not finished recovery");

      cluster.advance(Duration.ofSeconds(29));
      assertThat(cluster.fatal).isEmpty();
      cluster.advance(Duration.ofSeconds(1));
      assertThat(cluster.fatal).singleElement().extracting(Throwable::getMessage)
          .isEqualTo("Failed to recover registrar: Failed to perform fetch within 30secs");
      store.blockFetch.countDown();
    }
  }

  @Test
  void storeTimeoutAbortsTheMasterAndTheAgentIsNotAdmitted() throws Exception {
    BlockingStore store = new BlockingStore();
    try (TestCluster cluster = new TestCluster(flags(), store)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.stored.size() == 1); // the new master's info
      store.blockStore = new CountDownLatch(1);
      FakeAgent agent = new FakeAgent();
      agent.connect(cluster.address);
      agent.send(io.jmesos.internal.Messages.RegisterSlaveMessage.newBuilder()
          .setSlave(org.apache.mesos.Protos.SlaveInfo.newBuilder().setHostname("h1").setPort(5051))
          .setVersion("1.11.0").setPid("slave(1)@127.0.0.1:5051").build());
      await().atMost(Duration.ofSeconds(10)).until(() -> store.storing);
      cluster.advance(Duration.ofSeconds(19));
      assertThat(cluster.fatal).isEmpty();
      assertThat(agent.hasQueued(SlaveRegisteredMessage.getDefaultInstance())).isFalse();
      cluster.advance(Duration.ofSeconds(1));
      assertThat(cluster.fatal).singleElement().extracting(Throwable::getMessage)
          .isEqualTo("Failed to update registry: Failed to perform store within 20secs");
      assertThat(agent.hasQueued(SlaveRegisteredMessage.getDefaultInstance())).isFalse();
      store.blockStore.countDown();
      agent.close();
    }
  }

  @Test
  void operationsAreBatchedWhileAStoreIsInFlightAndAnsweredInOrder() throws Exception {
    BlockingStore store = new BlockingStore();
    try (TestCluster cluster = new TestCluster(flags(), store)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.stored.size() == 1);
      store.blockStore = new CountDownLatch(1);
      FakeAgent a1 = register(cluster, "h1");
      await().atMost(Duration.ofSeconds(10)).until(() -> store.storing);
      FakeAgent a2 = register(cluster, "h2");
      // h3 only once h2's admission is queued: over two connections, the master could take h3 first.
      await().atMost(Duration.ofSeconds(10))
          .until(() -> cluster.metrics().get("registrar/queued_operations").asDouble() == 1.0);
      FakeAgent a3 = register(cluster, "h3");
      await().atMost(Duration.ofSeconds(10))
          .until(() -> cluster.metrics().get("registrar/queued_operations").asDouble() == 2.0);
      store.blockStore.countDown();
      SlaveRegisteredMessage r1 = a1.expect(SlaveRegisteredMessage.getDefaultInstance());
      SlaveRegisteredMessage r2 = a2.expect(SlaveRegisteredMessage.getDefaultInstance());
      SlaveRegisteredMessage r3 = a3.expect(SlaveRegisteredMessage.getDefaultInstance());
      // The master info, then h1 alone, then h2 and h3 in one store.
      assertThat(store.stored).hasSize(3);
      assertThat(store.stored.get(1).getSlaves().getSlavesList()).extracting(s -> s.getInfo().getId())
          .containsExactly(r1.getSlaveId());
      assertThat(store.stored.get(2).getSlaves().getSlavesList()).extracting(s -> s.getInfo().getId())
          .containsExactly(r1.getSlaveId(), r2.getSlaveId(), r3.getSlaveId());
      var metrics = cluster.metrics();
      assertThat(metrics.get("registrar/queued_operations").asDouble()).isZero();
      assertThat(metrics.get("registrar/registry_size_bytes").asDouble())
          .isEqualTo(store.stored.get(2).getSerializedSize());
      assertThat(metrics.get("registrar/state_store_ms/count").asDouble()).isEqualTo(3.0);
      assertThat(metrics.has("registrar/state_fetch_ms")).isTrue();
      assertThat(metrics.has("registrar/state_store_ms/p99")).isTrue();
      a1.close();
      a2.close();
      a3.close();
    }
  }

  @Test
  void aMasterWhoseRegistryWasTakenOverIsFencedAtItsNextStore() throws Exception {
    InMemoryRegistryStore registry = new InMemoryRegistryStore();
    try (TestCluster first = new TestCluster(flags(), registry.handle())) {
      first.settle(); // recovered: the registry names the first master
      TestCluster second = new TestCluster(flags(), registry.handle());
      second.settle();
      assertThat(registry.fetch().getMaster().getInfo().getId()).isEqualTo(second.master.id());
      FakeAgent agent = register(first, "h1");
      await().atMost(Duration.ofSeconds(10)).until(() -> !first.fatal.isEmpty());
      assertThat(first.fatal).singleElement().extracting(Throwable::getMessage).asString()
          .startsWith("Failed to update registry: another master took over the registry");
      assertThat(agent.hasQueued(SlaveRegisteredMessage.getDefaultInstance())).isFalse();
      assertThat(registry.fetch().getSlaves().getSlavesCount()).isZero();
      agent.close();
      second.close();
    }
  }

  @Test
  void weightsAndQuotaSurviveAMasterRestartAndTheRegistryWinsOverTheWeightsFlag() throws Exception {
    InMemoryRegistryStore registry = new InMemoryRegistryStore();
    try (TestCluster first = new TestCluster(flags("weights", "ops=3"), registry.handle());
        HttpClient http = new HttpClient("registrar-test")) {
      first.settle();
      assertThat(registry.fetch().getWeightsList()).extracting(w -> w.getInfo().getRole() + "=" + w.getInfo()
          .getWeight()).containsExactly("ops=3.0");
      HttpResponse weights = http.request(first.address, "PUT", "/weights", Map.of("Content-Type",
          "application/json"), "[{\"role\":\"web\",\"weight\":2.5}]".getBytes(StandardCharsets.UTF_8))
          .get(10, TimeUnit.SECONDS);
      assertThat(weights.status()).as(weights.bodyText()).isEqualTo(200);
      HttpResponse quota = http.post(first.address, "/api/v1", "application/json",
          ("{\"type\":\"UPDATE_QUOTA\",\"update_quota\":{\"force\":true,\"quota_configs\":[{\"role\":\"web\","
              + "\"guarantees\":{\"cpus\":{\"value\":2}},\"limits\":{\"cpus\":{\"value\":4}}}]}}")
              .getBytes(StandardCharsets.UTF_8), Map.of()).get(10, TimeUnit.SECONDS);
      assertThat(quota.status()).as(quota.bodyText()).isEqualTo(200);
    }
    try (TestCluster second = new TestCluster(flags("weights", "ops=7"), registry.handle());
        HttpClient http = new HttpClient("registrar-test")) {
      second.settle();
      String weights = http.get(second.address, "/weights").get(10, TimeUnit.SECONDS).bodyText();
      assertThat(weights).contains("\"role\":\"ops\"").contains("\"weight\":3.0")
          .contains("\"role\":\"web\"").contains("\"weight\":2.5").doesNotContain("7.0");
      String quota = http.get(second.address, "/quota").get(10, TimeUnit.SECONDS).bodyText();
      assertThat(quota).contains("\"role\":\"web\"")
          .contains("\"guarantees\":{\"cpus\":{\"value\":2.0}}")
          .contains("\"limits\":{\"cpus\":{\"value\":4.0}}");
    }
  }

  private static FakeAgent register(TestCluster cluster, String hostname) throws Exception {
    FakeAgent agent = new FakeAgent();
    agent.connect(cluster.address);
    agent.send(io.jmesos.internal.Messages.RegisterSlaveMessage.newBuilder()
        .setSlave(org.apache.mesos.Protos.SlaveInfo.newBuilder().setHostname(hostname).setPort(5051))
        .setVersion("1.11.0").setPid("slave(1)@127.0.0.1:5051").build());
    return agent;
  }

  /** A store whose fetch or store blocks while a latch is set: a slow disk or ZooKeeper. */
  private static final class BlockingStore implements RegistryStore {
    private final RegistryStore delegate = new InMemoryRegistryStore().handle();
    final List<Registry> stored = new CopyOnWriteArrayList<>();
    volatile CountDownLatch blockFetch;
    volatile CountDownLatch blockStore;
    volatile boolean storing;

    @Override
    public Registry fetch() throws Exception {
      if (blockFetch != null) {
        blockFetch.await();
      }
      return delegate.fetch();
    }

    @Override
    public void store(Registry registry) throws Exception {
      storing = true;
      CountDownLatch latch = blockStore;
      if (latch != null) {
        latch.await();
      }
      delegate.store(registry);
      stored.add(registry);
      storing = false;
    }

    @Override
    public String describe() {
      return "blocking";
    }
  }
}
