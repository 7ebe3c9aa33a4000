package io.jmesos.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.dist.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mesos} against a high-availability cluster: given {@code zk://...} (on the command line or as the
 * configuration file's {@code [master.zookeeper]}) it detects the leading master and lists its agent.
 */
@Timeout(120)
class MesosCliZooKeeperTest {
  @Test
  void theLeaderIsDetectedThroughZooKeeper(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("work")).ip("127.0.0.1").port(0).zooKeeper(0)
        .masters(2).agents(1).resources("cpus:1;mem:128").start()) {
      String zk = cluster.zooKeeperUrl().orElseThrow();
      String agentId = await("the agent registered with the leader").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200)).until(() -> agentIdOf(cluster), id -> id != null);

      String[] out = new String[1];
      int code = run(Map.of(), out, "agent", "list", "--master=" + zk);
      assertThat(code).as(out[0]).isZero();
      assertThat(out[0]).contains(agentId);

      String hostPort = zk.substring("zk://".length(), zk.lastIndexOf('/'));
      Path config = Files.writeString(dir.resolve("config.toml"),
          "[master.zookeeper]\naddresses = [\"" + hostPort + "\"]\npath = \"/mesos\"\n");
      code = run(Map.of("MESOS_CLI_CONFIG", config.toString()), out, "agent", "list");
      assertThat(code).as(out[0]).isZero();
      assertThat(out[0]).contains(agentId);
    }
  }

  private static String agentIdOf(LocalCluster cluster) {
    String[] out = new String[1];
    if (run(Map.of(), out, "agent", "list", "--json", "--master=" + cluster.zooKeeperUrl().orElseThrow()) != 0) {
      return null;
    }
    return out[0].contains("\"id\"") ? out[0].replaceAll("(?s).*\"id\" : \"([^\"]+)\".*", "$1") : null;
  }

  private static int run(Map<String, String> env, String[] out, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = MesosCli.run(args, env, "/nonexistent-home", stream, stream);
    out[0] = bytes.toString(StandardCharsets.UTF_8);
    return code;
  }
}
