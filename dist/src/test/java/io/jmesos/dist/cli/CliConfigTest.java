package io.jmesos.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI configuration file: where it is, its TOML, and the master it names (checked as Mesos checks it). */
class CliConfigTest {
  @TempDir
  Path dir;

  private CliConfig config(String text) throws Exception {
    Path file = dir.resolve("config.toml");
    Files.writeString(file, text);
    return CliConfig.load(file);
  }

  @Test
  void thePathIsMesosCliConfigElseTheHomeDirectorys() {
    assertThat(CliConfig.path(Map.of("MESOS_CLI_CONFIG", "/etc/mesos-cli.toml"), "/home/op"))
        .isEqualTo(Path.of("/etc/mesos-cli.toml"));
    assertThat(CliConfig.path(Map.of(), "/home/op")).isEqualTo(Path.of("/home/op/.mesos/config.toml"));
  }

  @Test
  void aMissingFileIsAnEmptyConfiguration() {
    CliConfig config = CliConfig.load(dir.resolve("absent.toml"));
    assertThat(config.exists()).isFalse();
    assertThat(config.master()).isEmpty();
  }

  @Test
  void theMasterAddress() throws Exception {
    assertThat(config("[master]\naddress = \"10.0.0.1:5050\"  # the leader\n").master())
        .contains("10.0.0.1:5050");
    assertThat(config("[master]\naddress = 'http://m1.example.com:5050/'\n").master())
        .contains("m1.example.com:5050");
    assertThat(config("master.address = \"10.0.0.2:5050\"\n").master()).contains("10.0.0.2:5050");
  }

  @Test
  void theMasterThroughZooKeeper() throws Exception {
    String table = "[master]\nprincipal = \"op\"\n\n[master.zookeeper]\n"
        + "addresses = [\n  \"zk1:2181\",\n  \"zk2:2181\", # second\n]\npath = \"/mesos\"\n";
    assertThat(config(table).master()).contains("zk://zk1:2181,zk2:2181/mesos");
    String inline = "[master]\nzookeeper = { addresses = [\"zk1:2181\"], path = \"/mesos/prod\" }\n";
    assertThat(config(inline).master()).contains("zk://zk1:2181/mesos/prod");
  }

  @Test
  void otherTablesLeaveTheMasterUnset() throws Exception {
    CliConfig config = config("[agent]\nssl = true\ntimeout = 5\n[plugins]\nplugins = []\n");
    assertThat(config.exists()).isTrue();
    assertThat(config.master()).isEqualTo(Optional.empty());
  }

  @Test
  void invalidMastersAreRefusedWithMesosReasons() throws Exception {
    assertThatThrownBy(() -> config("master = \"x:1\"\n").master())
        .hasMessage("The 'master' field must be a dictionary");
    assertThatThrownBy(() -> config("[master]\nprincipal = \"p\"\n").master())
        .hasMessageContaining("must either contain an 'address' field or a 'zookeeper'");
    assertThatThrownBy(() -> config("[master]\naddress = \"a:1\"\nzookeeper = {addresses = [], path = \"/m\"}\n")
        .master()).hasMessageContaining("but not both");
    assertThatThrownBy(() -> config("[master]\naddress = \"no-port\"\n").master())
        .hasMessageContaining("formatted incorrectly");
    assertThatThrownBy(() -> config("[master.zookeeper]\naddresses = [\"zk:2181\"]\npath = \"/\"\n").master())
        .hasMessageContaining("should be nested");
    assertThatThrownBy(() -> config("[master.zookeeper]\naddresses = [\"zk:2181\"]\npath = \"mesos\"\n").master())
        .hasMessageContaining("must start with a '/'");
    assertThatThrownBy(() -> config("[master.zookeeper]\npath = \"/mesos\"\n").master())
        .hasMessageContaining("must contain an 'addresses' list");
  }

  @Test
  void malformedTomlIsAnErrorNamingTheFileAndLine() {
    assertThatThrownBy(() -> config("[master]\naddress = \"unterminated\n"))
        .isInstanceOf(CliException.class).hasMessageContaining("config.toml").hasMessageContaining("line 2");
    assertThatThrownBy(() -> config("[master]\naddress = \"a:1\"\naddress = \"b:1\"\n"))
        .hasMessageContaining("duplicate key 'address'");
  }

  @Test
  void tomlValues() {
    Map<String, Object> doc = Toml.parse("a = 1\nb = -2.5\nc = true\nd = \"x\\ty\\u00e9\"\ne = 'c:\\raw'\n"
        + "f = [1, [\"n\"]]\n[t.\"quoted key\"]\ng = {h = false}\n");
    assertThat(doc).containsEntry("a", 1L).containsEntry("b", -2.5).containsEntry("c", true)
        .containsEntry("d", "x\ty\u00e9").containsEntry("e", "c:\\raw").containsEntry("f", List.of(1L, List.of("n")));
    assertThat(doc.get("t")).isEqualTo(Map.of("quoted key", Map.of("g", Map.of("h", false))));
  }
}
