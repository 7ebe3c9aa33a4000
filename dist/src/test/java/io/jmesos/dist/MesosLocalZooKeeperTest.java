package io.jmesos.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.master.Master;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mesos-local --zk}: an embedded ZooKeeper server, three masters contending in it with their registry
 * there, two agents following the leader. One master leads ({@code master/elected}); when it stops another one
 * is elected, recovers the registry and the agents re-register with it; the console's failover (a line on
 * standard input) does the same and brings the stopped master back as a follower.
 */
@Timeout(90)
class MesosLocalZooKeeperTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private LocalCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anotherMasterLeadsWhenTheLeaderStopsAndTheAgentsFollow(@TempDir Path workDir) throws Exception {
    cluster = MesosLocal.start(new String[] {"--zk", "--zk_port=0", "--port=0", "--num_agents=2",
        "--resources=cpus:2;mem:1024", "--work_dir=" + workDir}, Map.of(), out(), out());
    assertThat(cluster).as("mesos-local started").isNotNull();
    String url = cluster.zooKeeperUrl().orElseThrow();
    assertThat(url).matches("zk://127\\.0\\.0\\.1:\\d+/mesos");
    assertThat(cluster.masters()).hasSize(MesosLocal.HA_MASTERS);
    assertThat(printed()).contains("ZooKeeper server at " + url, "3 masters at ", "--master=" + url);
    assertThat(cluster.masterUrl()).as("what frameworks are given").isEqualTo(url);

    Master first = awaitLeaderWithAgents("the first leader", List.of());
    assertThat(printed()).contains("leading master is 127.0.0.1:" + first.address().getPort());
    for (Master master : cluster.masters()) {
      if (master != first) {
        assertThat(metrics(master.address()).path("master/elected").asDouble()).as("follower master/elected")
            .isZero();
      }
    }

    // The leader stops: one of the two others takes over, recovers the registry, the agents re-register.
    int firstIndex = cluster.masters().indexOf(first);
    cluster.stopMaster(firstIndex);
    Master second = awaitLeaderWithAgents("a new leader after the first one stopped", List.of(first));
    assertThat(second).isNotSameAs(first);
    await("the detected leader").atMost(WAIT).until(() -> cluster.leader().equals(Optional.of(second)));

    // The console's failover: the leader stops and comes back as a follower; the third master leads.
    cluster.restartMaster(firstIndex);
    MesosLocal.failOverOnEachLine(cluster, new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8)), false,
        out());
    assertThat(printed()).contains("stopping the leading master 127.0.0.1:" + second.address().getPort());
    List<Master> stopped = new ArrayList<>(List.of(first, second));
    Master third = awaitLeaderWithAgents("a new leader after the console's failover", stopped);
    assertThat(third).isNotSameAs(first).isNotSameAs(second);
    await("the restarted masters follow").atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      for (Master master : cluster.masters()) {
        double elected = metrics(master.address()).path("master/elected").asDouble();
        assertThat(elected).as("master/elected of " + master.address()).isEqualTo(master == third ? 1.0 : 0.0);
      }
    });
  }

  /**
   * Waits until exactly one running master, none of {@code excluded}, says it is elected and lists both agents
   * as active and none as recovered; returns it.
   */
  private Master awaitLeaderWithAgents(String what, List<Master> excluded) {
    AtomicReference<Master> leader = new AtomicReference<>();
    await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
      List<Master> elected = new ArrayList<>();
      for (Master master : cluster.masters()) {
        if (!excluded.contains(master)
            && metrics(master.address()).path("master/elected").asDouble() == 1.0) {
          elected.add(master);
        }
      }
      assertThat(elected).as("elected masters").hasSize(1);
      JsonNode state = get(elected.get(0).address(), "/state");
      long active = 0;
      for (JsonNode agent : state.path("slaves")) {
        active += agent.path("active").asBoolean() ? 1 : 0;
      }
      assertThat(active).as("active agents of the leader").isEqualTo(2);
      assertThat(state.path("recovered_slaves")).as("recovered agents of the leader").isEmpty();
      leader.set(elected.get(0));
    });
    return leader.get();
  }

  private JsonNode metrics(InetSocketAddress address) throws IOException, InterruptedException {
    return get(address, "/metrics/snapshot");
  }

  private JsonNode get(InetSocketAddress address, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + address.getPort() + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " of " + address + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  private PrintStream out() {
    return new PrintStream(output, true, StandardCharsets.UTF_8);
  }

  private String printed() {
    return output.toString(StandardCharsets.UTF_8);
  }
}
