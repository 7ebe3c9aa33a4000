package io.jmesos.master.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.master.flags.MasterFlags;
import java.net.InetSocketAddress;
import java.util.Map;
import org.apache.mesos.Protos.MasterInfo;
import org.junit.jupiter.api.Test;

/** The MasterInfo a master publishes: the bound address, or --advertise_ip / --advertise_port, as Mesos. */
class AdvertisedTest {
  private static final InetSocketAddress BOUND = new InetSocketAddress("127.0.0.1", 5050);

  @Test
  void theBoundAddressByDefault() {
    MasterInfo info = Advertised.masterInfo("id-1", "1.11.0",
        MasterFlags.of(Map.of("hostname", "master.example")), BOUND);

    assertThat(info.getId()).isEqualTo("id-1");
    assertThat(info.getPid()).isEqualTo("master@127.0.0.1:5050");
    assertThat(info.getPort()).isEqualTo(5050);
    assertThat(info.getIp()).isEqualTo(0x0100007f); // network order read as a little-endian uint32
    assertThat(info.getHostname()).isEqualTo("master.example");
    assertThat(info.getAddress().getIp()).isEqualTo("127.0.0.1");
    assertThat(info.getAddress().getPort()).isEqualTo(5050);
    assertThat(info.getAddress().getHostname()).isEqualTo("master.example");
    assertThat(info.getVersion()).isEqualTo("1.11.0");
  }

  @Test
  void advertisedIpAndPortReplaceTheBoundOnes() {
    MasterInfo info = Advertised.masterInfo("id-1", "1.11.0", MasterFlags.of(Map.of("hostname", "master.example",
        "advertise_ip", "10.1.2.3", "advertise_port", "8080")), BOUND);

    assertThat(info.getPid()).isEqualTo("master@10.1.2.3:8080");
    assertThat(info.getPort()).isEqualTo(8080);
    assertThat(info.getIp()).isEqualTo(10 | 1 << 8 | 2 << 16 | 3 << 24);
    assertThat(info.getAddress().getIp()).isEqualTo("10.1.2.3");
    assertThat(info.getAddress().getPort()).isEqualTo(8080);
  }

  @Test
  void anAdvertisedPortAloneKeepsTheBoundIp() {
    MasterInfo info = Advertised.masterInfo("id-1", "1.11.0", MasterFlags.of(Map.of("hostname", "h",
        "advertise_port", "6060")), BOUND);

    assertThat(info.getPid()).isEqualTo("master@127.0.0.1:6060");
  }
}
