package io.jmesos.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.transport.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's HTTP authentication as Mesos 1.11's: with {@code --authenticate_http_readonly} and {@code
 * --authenticate_http_readwrite} the endpoints of each realm need good credentials (401 with the realm's Basic
 * challenge otherwise), endpoints of no realm never do, and with every flag off nothing changes.
 */
@Timeout(60)
class MasterHttpAuthenticationTest {
  @TempDir
  Path dir;
  private TestCluster cluster;
  private final HttpClient http = new HttpClient("authn-test");

  @AfterEach
  void stop() {
    http.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start(Map<String, String> extra) throws Exception {
    Map<String, String> flags = new LinkedHashMap<>(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory",
        "credentials", Credentials.write(dir).toString()));
    flags.putAll(extra);
    cluster = new TestCluster(MasterFlags.of(flags), Limits.DEFAULT);
  }

  private HttpResponse request(String method, String path, String authorization, String body) throws Exception {
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    if (body != null) {
      headers.put("Content-Type", MediaTypes.JSON);
    }
    return http.request(cluster.address, method, path, headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  private HttpResponse get(String path, String authorization) throws Exception {
    return request("GET", path, authorization, null);
  }

  private HttpResponse operator(String authorization) throws Exception {
    return request("POST", "/api/v1", authorization, "{\"type\": \"GET_HEALTH\"}");
  }

  private static void assertRefused(HttpResponse response, String realm) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Basic realm=\"" + realm + "\"");
    assertThat(response.bodyText()).isEqualTo("401 Unauthorized.");
  }

  @Test
  void withEveryFlagOffNothingAuthenticates() throws Exception {
    start(Map.of());
    assertThat(get("/state", null).status()).isEqualTo(200);
    assertThat(get("/state", Credentials.WRONG).status()).as("credentials are not looked at").isEqualTo(200);
    assertThat(operator(Credentials.MALFORMED).status()).isEqualTo(200);
    assertThat(get("/flags", null).bodyText()).contains("\"authenticate_http_readonly\":\"false\"",
        "\"authenticate_http_readwrite\":\"false\"", "\"authenticate_http_frameworks\":\"false\"",
        "\"http_authenticators\":\"basic\"");
  }

  @Test
  void readonlyRealmNeedsGoodCredentials() throws Exception {
    start(Map.of("authenticate_http_readonly", "true"));
    assertThat(get("/state", Credentials.OPS).status()).isEqualTo(200);
    assertThat(get("/master/state.json", Credentials.ALICE).status()).isEqualTo(200);
    assertRefused(get("/state", null), "mesos-master-readonly");
    assertRefused(get("/state", Credentials.WRONG), "mesos-master-readonly");
    assertRefused(get("/state", Credentials.MALFORMED), "mesos-master-readonly");
    assertRefused(get("/metrics/snapshot", null), "mesos-master-readonly");
    assertThat(operator(null).status()).as("the read-write realm is open").isEqualTo(200);
    assertThat(get("/health", null).status()).isEqualTo(200);
  }

  @Test
  void readwriteRealmNeedsGoodCredentials() throws Exception {
    start(Map.of("authenticate_http_readwrite", "true"));
    assertThat(operator(Credentials.OPS).status()).isEqualTo(200);
    assertRefused(operator(null), "mesos-master-readwrite");
    assertRefused(operator(Credentials.WRONG), "mesos-master-readwrite");
    assertRefused(operator(Credentials.MALFORMED), "mesos-master-readwrite");
    assertRefused(get("/weights", null), "mesos-master-readwrite");
    assertThat(get("/weights", Credentials.OPS).status()).isEqualTo(200);
    assertThat(get("/state", null).status()).as("the read-only realm is open").isEqualTo(200);
  }

  @Test
  void theDeprecatedFlagNameTurnsOnTheReadwriteRealm() throws Exception {
    start(Map.of("authenticate_http", "true"));
    assertRefused(operator(null), "mesos-master-readwrite");
  }

  @Test
  void everyEndpointIsInMesosRealm() throws Exception {
    start(Map.of("authenticate_http_readonly", "true", "authenticate_http_readwrite", "true",
        "authenticate_http_frameworks", "true", "http_framework_authenticators", "basic"));
    Map<String, String> realms = new LinkedHashMap<>();
    for (String path : new String[] {"/state", "/master/state", "/state.json", "/state-summary", "/frameworks",
        "/master/frameworks.json", "/slaves", "/tasks", "/roles", "/flags", "/master/flags", "/metrics/snapshot",
        "/metrics/prometheus", "/files/browse", "/files/read.json", "/files/download", "/files/debug",
        "/master/info"}) {
      realms.put(path, "mesos-master-readonly");
    }
    for (String path : new String[] {"/api/v1", "/master/api/v1", "/teardown", "/master/teardown", "/weights",
        "/quota", "/master/quota", "/quota/some-role", "/logging/toggle"}) {
      realms.put(path, "mesos-master-readwrite");
    }
    realms.put("/api/v1/scheduler", "mesos-master-scheduler");
    realms.put("/master/api/v1/scheduler", "mesos-master-scheduler");
    realms.forEach((path, realm) -> {
      try {
        HttpResponse refused = get(path, null);
        assertThat(refused.status()).as(path).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).as(path).isEqualTo("Basic realm=\"" + realm + "\"");
      } catch (Exception e) {
        throw new AssertionError(path, e);
      }
    });
    for (String path : new String[] {"/health", "/master/health", "/version", "/redirect", "/", "/index.html"}) {
      HttpResponse open = get(path, null);
      assertThat(open.status()).as(path).isNotEqualTo(401);
      assertThat(open.header("WWW-Authenticate")).as(path).isNull();
    }
  }
}
