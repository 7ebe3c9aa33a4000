package io.jmesos.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order in which the CLI looks for the master ({@code --master}, {@code MESOS_MASTER}, the configuration
 * file, Mesos' default), what each kind of value resolves to, and following a non-leading master's redirect.
 */
class MasterResolverTest {
  @TempDir
  Path dir;

  private Supplier<CliConfig> config(String text) throws Exception {
    Path file = dir.resolve("config.toml");
    Files.writeString(file, text);
    return () -> CliConfig.load(file);
  }

  @Test
  void theFlagWinsThenTheEnvironmentThenTheFileThenTheDefault() throws Exception {
    Supplier<CliConfig> file = config("[master]\naddress = \"file-master:5050\"\n");
    Map<String, String> env = Map.of("MESOS_MASTER", "env-master:5050");
    assertThat(MasterResolver.choose("flag-master:5050", env, file)).isEqualTo("flag-master:5050");
    assertThat(MasterResolver.choose(null, env, file)).isEqualTo("env-master:5050");
    assertThat(MasterResolver.choose(null, Map.of("MESOS_MASTER", " "), file)).isEqualTo("file-master:5050");
    assertThat(MasterResolver.choose(null, Map.of(), () -> CliConfig.load(dir.resolve("absent.toml"))))
        .isEqualTo("127.0.0.1:5050");
  }

  @Test
  void theFileIsNotReadWhenTheFlagOrTheEnvironmentNamesTheMaster() {
    AtomicInteger reads = new AtomicInteger();
    Supplier<CliConfig> file = () -> {
      reads.incrementAndGet();
      throw new CliException("a broken configuration file");
    };
    assertThat(MasterResolver.choose("m:1", Map.of(), file)).isEqualTo("m:1");
    assertThat(MasterResolver.choose(null, Map.of("MESOS_MASTER", "zk://zk:2181/mesos"), file))
        .isEqualTo("zk://zk:2181/mesos");
    assertThat(reads).hasValue(0);
  }

  @Test
  void oneMasterResolvesToItsAddress() throws Exception {
    InetSocketAddress plain = MasterResolver.resolve("127.0.0.1:5051", Duration.ofSeconds(1));
    assertThat(plain.getPort()).isEqualTo(5051);
    assertThat(MasterResolver.resolve("http://127.0.0.1:5052", Duration.ofSeconds(1)).getPort()).isEqualTo(5052);
    Path file = dir.resolve("master");
    Files.writeString(file, "127.0.0.1:5053\n");
    assertThat(MasterResolver.resolve("file://" + file, Duration.ofSeconds(1)).getPort()).isEqualTo(5053);
    assertThatThrownBy(() -> MasterResolver.resolve("not a master", Duration.ofSeconds(1)))
        .isInstanceOf(CliException.class).hasMessageContaining("Invalid master 'not a master'");
  }

  @Test
  void aRequestFollowsTheRedirectOfANonLeadingMaster() throws Exception {
    HttpServer leader = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    HttpServer follower = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    leader.createContext("/slaves", exchange -> {
      byte[] body = ("{\"slaves\": [], \"query\": \"" + exchange.getRequestURI().getQuery() + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    follower.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Location", "//127.0.0.1:" + leader.getAddress().getPort()
          + exchange.getRequestURI());
      exchange.sendResponseHeaders(307, -1);
      exchange.close();
    });
    leader.start();
    follower.start();
    try {
      MesosHttp http = new MesosHttp(Duration.ofSeconds(5));
      assertThat(http.get(follower.getAddress(), "/slaves?x=1").path("query").asText()).isEqualTo("x=1");
    } finally {
      leader.stop(0);
      follower.stop(0);
    }
  }
}
