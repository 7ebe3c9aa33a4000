package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.RecordingAllocator;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.transport.Limits;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Metric;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --offer_timeout} on the master's (paused) clock, and the allocator's metrics in snapshots. */
@Timeout(60)
class OfferTimeoutAndMetricsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private TestCluster cluster;
  private RecordingAllocator allocator;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory",
            "offer_timeout", "30secs")),
        Limits.DEFAULT, a -> allocator = new RecordingAllocator(a));
    http = new HttpClient("offer-timeout-test");
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  @Test
  void anOfferHeldPastTheTimeoutIsRescindedAndItsResourcesOfferedAgain() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    cluster.agent("cpus:2;mem:1024");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    cluster.settle();
    assertThat(metrics().get("master/outstanding_offers").asDouble()).isEqualTo(1.0);

    cluster.advance(Duration.ofSeconds(29));
    assertThat(scheduler.poll(200)).isNull();

    cluster.advance(Duration.ofSeconds(1));
    assertThat(scheduler.expect(Event.Type.RESCIND).getRescind().getOfferId()).isEqualTo(offer.getId());
    // Recovered without a filter: the allocator offers the same resources again, as a new offer.
    Offer again = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(again.getId()).isNotEqualTo(offer.getId());
    assertThat(again.getResourcesList()).isEqualTo(offer.getResourcesList());
    cluster.settle();
    assertThat(metrics().get("master/outstanding_offers").asDouble()).isEqualTo(1.0);
  }

  @Test
  void anOfferUsedBeforeTheTimeoutIsNotRescinded() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    cluster.agent("cpus:2;mem:1024");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    scheduler.call(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
        .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.DECLINE)
        .setDecline(org.apache.mesos.v1.scheduler.Protos.Call.Decline.newBuilder().addOfferIds(offer.getId())
            .setFilters(org.apache.mesos.v1.Protos.Filters.newBuilder().setRefuseSeconds(3600))));
    cluster.settle();

    cluster.advance(Duration.ofSeconds(31));
    Event next = scheduler.poll(200);
    assertThat(next == null ? null : next.getType()).isNotEqualTo(Event.Type.RESCIND);
  }

  @Test
  void snapshotsIncludeTheAllocatorsMetrics() throws Exception {
    allocator.metrics = () -> CompletableFuture.completedFuture(Map.of("allocator/mesos/allocation_runs", 7.0,
        "master/elected", 0.0));
    JsonNode snapshot = metrics();
    assertThat(snapshot.get("allocator/mesos/allocation_runs").asDouble()).isEqualTo(7.0);
    // The allocator cannot overwrite a master metric.
    assertThat(snapshot.get("master/elected").asDouble()).isEqualTo(1.0);

    Response response = getMetrics(null);
    assertThat(response.getGetMetrics().getMetricsList()).contains(Metric.newBuilder()
        .setName("allocator/mesos/allocation_runs").setValue(7.0).build());
  }

  @Test
  void aSnapshotDoesNotWaitPastItsTimeoutForTheAllocator() throws Exception {
    allocator.metrics = CompletableFuture::new; // never answers
    HttpResponse r = http.get(cluster.address, "/metrics/snapshot?timeout=50ms").get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    JsonNode snapshot = MAPPER.readTree(r.body());
    assertThat(snapshot.has("master/uptime_secs")).isTrue();
    assertThat(snapshot.fieldNames()).toIterable().noneMatch(name -> name.startsWith("allocator/"));

    Response response = getMetrics(DurationInfo.newBuilder().setNanoseconds(50_000_000L).build());
    assertThat(response.getGetMetrics().getMetricsList()).extracting(Metric::getName)
        .contains("master/elected").noneMatch(name -> name.startsWith("allocator/"));

    HttpResponse bad = http.get(cluster.address, "/metrics/snapshot?timeout=soon").get(10, TimeUnit.SECONDS);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.bodyText()).startsWith("Invalid timeout 'soon': ");
  }

  private JsonNode metrics() throws Exception {
    HttpResponse r = http.get(cluster.address, "/metrics/snapshot").get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    return MAPPER.readTree(r.body());
  }

  private Response getMetrics(DurationInfo timeout) throws Exception {
    Call.GetMetrics.Builder get = Call.GetMetrics.newBuilder();
    if (timeout != null) {
      get.setTimeout(timeout);
    }
    Call call = Call.newBuilder().setType(Call.Type.GET_METRICS).setGetMetrics(get).build();
    HttpResponse r = http.request(cluster.address, "POST", "/api/v1", Map.of("Content-Type", MediaTypes.JSON,
        "Accept", MediaTypes.JSON), MesosJson.printBytes(call)).get(10, TimeUnit.SECONDS);
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    return MesosJson.parse(r.body(), Response.newBuilder()).build();
  }
}
