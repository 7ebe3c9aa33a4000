package io.jmesos.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class MasterLocationTest {
  @Test
  void addressFormsNameOneMaster() {
    String[] values = {"127.0.0.1:5050", "master@127.0.0.1:5050", "http://127.0.0.1:5050", " 127.0.0.1:5050\n"};
    for (String value : values) {
      MasterLocation location = MasterLocation.parse(value);
      assertThat(location.address()).as(value).contains(new InetSocketAddress("127.0.0.1", 5050));
      assertThat(location.zooKeeper()).as(value).isEmpty();
    }
  }

  @Test
  void zooKeeperUrlsNameAGroupToDetectTheLeaderOf() {
    MasterLocation location = MasterLocation.parse("zk://jo:pw@h1:2181,h2:2181/mesos");
    assertThat(location.zooKeeper()).contains(ZooKeeperUrl.parse("zk://jo:pw@h1:2181,h2:2181/mesos"));
    assertThat(location.address()).isEmpty();
    assertThat(location).hasToString("zk://jo:***@h1:2181,h2:2181/mesos");
  }

  @Test
  void filesHoldEitherForm(@TempDir Path dir) throws Exception {
    Path zk = Files.write(dir.resolve("zk"), "zk://h1:2181/mesos\n".getBytes(StandardCharsets.UTF_8));
    Path plain = Files.write(dir.resolve("plain"), "master@127.0.0.1:5050\n".getBytes(StandardCharsets.UTF_8));
    assertThat(MasterLocation.parse("file://" + zk).zooKeeper()).contains(ZooKeeperUrl.parse("zk://h1:2181/mesos"));
    assertThat(MasterLocation.parse("file://" + plain).address()).contains(new InetSocketAddress("127.0.0.1", 5050));
  }

  @Test
  void errorsSayWhatIsWrong(@TempDir Path dir) {
    assertThatThrownBy(() -> MasterLocation.parse("zk://h1:2181/"))
        .hasMessage("Expecting a (chroot) path for ZooKeeper ('/' is not supported)");
    assertThatThrownBy(() -> MasterLocation.parse("file://" + dir.resolve("missing")))
        .hasMessage("Failed to read from file at '" + dir.resolve("missing") + "'");
    assertThatThrownBy(() -> MasterLocation.parse("nowhere")).hasMessageContaining("host:port");
  }
}
