package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpResponse;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.Protos.TaskState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /files/*} on a running agent, over the sandbox of a running task. */
@Timeout(60)
class FilesEndpointsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String LATEST = "/frameworks/M1-0000/executors/f1/runs/latest";
  @TempDir
  Path tmp;
  AgentHarness h;
  Path sandbox;

  @BeforeEach
  void setUp() throws Exception {
    h = new AgentHarness(tmp.resolve("work")).start();
    h.register();
    h.runTask(AgentHarness.commandTask("f1", "hang"));
    h.acknowledge(h.awaitUpdate("f1", TaskState.TASK_RUNNING));
    Path runs = h.workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/f1/runs");
    try (Stream<Path> list = Files.list(runs)) {
      sandbox = list.filter(p -> !Files.isSymbolicLink(p)).findFirst().orElseThrow();
    }
    Files.writeString(sandbox.resolve("data.txt"), "0123456789");
    Files.createDirectories(sandbox.resolve("sub"));
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private HttpResponse get(String endpoint, String query) throws Exception {
    return h.http.get(h.agent.address(), endpoint + "?" + query).get(10, TimeUnit.SECONDS);
  }

  private static String path(String virtual) {
    return "path=" + URLEncoder.encode(virtual, StandardCharsets.UTF_8);
  }

  private static JsonNode json(HttpResponse response) throws Exception {
    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    return MAPPER.readTree(response.body());
  }

  @Test
  void debugShowsTheSandboxUnderItsOwnPathAndTheLatestRunPath() throws Exception {
    JsonNode debug = json(get("/files/debug", ""));

    assertThat(debug.get(LATEST).asText()).isEqualTo(sandbox.toRealPath().toString());
    assertThat(debug.get(sandbox.toString()).asText()).isEqualTo(sandbox.toRealPath().toString());
    assertThat(json(get("/files/debug.json", ""))).isEqualTo(debug);
  }

  @Test
  void browseListsTheSandboxWithMesosFields() throws Exception {
    JsonNode listing = json(get("/files/browse", path(LATEST)));

    assertThat(listing).extracting(n -> n.get("path").asText())
        .containsExactly(LATEST + "/data.txt", LATEST + "/stderr", LATEST + "/stdout", LATEST + "/sub");
    JsonNode data = listing.get(0);
    assertThat(data.get("size").asLong()).isEqualTo(10);
    assertThat(data.get("nlink").asLong()).isEqualTo(1);
    assertThat(data.get("mode").asText()).matches("-[rwx-]{9}");
    assertThat(data.get("uid").asText()).isEqualTo(System.getProperty("user.name"));
    assertThat(data.get("gid").asText()).isNotEmpty();
    assertThat(data.get("mtime").asLong()).isPositive();
    assertThat(listing.get(3).get("mode").asText()).startsWith("d");
    assertThat(json(get("/files/browse", path(sandbox.toString())))).hasSize(4);
  }

  @Test
  void readReturnsDataAtOffsetAndMinusOneMeansTheEnd() throws Exception {
    JsonNode middle = json(get("/files/read", path(LATEST + "/data.txt") + "&offset=2&length=3"));
    assertThat(middle.get("data").asText()).isEqualTo("234");
    assertThat(middle.get("offset").asLong()).isEqualTo(2);

    JsonNode end = json(get("/files/read", path(LATEST + "/data.txt") + "&offset=-1"));
    assertThat(end.get("data").asText()).isEmpty();
    assertThat(end.get("offset").asLong()).isEqualTo(10);

    JsonNode all = json(get("/files/read.json", path(LATEST + "/data.txt") + "&offset=0"));
    assertThat(all.get("data").asText()).isEqualTo("0123456789");
  }

  @Test
  void downloadSendsTheRawBytes() throws Exception {
    HttpResponse response = get("/files/download", path(sandbox + "/data.txt"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo("0123456789");
    assertThat(response.header("Content-Disposition")).isEqualTo("attachment; filename=data.txt");
  }

  @Test
  void downloadStreamsAFileLargerThanTheHttpBodyLimitWithItsExactBytes() throws Exception {
    // 300 MiB, sparse but for a head and a tail, so that order and length both show in the digest.
    Path big = sandbox.resolve("big.log");
    long size = 300L << 20;
    try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
      file.write("head".getBytes(StandardCharsets.US_ASCII));
      file.setLength(size - 4);
      file.seek(size - 4);
      file.write("tail".getBytes(StandardCharsets.US_ASCII));
    }
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<InputStream> response = client.send(java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + h.agent.address().getPort() + "/files/download?" + path(LATEST + "/big.log")))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(size);
    byte[] received;
    long count;
    try (InputStream body = response.body()) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      count = 0;
      for (int n; (n = body.read(buffer)) > 0; count += n) {
        digest.update(buffer, 0, n);
      }
      received = digest.digest();
    }
    assertThat(count).isEqualTo(size);
    assertThat(received).isEqualTo(sha256(big));
    // The connection stays usable: the next request gets its own answer.
    assertThat(get("/files/download", path(sandbox + "/data.txt")).bodyText()).isEqualTo("0123456789");
  }

  private static byte[] sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  @Test
  void badRequestsAreRefusedWithMesosStatusCodes() throws Exception {
    assertThat(get("/files/read", "").status()).isEqualTo(400);
    assertThat(get("/files/read", "").bodyText()).isEqualTo("Expecting 'path=value' in query.\n");
    assertThat(get("/files/browse", "path=").status()).isEqualTo(400);
    assertThat(get("/files/read", path(LATEST + "/data.txt") + "&offset=abc").status()).isEqualTo(400);
    assertThat(get("/files/read", path(LATEST + "/data.txt") + "&length=x").status()).isEqualTo(400);
    assertThat(get("/files/read", path(LATEST + "/sub")).bodyText()).isEqualTo("Cannot read a directory.\n");
    assertThat(get("/files/download", path(LATEST)).status()).isEqualTo(400);
    assertThat(get("/files/read", path(LATEST + "/missing.txt")).status()).isEqualTo(404);
    assertThat(get("/files/browse", path("/not/attached")).status()).isEqualTo(404);
  }

  @Test
  void pathsLeavingTheSandboxAreRefused() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(sandbox.resolve("escape"), secret);
    String traversal = LATEST + "/" + sandbox.relativize(secret);
    assertThat(traversal).contains("/../");
    Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> Files.exists(sandbox.resolve("escape")));

    HttpResponse read = get("/files/read", path(traversal) + "&offset=0");
    HttpResponse link = get("/files/download", path(LATEST + "/escape"));
    HttpResponse browse = get("/files/browse", path(LATEST + "/../.."));

    assertThat(read.status()).isEqualTo(400);
    assertThat(read.bodyText()).contains("is inaccessible").doesNotContain("secret\"");
    assertThat(link.status()).isEqualTo(400);
    assertThat(link.bodyText()).doesNotContain("secret\n").contains("is inaccessible");
    assertThat(browse.status()).isEqualTo(500);
    assertThat(browse.bodyText()).contains("is inaccessible");
  }
}
