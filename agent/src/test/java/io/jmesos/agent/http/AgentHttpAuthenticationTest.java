package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.agent.Agent;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's HTTP authentication as Mesos 1.11's: {@code --authenticate_http_readonly} and {@code
 * --authenticate_http_readwrite} over {@code --http_credentials}; each endpoint in Mesos' realm; the executor
 * API never authenticated (it has its own realm and flag); Mesos' start-up errors.
 */
@Timeout(60)
class AgentHttpAuthenticationTest {
  private static final String GOOD = basic("yoda", "usetheforce");
  private static final String WRONG = basic("yoda", "darkside");
  @TempDir
  Path workDir;
  @TempDir
  Path dir;
  private AgentHarness h;
  private final HttpClient http = new HttpClient("agent-authn-test");

  @AfterEach
  void tearDown() {
    http.close();
    if (h != null) {
      h.close();
    }
  }

  private static String basic(String principal, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((principal + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private Path credentials() throws Exception {
    Path path = dir.resolve("http_credentials");
    Files.writeString(path, "{\"credentials\": [{\"principal\": \"yoda\", \"secret\": \"usetheforce\"}]}");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    return path;
  }

  private void start(String... flags) throws Exception {
    Map<String, String> extra = new LinkedHashMap<>(Map.of("http_credentials", "file://" + credentials()));
    for (int i = 0; i < flags.length; i += 2) {
      extra.put(flags[i], flags[i + 1]);
    }
    h = new AgentHarness(workDir).start(extra);
  }

  private HttpResponse request(String method, String path, String authorization, String body) throws Exception {
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    if (body != null) {
      headers.put("Content-Type", MediaTypes.JSON);
    }
    return http.request(h.agent.address(), method, path, headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  private HttpResponse operator(String authorization) throws Exception {
    return request("POST", "/api/v1", authorization, "{\"type\": \"GET_HEALTH\"}");
  }

  private static void assertRefused(HttpResponse response, String realm) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Basic realm=\"" + realm + "\"");
  }

  @Test
  void withTheFlagsOffNothingAuthenticates() throws Exception {
    start();
    assertThat(request("GET", "/state", null, null).status()).isEqualTo(200);
    assertThat(operator(WRONG).status()).isEqualTo(200);
  }

  @Test
  void readonlyRealm() throws Exception {
    start("authenticate_http_readonly", "true");
    assertThat(request("GET", "/state", GOOD, null).status()).isEqualTo(200);
    assertRefused(request("GET", "/state", null, null), "mesos-agent-readonly");
    assertRefused(request("GET", "/state", WRONG, null), "mesos-agent-readonly");
    assertRefused(request("GET", "/slave(1)/state.json", "Basic %%%", null), "mesos-agent-readonly");
    assertThat(operator(null).status()).as("the read-write realm is open").isEqualTo(200);
  }

  @Test
  void readwriteRealm() throws Exception {
    start("authenticate_http_readwrite", "true");
    assertThat(operator(GOOD).status()).isEqualTo(200);
    assertRefused(operator(null), "mesos-agent-readwrite");
    assertRefused(operator(WRONG), "mesos-agent-readwrite");
    assertRefused(operator("Bearer some.jwt.token"), "mesos-agent-readwrite");
    assertThat(request("GET", "/state", null, null).status()).as("the read-only realm is open").isEqualTo(200);
  }

  @Test
  void everyEndpointIsInMesosRealm() throws Exception {
    start("authenticate_http_readonly", "true", "authenticate_http_readwrite", "true");
    Map<String, String> realms = new LinkedHashMap<>();
    for (String path : new String[] {"/state", "/state.json", "/slave(1)/state", "/flags", "/slave(1)/flags.json",
        "/metrics/snapshot", "/metrics/prometheus", "/containers", "/slave(1)/containers.json",
        "/monitor/statistics", "/monitor/statistics.json", "/files/browse", "/files/read", "/files/download.json",
        "/files/debug"}) {
      realms.put(path, "mesos-agent-readonly");
    }
    for (String path : new String[] {"/api/v1", "/slave(1)/api/v1", "/logging/toggle"}) {
      realms.put(path, "mesos-agent-readwrite");
    }
    for (Map.Entry<String, String> e : realms.entrySet()) {
      assertRefused(request("GET", e.getKey(), null, null), e.getValue());
    }
    for (String path : new String[] {"/health", "/slave(1)/health", "/version", "/api/v1/executor",
        "/slave(1)/api/v1/executor"}) {
      HttpResponse open = request("GET", path, null, null);
      assertThat(open.status()).as(path).isNotEqualTo(401);
      assertThat(open.header("WWW-Authenticate")).as(path).isNull();
    }
  }

  @Test
  void executorsStillSubscribeWithoutCredentialsWhenReadwriteIsOn() throws Exception {
    start("authenticate_http_readwrite", "true");
    h.register();
    h.runTask(AgentHarness.commandTask("t1", "finish"));
    h.acknowledge(h.awaitUpdate("t1", TaskState.TASK_RUNNING));
    assertThat(h.awaitUpdate("t1", TaskState.TASK_FINISHED).getStatus().getState())
        .isEqualTo(TaskState.TASK_FINISHED);
  }

  @Test
  void startUpErrorsAreMesos() throws Exception {
    assertThatThrownBy(() -> build("--authenticate_http_readonly"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Failed to create HTTP authenticator module 'basic': No credentials provided for the default "
            + "'basic' HTTP authenticator for realm 'mesos-agent-readonly'");
    String credentials = "--http_credentials=" + credentials();
    assertThatThrownBy(() -> build(credentials, "--authenticate_http_readwrite", "--http_authenticators=jwt"))
        .hasMessageStartingWith("Failed to create HTTP authenticator module 'jwt': HTTP authenticator 'jwt' not "
            + "found. Check the spelling (compare to 'basic')");
    Path empty = Files.createFile(dir.resolve("empty"));
    assertThatThrownBy(() -> build("--http_credentials=" + empty))
        .hasMessage("Credentials file must contain at least one credential (see --http_credentials flag)");
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> build("--http_credentials=file://" + missing))
        .hasMessage("Failed to read credentials file '" + missing + "': No such file or directory (see "
            + "--http_credentials flag)");
  }

  private void build(String... flags) {
    List<String> args = new ArrayList<>(List.of("--master=127.0.0.1:5050",
        "--work_dir=" + workDir));
    args.addAll(List.of(flags));
    Agent.builder(AgentFlags.parse(args, Map.of())).build().close();
  }
}
