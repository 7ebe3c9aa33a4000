package io.jmesos.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ZooKeeperUrlTest {
  @Test
  void parsesServersAndPath() {
    ZooKeeperUrl url = ZooKeeperUrl.parse("  zk://h1:2181,h2:2182/mesos/prod \n");
    assertThat(url.servers()).isEqualTo("h1:2181,h2:2182");
    assertThat(url.path()).isEqualTo("/mesos/prod");
    assertThat(url.credentials()).isEmpty();
    assertThat(url).hasToString("zk://h1:2181,h2:2182/mesos/prod");
  }

  @Test
  void parsesDigestCredentialsAtTheLastAt() {
    ZooKeeperUrl url = ZooKeeperUrl.parse("zk://jo:p@ss@h1:2181/mesos");
    assertThat(url.credentials()).isEqualTo(Optional.of("jo:p@ss"));
    assertThat(url.servers()).isEqualTo("h1:2181");
    assertThat(url).hasToString("zk://jo:***@h1:2181/mesos");
  }

  @Test
  void pathDefaultsToRootButDetectionRefusesIt() {
    assertThat(ZooKeeperUrl.parse("zk://h1:2181").path()).isEqualTo("/");
    assertThatThrownBy(() -> ZooKeeperUrl.parseForDetection("zk://h1:2181/"))
        .hasMessage("Expecting a (chroot) path for ZooKeeper ('/' is not supported)");
  }

  @Test
  void refusesOtherSchemes() {
    assertThatThrownBy(() -> ZooKeeperUrl.parse("http://h1:2181/mesos"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expecting 'zk://' at the beginning of the URL");
  }

  @Test
  void readsTheUrlFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("zk");
    Files.write(file, "zk://u:p@h1:2181/mesos\n".getBytes(StandardCharsets.UTF_8));
    ZooKeeperUrl url = ZooKeeperUrl.parseForDetection("file://" + file);
    assertThat(url).isEqualTo(ZooKeeperUrl.parse("zk://u:p@h1:2181/mesos"));
    assertThat(ZooKeeperUrl.isZooKeeper("zk://h1:2181/mesos")).isTrue();
    assertThat(ZooKeeperUrl.isZooKeeper("h1:5050")).isFalse();
  }

  @Test
  void missingFileIsMesosError(@TempDir Path dir) {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> ZooKeeperUrl.parseForDetection("file://" + missing))
        .hasMessage("Failed to read from file at '" + missing + "'");
  }

  @Test
  void masterAddressRefusesZooKeeperWhereOneAddressIsNeededWithoutShowingThePassword() {
    assertThatThrownBy(() -> MasterAddress.resolve("zk://jo:secret@h1:2181/mesos"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Expected one master as host:port, got the ZooKeeper URL 'zk://jo:***@h1:2181/mesos'")
        .hasMessageNotContaining("secret");
  }
}
