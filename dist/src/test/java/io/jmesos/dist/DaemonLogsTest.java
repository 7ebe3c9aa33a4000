package io.jmesos.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --external_log_file}: a log the daemons do not write is served through {@code /files} as the
 * agent's {@code /slave/log} and the master's {@code /master/log}; both daemons answer {@code /logging/toggle}.
 */
@Timeout(60)
class DaemonLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void externalLogFilesAreServedAsSlaveLogAndMasterLog(@TempDir Path dir) throws Exception {
    Path agentLog = Files.writeString(dir.resolve("agent.log"), "a line journald wrote for the agent\n");
    Path masterLog = Files.writeString(dir.resolve("master.log"), "a line journald wrote for the master\n");
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("work")).ip("127.0.0.1").port(0).agents(1)
        .resources("cpus:1;mem:128").agentFlag("external_log_file", agentLog.toString())
        .masterFlag("external_log_file", masterLog.toString()).start()) {
      InetSocketAddress agent = cluster.agents().get(0).address();
      JsonNode slaveLog = JSON.readTree(get(agent, "/files/read?path=/slave/log&offset=0").body());
      assertThat(slaveLog.path("data").asText()).isEqualTo("a line journald wrote for the agent\n");
      JsonNode log = JSON.readTree(get(cluster.masterAddress(), "/files/read?path=/master/log&offset=0").body());
      assertThat(log.path("data").asText()).isEqualTo("a line journald wrote for the master\n");
      assertThat(get(agent, "/logging/toggle").body()).matches("\\d+\n");
      assertThat(get(agent, "/logging/toggle?duration=1secs").statusCode()).isEqualTo(400);
    }
  }

  /**
   * The operator API's LIST_FILES and READ_FILE on both daemons read what /files serves, with Mesos' 404 for an
   * unknown path; GET_LOGGING_LEVEL reads what SET_LOGGING_LEVEL (and /logging/toggle) set.
   */
  @Test
  void operatorApiReadsFilesAndLoggingLevels(@TempDir Path dir) throws Exception {
    Path agentLog = Files.writeString(dir.resolve("agent.log"), "0123456789 agent\n");
    Path masterLog = Files.writeString(dir.resolve("master.log"), "0123456789 master\n");
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("work")).ip("127.0.0.1").port(0).agents(1)
        .resources("cpus:1;mem:128").agentFlag("external_log_file", agentLog.toString())
        .masterFlag("external_log_file", masterLog.toString()).start()) {
      InetSocketAddress agent = cluster.agents().get(0).address();
      for (Object[] daemon : new Object[][] {{agent, "/slave/log", "agent"}, {cluster.masterAddress(),
          "/master/log", "master"}}) {
        InetSocketAddress at = (InetSocketAddress) daemon[0];
        String path = (String) daemon[1];
        HttpResponse<String> read = call(at, "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"" + path
            + "\",\"offset\":2,\"length\":5}}");
        assertThat(read.statusCode()).as(path).isEqualTo(200);
        JsonNode readFile = JSON.readTree(read.body()).path("read_file");
        assertThat(readFile.path("size").asLong()).isEqualTo(("0123456789 " + daemon[2] + "\n").length());
        assertThat(new String(java.util.Base64.getDecoder().decode(readFile.path("data").asText()),
            java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("23456");
        HttpResponse<String> list = call(at, "{\"type\":\"LIST_FILES\",\"list_files\":{\"path\":\"" + path
            + "\"}}");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).path("type").asText()).isEqualTo("LIST_FILES");
        assertThat(call(at, "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"/nowhere\",\"offset\":0}}")
            .statusCode()).isEqualTo(404);

        assertThat(call(at, "{\"type\":\"SET_LOGGING_LEVEL\",\"set_logging_level\":{\"level\":2,"
            + "\"duration\":{\"nanoseconds\":60000000000}}}").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(call(at, "{\"type\":\"GET_LOGGING_LEVEL\"}").body())
            .path("get_logging_level").path("level").asInt()).isEqualTo(2);
        assertThat(call(at, "{\"type\":\"SET_LOGGING_LEVEL\",\"set_logging_level\":{\"level\":0,"
            + "\"duration\":{\"nanoseconds\":0}}}").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(call(at, "{\"type\":\"GET_LOGGING_LEVEL\"}").body())
            .path("get_logging_level").path("level").asInt()).isZero();
      }
    }
  }

  private HttpResponse<String> call(InetSocketAddress target, String json) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + target.getPort() + "/api/v1");
    return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(InetSocketAddress target, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + target.getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
