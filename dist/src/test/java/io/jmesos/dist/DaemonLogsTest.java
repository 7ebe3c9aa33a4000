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

  private HttpResponse<String> get(InetSocketAddress target, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + target.getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
