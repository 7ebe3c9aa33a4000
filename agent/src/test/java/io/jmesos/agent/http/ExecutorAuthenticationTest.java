package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.security.Jwt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.executor.Protos.Call;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/executor} with {@code --authenticate_http_executors}, as Mesos' {@code executor_http_api_tests}
 * authentication cases: the agent gives the executor a token in {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}
 * (HS256, claims {@code fid}, {@code eid}, {@code cid}); a call without it, with another scheme, or with a forged
 * or altered token is {@code 401}; a genuine token of another executor or container is {@code 403}; the executor's
 * own token subscribes.
 */
@Timeout(60)
class ExecutorAuthenticationTest {
  private static final byte[] KEY = "a key only the agent knows, 32+ bytes long".getBytes(StandardCharsets.UTF_8);
  private static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("M1-0000").build();
  private static final ExecutorID EXECUTOR = ExecutorID.newBuilder().setValue("e1").build();

  @TempDir
  Path workDir;
  @TempDir
  Path dir;
  AgentHarness h;
  String token;

  @BeforeEach
  void setUp() throws Exception {
    Path key = dir.resolve("jwt-key");
    Files.write(key, KEY);
    h = new AgentHarness(workDir).start(Map.of("authenticate_http_executors", "true",
        "jwt_secret_key", key.toString()));
    h.register();
    // An executor that keeps its token in its sandbox and never subscribes: the test plays it.
    h.runTask(AgentHarness.customExecutorTask("t1", "e1",
        "printf %s \"$MESOS_EXECUTOR_AUTHENTICATION_TOKEN\" > token.tmp && mv token.tmp token; sleep 30"));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tokenFile().isPresent());
    token = Files.readString(tokenFile().get());
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private Optional<Path> tokenFile() throws Exception {
    try (Stream<Path> files = Files.walk(workDir)) {
      return files.filter(p -> p.getFileName().toString().equals("token")).findFirst();
    }
  }

  private static Map<String, String> claims(String token) throws Exception {
    JsonNode payload = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    Map<String, String> claims = new HashMap<>();
    payload.fields().forEachRemaining(f -> claims.put(f.getKey(), f.getValue().asText()));
    return claims;
  }

  private HttpResponse heartbeat(String authorization) throws Exception {
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", MediaTypes.PROTOBUF));
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    byte[] body = Call.newBuilder().setFrameworkId(FRAMEWORK).setExecutorId(EXECUTOR).setType(Call.Type.HEARTBEAT)
        .build().toByteArray();
    return h.http.request(h.agent.address(), "POST", "/api/v1/executor", headers, body).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theExecutorsTokenNamesItsFrameworkExecutorAndContainer() throws Exception {
    Map<String, String> claims = claims(token);
    assertThat(claims).containsEntry("fid", "M1-0000").containsEntry("eid", "e1").containsKey("cid");
    assertThat(Jwt.verify(token, KEY, 0)).isEqualTo(claims);
    assertThat(token.split("\\.")[0]).isEqualTo(Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void withoutATokenIsUnauthorized() throws Exception {
    HttpResponse r = heartbeat(null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"mesos-agent-executor\"");
  }

  @Test
  void anotherSchemeOrAMalformedHeaderIsUnauthorized() throws Exception {
    HttpResponse basic = heartbeat("Basic b3BzOm9wcy1zZWNyZXQ=");
    assertThat(basic.status()).isEqualTo(401);
    assertThat(basic.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"mesos-agent-executor\", "
        + "error=\"invalid_token\", error_description=\"Scheme 'Basic' unsupported\"");
    assertThat(heartbeat("Bearer").header("WWW-Authenticate"))
        .contains("error_description=\"Malformed 'Authorization' header\"");
  }

  @Test
  void aForgedOrAlteredTokenIsUnauthorized() throws Exception {
    Map<String, String> claims = claims(token);
    String forged = Jwt.create(claims, "not the agent's key".getBytes(StandardCharsets.UTF_8));
    HttpResponse r = heartbeat("Bearer " + forged);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"")
        .contains("Invalid JWT: Token signature does not match");

    // The executor's own signature over another payload.
    claims.put("eid", "e2");
    String[] parts = token.split("\\.");
    String altered = parts[0] + "." + Jwt.create(claims, KEY).split("\\.")[1] + "." + parts[2];
    assertThat(heartbeat("Bearer " + altered).status()).isEqualTo(401);

    // "alg": "none" without a signature.
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(
        StandardCharsets.UTF_8)) + "." + parts[1] + ".";
    assertThat(heartbeat("Bearer " + none).status()).isEqualTo(401);
  }

  @Test
  void aGenuineTokenOfAnotherExecutorOrContainerIsForbidden() throws Exception {
    Map<String, String> claims = claims(token);
    claims.put("eid", "e2");
    HttpResponse other = heartbeat("Bearer " + Jwt.create(claims, KEY));
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.bodyText()).endsWith("does not contain an 'eid' claim with the executor ID e1, which is set "
        + "in the call");

    claims = claims(token);
    claims.put("cid", "an-older-container");
    HttpResponse stale = heartbeat("Bearer " + Jwt.create(claims, KEY));
    assertThat(stale.status()).isEqualTo(403);
    assertThat(stale.bodyText()).endsWith("does not contain a 'cid' claim with the correct active ContainerID");

    claims = claims(token);
    claims.put("fid", "M1-0001");
    assertThat(heartbeat("Bearer " + Jwt.create(claims, KEY)).bodyText())
        .contains("does not contain an 'fid' claim with the framework ID M1-0000");
  }

  @Test
  void theExecutorsOwnTokenSubscribes() throws Exception {
    // Authenticated and authorized: the call reaches the executor's state (not subscribed yet).
    HttpResponse beforeSubscribe = heartbeat("Bearer " + token);
    assertThat(beforeSubscribe.status()).isEqualTo(403);
    assertThat(beforeSubscribe.bodyText()).isEqualTo("Executor is not subscribed");

    AtomicInteger status = new AtomicInteger();
    HttpClient.Stream stream = h.http.stream(h.agent.address(), "POST", "/api/v1/executor",
        Map.of("Content-Type", MediaTypes.PROTOBUF, "Accept", MediaTypes.PROTOBUF, "Authorization",
            "Bearer " + token),
        Call.newBuilder().setFrameworkId(FRAMEWORK).setExecutorId(EXECUTOR).setType(Call.Type.SUBSCRIBE)
            .setSubscribe(Call.Subscribe.getDefaultInstance()).build().toByteArray(),
        new HttpClient.StreamListener() {
          @Override
          public void onHeaders(int code, Map<String, String> headers) {
            status.set(code);
          }

          @Override
          public void onData(byte[] chunk) {}

          @Override
          public void onClosed(Throwable cause) {}
        });
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status.get() == 200);
      assertThat(heartbeat("Bearer " + token).status()).isEqualTo(202);
    } finally {
      stream.close();
    }
  }

  @Test
  void authenticationNeedsAKeyAsMesosSays() {
    AgentFlags flags = AgentFlags.of(Map.of("work_dir", workDir.toString(), "master", "127.0.0.1:5050",
        "authenticate_http_executors", "true"));
    assertThatThrownBy(() -> AgentAuthentication.create(flags.authentication))
        .hasMessage("--jwt_secret_key must be specified when --authenticate_http_executors is set to true");
    AgentFlags missing = AgentFlags.of(Map.of("work_dir", workDir.toString(), "master", "127.0.0.1:5050",
        "jwt_secret_key", dir.resolve("none").toString()));
    assertThatThrownBy(() -> AgentAuthentication.create(missing.authentication))
        .hasMessage("Failed to read the file specified by --jwt_secret_key");
  }
}
