package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.RecordingAllocator;
import io.jmesos.master.testing.RecordingAllocator.QuotaUpdate;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import io.jmesos.transport.Limits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The classic {@code /roles}, {@code /weights} and {@code /quota} endpoints, with Mesos' JSON and errors. */
@Timeout(60)
class RoleEndpointsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private TestCluster cluster;
  private RecordingAllocator allocator;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory",
            "weights", "web=2")),
        Limits.DEFAULT, a -> allocator = new RecordingAllocator(a));
    http = new HttpClient("role-endpoints-test");
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  @Test
  void rolesShowWeightQuotaAndWhatEachRoleHolds() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().addRoles("web").addCapabilities(
        FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE)).build());
    cluster.agent("cpus:4;mem:1024;cpus(ops):2");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    scheduler.call(V1.launch(offer, V1.commandTask("t1", offer.getAgentId(), "cpus:1;mem:128").toBuilder()
        .clearResources().addAllResources(V1.resources("cpus:1;mem:128", "web")).build()));
    cluster.settle();
    assertThat(send("POST", "/quota", "{\"role\":\"ops\",\"guarantee\":[{\"name\":\"cpus\",\"type\":\"SCALAR\","
        + "\"scalar\":{\"value\":1}}]}").status()).isEqualTo(200);

    for (String path : List.of("/roles", "/roles.json", "/master/roles", "/master/roles.json")) {
      HttpResponse r = request("GET", path, null);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.header("Content-Type")).isEqualTo("application/json");
    }
    JsonNode roles = json(request("GET", "/roles", null)).get("roles");
    assertThat(roles).extracting(r -> r.get("name").asText()).containsExactly("ops", "web");

    JsonNode ops = roles.get(0);
    assertThat(ops.get("weight").asDouble()).isEqualTo(1.0);
    assertThat(ops.get("quota").toString()).isEqualTo("{\"role\":\"ops\",\"guarantee\":{\"cpus\":1.0},"
        + "\"limit\":{\"cpus\":1.0},\"consumed\":{\"cpus\":2.0}}");
    assertThat(ops.get("reserved").toString()).isEqualTo("{\"cpus\":2.0}");
    assertThat(ops.get("allocated").toString()).isEqualTo("{}");
    assertThat(ops.get("frameworks")).isEmpty();

    JsonNode web = roles.get(1);
    assertThat(web.get("weight").asDouble()).isEqualTo(2.0);
    assertThat(web.get("quota").toString()).isEqualTo("{\"role\":\"web\",\"guarantee\":{},\"limit\":{},"
        + "\"consumed\":{\"cpus\":1.0,\"mem\":128.0}}");
    assertThat(web.get("allocated").toString()).isEqualTo("{\"cpus\":1.0,\"mem\":128.0}");
    assertThat(web.get("reserved").toString()).isEqualTo("{}");
    assertThat(web.get("resources").get("cpus").asDouble())
        .isEqualTo(1.0 + web.get("offered").path("cpus").asDouble());
    assertThat(web.get("resources").has("gpus")).isTrue();
    assertThat(web.get("frameworks")).extracting(JsonNode::asText)
        .containsExactly(scheduler.frameworkId().getValue());
  }

  @Test
  void weightsEndpointGetsAndPutsWeightInfos() throws Exception {
    assertThat(request("GET", "/weights", null).bodyText()).isEqualTo("[{\"weight\":2.0,\"role\":\"web\"}]");

    HttpResponse put = send("PUT", "/master/weights", "[{\"weight\":3.5,\"role\":\"batch\"},{\"weight\":1,"
        + "\"role\":\"web\"}]");
    assertThat(put.status()).as(put.bodyText()).isEqualTo(200);
    assertThat(request("GET", "/master/weights", null).bodyText())
        .isEqualTo("[{\"weight\":3.5,\"role\":\"batch\"},{\"weight\":1.0,\"role\":\"web\"}]");
    cluster.settle();
    assertThat(allocator.weightUpdates).last().isEqualTo(Map.of("batch", 3.5, "web", 1.0));

    HttpResponse notJson = send("PUT", "/weights", "[{");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.bodyText()).startsWith("Failed to parse update weights request JSON '[{': ");
    HttpResponse object = send("PUT", "/weights", "{\"weight\":1}");
    assertThat(object.bodyText()).isEqualTo("Failed to parse update weights request JSON '{\"weight\":1}': "
        + "Expecting a JSON array");
    HttpResponse noWeight = send("PUT", "/weights", "[{\"role\":\"web\"}]");
    assertThat(noWeight.status()).isEqualTo(400);
    assertThat(noWeight.bodyText()).startsWith("Failed to convert weights JSON array to protobuf "
        + "'[{\"role\":\"web\"}]': ");
    HttpResponse negative = send("PUT", "/weights", "[{\"weight\":-2,\"role\":\"web\"}]");
    assertThat(negative.bodyText()).isEqualTo("Failed to validate update weights request JSON for role 'web': "
        + "Invalid weight '-2': Weights must be positive");

    HttpResponse post = send("POST", "/weights", "[]");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.bodyText()).isEqualTo("Expecting one of { 'GET', 'PUT' }, but received 'POST'");
    assertThat(request("GET", "/weights", null).bodyText())
        .isEqualTo("[{\"weight\":3.5,\"role\":\"batch\"},{\"weight\":1.0,\"role\":\"web\"}]");
  }

  @Test
  void quotaEndpointSetsShowsAndRemoves() throws Exception {
    cluster.agent("cpus:4;mem:4096");
    assertThat(request("GET", "/quota", null).bodyText()).isEqualTo("{}");
    String body = "{\"role\":\"web\",\"guarantee\":[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":2}},"
        + "{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":512}}]}";
    assertThat(send("POST", "/quota", body).status()).isEqualTo(200);

    JsonNode status = json(request("GET", "/master/quota", null));
    assertThat(status.get("infos").toString()).isEqualTo("[{\"role\":\"web\",\"guarantee\":[{\"name\":\"cpus\","
        + "\"type\":\"SCALAR\",\"scalar\":{\"value\":2.0}},{\"name\":\"mem\",\"type\":\"SCALAR\","
        + "\"scalar\":{\"value\":512.0}}]}]");
    assertThat(status.get("configs").toString()).isEqualTo("[{\"role\":\"web\",\"guarantees\":{\"cpus\":"
        + "{\"value\":2.0},\"mem\":{\"value\":512.0}},\"limits\":{\"cpus\":{\"value\":2.0},\"mem\":"
        + "{\"value\":512.0}}}]");

    HttpResponse conflict = send("POST", "/quota", body.replace("web", "batch").replace("512", "4000"));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.bodyText()).isEqualTo("Quota guarantees overcommit the cluster (use 'force' to bypass "
        + "this check): Total quota guarantees 'cpus:4; mem:4512' exceed cluster capacity 'cpus:4; mem:4096'");
    HttpResponse forced = send("POST", "/quota", "{\"force\":true," + body.substring(1).replace("web", "batch")
        .replace("512", "4000"));
    assertThat(forced.status()).as(forced.bodyText()).isEqualTo(200);

    HttpResponse put = request("PUT", "/quota", "");
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.bodyText()).isEqualTo("Expecting one of { 'GET', 'POST', 'DELETE' }, but received 'PUT'");
    HttpResponse badJson = send("POST", "/quota", "{\"role\":");
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.bodyText()).startsWith("Failed to parse set quota request JSON '{\"role\":': ");
    HttpResponse ports = send("POST", "/quota", "{\"role\":\"ops\",\"guarantee\":[{\"name\":\"ports\","
        + "\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":1,\"end\":2}]}}]}");
    assertThat(ports.bodyText()).isEqualTo("Failed to validate set quota request: QuotaInfo must not include "
        + "non-scalar resources");
    HttpResponse empty = send("POST", "/quota", "{\"role\":\"ops\"}");
    assertThat(empty.bodyText()).isEqualTo("Failed to validate set quota request: QuotaInfo with empty "
        + "'guarantee'");

    assertThat(request("DELETE", "/quota/web", null).status()).isEqualTo(200);
    HttpResponse again = request("DELETE", "/master/quota/web", null);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.bodyText()).isEqualTo("Failed to remove quota for path '/master/quota/web': Role 'web' has "
        + "no quota set");
    HttpResponse noRole = request("DELETE", "/quota", null);
    assertThat(noRole.status()).isEqualTo(400);
    assertThat(noRole.bodyText()).isEqualTo("Failed to parse remove quota request for path '/master/quota': "
        + "expected 3 tokens, found 2 tokens");
    assertThat(json(request("GET", "/quota", null)).get("configs")).extracting(c -> c.get("role").asText())
        .containsExactly("batch");
    cluster.settle();
    assertThat(allocator.quotaUpdates).extracting(QuotaUpdate::role).containsExactly("web", "batch", "web");
  }

  private HttpResponse send(String method, String path, String body) throws Exception {
    return http.request(cluster.address, method, path, Map.of("Content-Type", "application/json"),
        body.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  private HttpResponse request(String method, String path, String body) throws Exception {
    return http.request(cluster.address, method, path, Map.of(),
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  private static JsonNode json(HttpResponse response) throws Exception {
    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    return MAPPER.readTree(response.body());
  }
}
