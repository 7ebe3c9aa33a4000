package io.jmesos.master.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.json.MesosJson;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.security.Credentials;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import io.jmesos.recordio.RecordIO;
import io.jmesos.transport.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.master.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each reader of the master sees with {@code --acls}, as Mesos 1.11 filters it ({@code
 * master_authorization_tests.cpp}, {@code master_tests.cpp} *Authorization*, {@code authorization_tests.cpp}):
 * view_roles on {@code /roles}, GET_ROLES, the weights and the agents' reservations; get_quotas on the quota
 * reads; view_frameworks on {@code /state-summary}; the operator event stream per subscriber; set_log_level on
 * SET_LOGGING_LEVEL and access_mesos_logs on {@code /files} of {@code /master/log}. ops may do everything, bob
 * may view role dev only, alice is a framework.
 */
@Timeout(60)
class MasterViewAuthorizationTest {
  static final String ACLS = "{"
      + "\"view_roles\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"roles\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"values\": [\"bob\"]}, \"roles\": {\"values\": [\"dev\"]}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}],"
      + "\"get_quotas\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"roles\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"values\": [\"bob\"]}, \"roles\": {\"values\": [\"dev\"]}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}],"
      + "\"view_frameworks\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"users\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}],"
      + "\"view_tasks\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"users\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}],"
      + "\"set_log_level\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"level\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"level\": {\"type\": \"NONE\"}}],"
      + "\"access_mesos_logs\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"logs\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"logs\": {\"type\": \"NONE\"}}]"
      + "}";

  @TempDir
  Path dir;
  private TestCluster cluster;
  private final HttpClient http = new HttpClient("view-authz-test");
  private final List<HttpClient.Stream> streams = new ArrayList<>();
  private final ObjectMapper mapper = new ObjectMapper();

  @AfterEach
  void stop() {
    streams.forEach(HttpClient.Stream::close);
    http.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start(Map<String, String> extra) throws Exception {
    Map<String, String> flags = new HashMap<>(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory",
        "credentials", Credentials.write(dir).toString(), "authenticate_http_readonly", "true",
        "authenticate_http_readwrite", "true", "acls", ACLS));
    flags.putAll(extra);
    cluster = new TestCluster(MasterFlags.of(flags), Limits.DEFAULT);
  }

  private HttpResponse request(String method, String path, String authorization, String contentType, String body)
      throws Exception {
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", authorization);
    if (contentType != null) {
      headers.put("Content-Type", contentType);
      headers.put("Accept", MediaTypes.JSON);
    }
    return http.request(cluster.address, method, path, headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  private JsonNode get(String path, String authorization) throws Exception {
    HttpResponse response = request("GET", path, authorization, null, null);
    assertThat(response.status()).as(path).isEqualTo(200);
    return mapper.readTree(response.body());
  }

  private JsonNode operator(String authorization, String call) throws Exception {
    HttpResponse response = request("POST", "/api/v1", authorization, MediaTypes.JSON, call);
    assertThat(response.status()).as(call).isEqualTo(200);
    return mapper.readTree(response.body());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.get(field).asText()));
    return values;
  }

  @Test
  void rolesAndWeightsAreFilteredByViewRoles() throws Exception {
    start(Map.of());
    String weights = "[{\"role\": \"dev\", \"weight\": 2.0}, {\"role\": \"prod\", \"weight\": 3.0}]";
    assertThat(request("PUT", "/weights", Credentials.OPS, MediaTypes.JSON, weights).status()).isEqualTo(200);

    assertThat(texts(get("/roles", Credentials.OPS).get("roles"), "name")).containsExactly("dev", "prod");
    assertThat(texts(get("/roles", Credentials.BOB).get("roles"), "name")).containsExactly("dev");
    assertThat(get("/roles", Credentials.ALICE).get("roles")).as("no view_roles entry for alice: NONE").isEmpty();
    assertThat(texts(operator(Credentials.BOB, "{\"type\": \"GET_ROLES\"}").get("get_roles").get("roles"),
        "name")).containsExactly("dev");
    assertThat(texts(operator(Credentials.OPS, "{\"type\": \"GET_ROLES\"}").get("get_roles").get("roles"),
        "name")).containsExactly("dev", "prod");

    assertThat(texts(get("/weights", Credentials.OPS), "role")).containsExactlyInAnyOrder("dev", "prod");
    assertThat(texts(get("/weights", Credentials.BOB), "role")).containsExactly("dev");
    assertThat(texts(operator(Credentials.BOB, "{\"type\": \"GET_WEIGHTS\"}").get("get_weights")
        .get("weight_infos"), "role")).containsExactly("dev");
    assertThat(operator(Credentials.ALICE, "{\"type\": \"GET_WEIGHTS\"}").get("get_weights")
        .path("weight_infos")).isEmpty();
  }

  @Test
  void quotaReadsAreFilteredByGetQuotas() throws Exception {
    start(Map.of());
    String update = "{\"type\": \"UPDATE_QUOTA\", \"update_quota\": {\"force\": true, \"quota_configs\": ["
        + "{\"role\": \"dev\", \"guarantees\": {\"cpus\": {\"value\": 1}}},"
        + "{\"role\": \"prod\", \"guarantees\": {\"cpus\": {\"value\": 2}}}]}}";
    operator(Credentials.OPS, update);

    JsonNode asOps = get("/quota", Credentials.OPS);
    assertThat(texts(asOps.get("configs"), "role")).containsExactlyInAnyOrder("dev", "prod");
    JsonNode asBob = get("/quota", Credentials.BOB);
    assertThat(texts(asBob.get("configs"), "role")).containsExactly("dev");
    assertThat(texts(asBob.get("infos"), "role")).containsExactly("dev");
    JsonNode getQuota = operator(Credentials.BOB, "{\"type\": \"GET_QUOTA\"}");
    assertThat(texts(getQuota.get("get_quota").get("status").get("configs"), "role")).containsExactly("dev");
    assertThat(operator(Credentials.ALICE, "{\"type\": \"GET_QUOTA\"}").get("get_quota").get("status")
        .path("configs")).isEmpty();
  }

  @Test
  void agentReservationsAreFilteredByViewRoles() throws Exception {
    start(Map.of());
    cluster.agent("cpus(dev):1;cpus(prod):2;cpus:4;mem:512");

    JsonNode opsAgent = get("/slaves", Credentials.OPS).get("slaves").get(0);
    assertThat(opsAgent.get("reserved_resources").fieldNames()).toIterable().containsExactly("dev", "prod");
    JsonNode bobAgent = get("/slaves", Credentials.BOB).get("slaves").get(0);
    assertThat(bobAgent.get("reserved_resources").fieldNames()).toIterable().containsExactly("dev");
    assertThat(bobAgent.get("unreserved_resources").get("cpus").asDouble()).isEqualTo(4.0);
    assertThat(get("/state", Credentials.BOB).get("slaves").get(0).get("reserved_resources").fieldNames())
        .toIterable().containsExactly("dev");
    assertThat(get("/state-summary", Credentials.BOB).get("slaves").get(0).get("reserved_resources")
        .fieldNames()).toIterable().containsExactly("dev");

    JsonNode getAgents = operator(Credentials.BOB, "{\"type\": \"GET_AGENTS\"}");
    JsonNode agent = getAgents.get("get_agents").get("agents").get(0);
    assertThat(cpus(agent.get("total_resources"))).as("unreserved and dev's, not prod's").isEqualTo(5.0);
    assertThat(cpus(agent.get("agent_info").get("resources"))).isEqualTo(5.0);
    JsonNode opsAgents = operator(Credentials.OPS, "{\"type\": \"GET_AGENTS\"}");
    assertThat(cpus(opsAgents.get("get_agents").get("agents").get(0).get("total_resources"))).isEqualTo(7.0);
    JsonNode state = operator(Credentials.BOB, "{\"type\": \"GET_STATE\"}");
    assertThat(cpus(state.get("get_state").get("get_agents").get("agents").get(0).get("total_resources")))
        .isEqualTo(5.0);
  }

  private static double cpus(JsonNode resources) {
    double cpus = 0;
    for (JsonNode resource : resources) {
      if (resource.get("name").asText().equals("cpus")) {
        cpus += resource.get("scalar").get("value").asDouble();
      }
    }
    return cpus;
  }

  /** Mesos' StateSummaryEndpoint filtering: frameworks by view_frameworks; the agents' counts stay whole. */
  @Test
  void stateSummaryIsFilteredByViewFrameworks() throws Exception {
    start(Map.of());
    TestScheduler alice = cluster.scheduler(true);
    alice.subscribe(framework("alice"));
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = alice.expect(org.apache.mesos.v1.scheduler.Protos.Event.Type.OFFERS).getOffers().getOffers(0);
    alice.call(V1.launch(offer, V1.commandTask("t1", offer.getAgentId(), "cpus:0.5;mem:64")));
    agent.expect(RunTaskMessage.getDefaultInstance());
    cluster.settle();

    JsonNode asOps = get("/state-summary", Credentials.OPS);
    assertThat(asOps.get("frameworks")).hasSize(1);
    assertThat(asOps.get("frameworks").get(0).get("TASK_STAGING").asInt()).isEqualTo(1);
    JsonNode asBob = get("/state-summary", Credentials.BOB);
    assertThat(asBob.get("frameworks")).isEmpty();
    assertThat(asBob.get("slaves")).hasSize(1);
    assertThat(asBob.get("slaves").get(0).get("TASK_STAGING").asInt()).as("counted as Mesos: before filtering")
        .isEqualTo(1);
  }

  @Test
  void setLoggingLevelNeedsSetLogLevel() throws Exception {
    start(Map.of());
    String call = "{\"type\": \"SET_LOGGING_LEVEL\", \"set_logging_level\": {\"level\": 0, "
        + "\"duration\": {\"nanoseconds\": 1000000000}}}";
    HttpResponse refused = request("POST", "/api/v1", Credentials.BOB, MediaTypes.JSON, call);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).isEmpty();
    assertThat(request("POST", "/api/v1", Credentials.OPS, MediaTypes.JSON, call).status()).isEqualTo(200);
  }

  @Test
  void masterLogNeedsAccessMesosLogs() throws Exception {
    Path log = Files.writeString(dir.resolve("master.log"), "I1203 a line of the master's log\n");
    start(Map.of("external_log_file", log.toString()));
    HttpResponse refused = request("GET", "/files/read?path=/master/log&offset=0", Credentials.BOB, null, null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(request("GET", "/files/browse?path=/master/log", Credentials.BOB, null, null).status())
        .isEqualTo(403);
    assertThat(request("GET", "/files/download?path=/master/log", Credentials.BOB, null, null).status())
        .isEqualTo(403);
    HttpResponse allowed = request("GET", "/files/read?path=/master/log&offset=0", Credentials.OPS, null, null);
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.bodyText()).contains("a line of the master's log");
    String listFiles = "{\"type\": \"READ_FILE\", \"read_file\": {\"path\": \"/master/log\", \"offset\": 0}}";
    assertThat(request("POST", "/api/v1", Credentials.BOB, MediaTypes.JSON, listFiles).status()).isEqualTo(403);
    assertThat(request("POST", "/api/v1", Credentials.OPS, MediaTypes.JSON, listFiles).status()).isEqualTo(200);
  }

  /**
   * Mesos' MasterAPITest.SubscribersReceiveAuthorizedEvents (roughly): two subscribers, one that may view
   * everything and one that may view no framework and role dev only, see different snapshots and events.
   */
  @Test
  void eventStreamIsFilteredPerSubscriber() throws Exception {
    start(Map.of());
    cluster.agent("cpus(prod):1;cpus:2;mem:1024");
    BlockingQueue<Event> ops = subscribe(Credentials.OPS);
    BlockingQueue<Event> bob = subscribe(Credentials.BOB);
    Event opsSubscribed = next(ops);
    Event bobSubscribed = next(bob);
    assertThat(opsSubscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(bobSubscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(cpus(opsSubscribed.getSubscribed().getGetState().getGetAgents().getAgents(0))).isEqualTo(3.0);
    assertThat(cpus(bobSubscribed.getSubscribed().getGetState().getGetAgents().getAgents(0))).isEqualTo(2.0);

    TestScheduler alice = cluster.scheduler(true);
    alice.subscribe(framework("alice"));
    Offer offer = alice.expect(org.apache.mesos.v1.scheduler.Protos.Event.Type.OFFERS).getOffers().getOffers(0);
    alice.call(V1.launch(offer, V1.commandTask("t1", offer.getAgentId(), "cpus:0.5;mem:64")));
    FakeAgent second = cluster.agent("cpus(prod):4;cpus(dev):1;mem:64");
    cluster.settle();

    List<Event> opsEvents = drain(ops, Event.Type.AGENT_ADDED);
    assertThat(opsEvents.stream().map(Event::getType).collect(Collectors.toList()))
        .contains(Event.Type.FRAMEWORK_ADDED, Event.Type.TASK_ADDED, Event.Type.AGENT_ADDED);
    assertThat(cpus(last(opsEvents).getAgentAdded().getAgent())).isEqualTo(5.0);
    List<Event> bobEvents = drain(bob, Event.Type.AGENT_ADDED);
    assertThat(bobEvents.stream().map(Event::getType).collect(Collectors.toList()))
        .as("no framework or task event for bob").containsExactly(Event.Type.AGENT_ADDED);
    assertThat(last(bobEvents).getAgentAdded().getAgent().getAgentInfo().getId().getValue())
        .isEqualTo(second.id().getValue());
    assertThat(cpus(last(bobEvents).getAgentAdded().getAgent())).as("dev's cpu, not prod's").isEqualTo(1.0);
  }

  private static double cpus(org.apache.mesos.v1.master.Protos.Response.GetAgents.Agent agent) {
    return agent.getTotalResourcesList().stream().filter(r -> r.getName().equals("cpus"))
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }

  private static Event last(List<Event> events) {
    return events.get(events.size() - 1);
  }

  /** The events up to and including the first of type {@code until} (heartbeats left out). */
  private static List<Event> drain(BlockingQueue<Event> events, Event.Type until) throws Exception {
    List<Event> seen = new ArrayList<>();
    while (true) {
      Event event = next(events);
      if (event.getType() != Event.Type.HEARTBEAT) {
        seen.add(event);
      }
      if (event.getType() == until) {
        return seen;
      }
    }
  }

  private static Event next(BlockingQueue<Event> events) throws Exception {
    Event event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("an event within 10 s").isNotNull();
    return event;
  }

  private BlockingQueue<Event> subscribe(String authorization) {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    RecordIO.Decoder decoder = new RecordIO.Decoder(1 << 20);
    Map<String, String> headers = Map.of("Authorization", authorization, "Content-Type", MediaTypes.JSON,
        "Accept", MediaTypes.JSON);
    streams.add(http.stream(cluster.address, "POST", "/api/v1", headers,
        "{\"type\": \"SUBSCRIBE\"}".getBytes(StandardCharsets.UTF_8), new HttpClient.StreamListener() {
          @Override
          public void onHeaders(int status, Map<String, String> responseHeaders) {}

          @Override
          public void onData(byte[] chunk) {
            try {
              for (byte[] record : decoder.feed(chunk)) {
                events.add(MesosJson.parse(new String(record, StandardCharsets.UTF_8), Event.newBuilder()).build());
              }
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }

          @Override
          public void onClosed(Throwable cause) {}
        }));
    return events;
  }

  private static FrameworkInfo framework(String principal) {
    return TestScheduler.frameworkInfo().setPrincipal(principal).build();
  }
}
