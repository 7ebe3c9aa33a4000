package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.agent.Agent;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.TaskState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's authorization with {@code --acls}, as Mesos 1.11's: a sandbox is read through {@code /files/*} and
 * the operator API's LIST_FILES and READ_FILE only by principals the access_sandboxes ACLs allow for the
 * executor's user (else the framework's); others get {@code 403}.
 */
@Timeout(60)
class AgentAuthorizationTest {
  private static final String LATEST = "/frameworks/M1-0000/executors/f1/runs/latest";
  private static final String USER = System.getProperty("user.name");
  private static final String YODA = basic("yoda", "usetheforce");
  private static final String LUKE = basic("luke", "whiny");
  @TempDir
  Path dir;
  private AgentHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static String basic(String principal, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((principal + ":" + secret)
        .getBytes(StandardCharsets.UTF_8));
  }

  private void start() throws Exception {
    Path credentials = Files.writeString(dir.resolve("credentials"), "{\"credentials\": ["
        + "{\"principal\": \"yoda\", \"secret\": \"usetheforce\"}, {\"principal\": \"luke\", \"secret\": \"whiny\"}]}");
    String acls = "{\"access_sandboxes\": ["
        + "{\"principals\": {\"values\": [\"yoda\"]}, \"users\": {\"values\": [\"" + USER + "\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}],"
        + "\"view_flags\": [{\"principals\": {\"values\": [\"yoda\"]}, \"flags\": {\"type\": \"ANY\"}},"
        + "  {\"principals\": {\"type\": \"ANY\"}, \"flags\": {\"type\": \"NONE\"}}],"
        + "\"get_endpoints\": [{\"principals\": {\"values\": [\"yoda\"]}, "
        + "  \"paths\": {\"values\": [\"/metrics/snapshot\", \"/files/debug\", \"/containers\"]}},"
        + "  {\"principals\": {\"values\": [\"luke\"]}, \"paths\": {\"values\": [\"/containers\"]}},"
        + "  {\"principals\": {\"type\": \"ANY\"}, \"paths\": {\"type\": \"NONE\"}}],"
        + onlyYoda("view_frameworks", "users") + "," + onlyYoda("view_executors", "users") + ","
        + onlyYoda("view_tasks", "users") + "," + onlyYoda("view_containers", "users") + ","
        + onlyYoda("set_log_level", "level") + "," + onlyYoda("access_mesos_logs", "logs") + "}";
    Path log = Files.writeString(dir.resolve("agent.log"), "I1203 a line of the agent's log\n");
    h = new AgentHarness(dir.resolve("work")).start(Map.of("http_credentials", "file://" + credentials,
        "authenticate_http_readonly", "true", "authenticate_http_readwrite", "true", "acls", acls,
        "external_log_file", log.toString()));
    // AgentHarness.register() reads /metrics/snapshot without credentials: register with them here.
    h.master.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    h.master.send(SlaveRegisteredMessage.newBuilder().setSlaveId(AgentHarness.SLAVE_ID)
        .setPingIntervalSeconds(15).setMaxMissedPings(5).build());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> new ObjectMapper().readTree(
        h.http.request(h.agent.address(), "GET", "/metrics/snapshot", Map.of("Authorization", YODA), new byte[0])
            .get(10, TimeUnit.SECONDS).body()).path("slave/registered").asDouble() == 1.0);
    h.runTask(AgentHarness.commandTask("f1", "hang"));
    h.acknowledge(h.awaitUpdate("f1", TaskState.TASK_RUNNING));
  }

  /** The ACL list {@code action} allowing yoda any object and everyone else none. */
  private static String onlyYoda(String action, String object) {
    return "\"" + action + "\": [{\"principals\": {\"values\": [\"yoda\"]}, \"" + object + "\": {\"type\": \"ANY\"}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"" + object + "\": {\"type\": \"NONE\"}}]";
  }

  private HttpResponse get(String endpoint, String virtual, String authorization) throws Exception {
    return h.http.request(h.agent.address(), "GET", endpoint + "?path=" + URLEncoder.encode(virtual,
        StandardCharsets.UTF_8) + "&offset=0", Map.of("Authorization", authorization), new byte[0])
        .get(10, TimeUnit.SECONDS);
  }

  private HttpResponse operator(String call, String authorization) throws Exception {
    return h.http.request(h.agent.address(), "POST", "/api/v1", Map.of("Authorization", authorization,
        "Content-Type", MediaTypes.JSON, "Accept", MediaTypes.JSON), call.getBytes(StandardCharsets.UTF_8))
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void sandboxAccessFollowsTheAcls() throws Exception {
    start();
    for (String endpoint : new String[] {"/files/browse", "/files/read", "/files/download"}) {
      String path = endpoint.equals("/files/browse") ? LATEST : LATEST + "/stdout";
      HttpResponse refused = get(endpoint, path, LUKE);
      assertThat(refused.status()).as(endpoint).isEqualTo(403);
      assertThat(refused.body()).as(endpoint).isEmpty();
      assertThat(get(endpoint, path, YODA).status()).as(endpoint).isEqualTo(200);
    }
    String list = "{\"type\": \"LIST_FILES\", \"list_files\": {\"path\": \"" + LATEST + "\"}}";
    assertThat(operator(list, LUKE).status()).isEqualTo(403);
    HttpResponse listed = operator(list, YODA);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.bodyText()).contains(LATEST + "/stdout");
    String read = "{\"type\": \"READ_FILE\", \"read_file\": {\"path\": \"" + LATEST + "/stdout\", \"offset\": 0}}";
    assertThat(operator(read, LUKE).status()).isEqualTo(403);
    assertThat(operator(read, YODA).status()).isEqualTo(200);
    // A path under no attachment is still a 404 for anyone.
    assertThat(get("/files/browse", "/no/such/path", LUKE).status()).isEqualTo(404);
  }

  @Test
  void flagsAndAuthorizableEndpointsFollowTheAcls() throws Exception {
    start();
    for (String endpoint : new String[] {"/flags", "/metrics/snapshot", "/files/debug"}) {
      HttpResponse refused = h.http.request(h.agent.address(), "GET", endpoint, Map.of("Authorization", LUKE),
          new byte[0]).get(10, TimeUnit.SECONDS);
      assertThat(refused.status()).as(endpoint).isEqualTo(403);
      HttpResponse allowed = h.http.request(h.agent.address(), "GET", endpoint, Map.of("Authorization", YODA),
          new byte[0]).get(10, TimeUnit.SECONDS);
      assertThat(allowed.status()).as(endpoint).isEqualTo(200);
    }
    assertThat(h.http.request(h.agent.address(), "GET", "/state", Map.of("Authorization", LUKE), new byte[0])
        .get(10, TimeUnit.SECONDS).status()).as("/state is filtered, not refused").isEqualTo(200);
  }

  private com.fasterxml.jackson.databind.JsonNode json(String path, String authorization) throws Exception {
    HttpResponse response = h.http.request(h.agent.address(), "GET", path, Map.of("Authorization", authorization),
        new byte[0]).get(10, TimeUnit.SECONDS);
    assertThat(response.status()).as(path).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  private com.fasterxml.jackson.databind.JsonNode operatorJson(String type, String authorization) throws Exception {
    HttpResponse response = operator("{\"type\": \"" + type + "\"}", authorization);
    assertThat(response.status()).as(type).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  /** Mesos' SlaveAuthorizationTest filtering of /state, /containers and the operator API's reads. */
  @Test
  void stateAndOperatorReadsAreFilteredByTheViewAcls() throws Exception {
    start();
    for (String path : new String[] {"/state", "/slave(1)/state"}) {
      var asYoda = json(path, YODA);
      assertThat(asYoda.get("frameworks")).as(path).hasSize(1);
      assertThat(asYoda.get("frameworks").get(0).get("executors")).hasSize(1);
      assertThat(asYoda.get("frameworks").get(0).get("executors").get(0).get("tasks")).hasSize(1);
      var asLuke = json(path, LUKE);
      assertThat(asLuke.get("frameworks")).as(path).isEmpty();
      assertThat(asLuke.has("flags")).as("view_flags").isFalse();
      assertThat(asYoda.has("flags")).isTrue();
    }
    assertThat(operatorJson("GET_FRAMEWORKS", YODA).get("get_frameworks").get("frameworks")).hasSize(1);
    assertThat(operatorJson("GET_FRAMEWORKS", LUKE).get("get_frameworks").path("frameworks")).isEmpty();
    assertThat(operatorJson("GET_EXECUTORS", YODA).get("get_executors").get("executors")).hasSize(1);
    assertThat(operatorJson("GET_EXECUTORS", LUKE).get("get_executors").path("executors")).isEmpty();
    assertThat(operatorJson("GET_TASKS", YODA).get("get_tasks").get("launched_tasks")).hasSize(1);
    assertThat(operatorJson("GET_TASKS", LUKE).get("get_tasks").path("launched_tasks")).isEmpty();
    var state = operatorJson("GET_STATE", LUKE).get("get_state");
    assertThat(state.path("get_frameworks").path("frameworks")).isEmpty();
    assertThat(state.path("get_tasks").path("launched_tasks")).isEmpty();
    assertThat(operatorJson("GET_STATE", YODA).get("get_state").get("get_tasks").get("launched_tasks")).hasSize(1);
    assertThat(operatorJson("GET_CONTAINERS", YODA).get("get_containers").get("containers")).hasSize(1);
    assertThat(operatorJson("GET_CONTAINERS", LUKE).get("get_containers").path("containers")).isEmpty();
    assertThat(json("/containers", YODA)).hasSize(1);
    assertThat(json("/containers", LUKE)).as("view_containers").isEmpty();
    assertThat(operator("{\"type\": \"GET_FLAGS\"}", LUKE).status()).isEqualTo(403);
    assertThat(operator("{\"type\": \"GET_FLAGS\"}", YODA).status()).isEqualTo(200);
  }

  @Test
  void logLevelAndAgentLogFollowTheAcls() throws Exception {
    start();
    String setLevel = "{\"type\": \"SET_LOGGING_LEVEL\", \"set_logging_level\": {\"level\": 0, "
        + "\"duration\": {\"nanoseconds\": 1000000000}}}";
    HttpResponse refused = operator(setLevel, LUKE);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).isEmpty();
    assertThat(operator(setLevel, YODA).status()).isEqualTo(200);
    assertThat(get("/files/read", "/slave/log", LUKE).status()).isEqualTo(403);
    HttpResponse log = get("/files/read", "/slave/log", YODA);
    assertThat(log.status()).isEqualTo(200);
    assertThat(log.bodyText()).contains("a line of the agent's log");
    String read = "{\"type\": \"READ_FILE\", \"read_file\": {\"path\": \"/slave/log\", \"offset\": 0}}";
    assertThat(operator(read, LUKE).status()).isEqualTo(403);
    assertThat(operator(read, YODA).status()).isEqualTo(200);
  }

  @Test
  void badAclsAreAStartUpError() {
    AgentFlags flags = AgentFlags.of(Map.of("master", "127.0.0.1:5050", "work_dir", dir.toString(),
        "acls", "{\"access_sandboxes\": [{\"principals\": {\"type\": \"ANY\"}}]}"));
    assertThatThrownBy(() -> Agent.builder(flags).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Could not create 'local' authorizer: Failed to parse ACLs: ")
        .hasMessageContaining("users");
    AgentFlags module = AgentFlags.of(Map.of("master", "127.0.0.1:5050", "work_dir", dir.toString(),
        "authorizer", "my-module"));
    assertThatThrownBy(() -> Agent.builder(module).build())
        .hasMessageStartingWith("Could not create 'my-module' authorizer");
  }
}
