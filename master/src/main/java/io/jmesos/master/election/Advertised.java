package io.jmesos.master.election;

import io.jmesos.master.flags.MasterFlags;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.apache.mesos.Protos.Address;
import org.apache.mesos.Protos.MasterInfo;

/**
 * The {@code MasterInfo} a master publishes (in ZooKeeper, {@code /state}, SUBSCRIBED and redirects), as Mesos
 * builds it: the bound address unless {@code --advertise_ip} / {@code --advertise_port} say otherwise (the
 * master still binds where {@code --ip} / {@code --port} say); the hostname from {@code --hostname}, else the
 * reverse lookup of the advertised IP.
 */
public final class Advertised {
  private Advertised() {}

  public static MasterInfo masterInfo(String id, String version, MasterFlags flags, InetSocketAddress bound) {
    InetAddress address = flags.advertiseIp() != null ? literal(flags.advertiseIp()) : bound.getAddress();
    if (address.isAnyLocalAddress()) {
      try {
        address = InetAddress.getLocalHost();
      } catch (UnknownHostException e) {
        address = InetAddress.getLoopbackAddress();
      }
    }
    int port = flags.advertisePort() != null ? flags.advertisePort() : bound.getPort();
    String ip = address.getHostAddress();
    String hostname = flags.hostname() != null ? flags.hostname() : address.getHostName();
    byte[] b = address.getAddress();
    // Mesos keeps the IPv4 address in network byte order in a uint32 read as a host (little-endian) integer.
    int packed = b.length == 4 ? (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24
        : 0;
    return MasterInfo.newBuilder()
        .setId(id)
        .setIp(packed)
        .setPort(port)
        .setPid("master@" + ip + ":" + port)
        .setHostname(hostname)
        .setVersion(version)
        .setAddress(Address.newBuilder().setHostname(hostname).setIp(ip).setPort(port))
        .build();
  }

  /** An IP literal (checked by the flag's validator), without a name lookup. */
  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Invalid --advertise_ip '" + ip + "'", e);
    }
  }
}
