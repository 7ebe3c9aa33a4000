package io.jmesos.detector;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.mesos.Protos.Address;
import org.apache.mesos.Protos.MasterInfo;

/**
 * Between a detected {@code MasterInfo} and the socket address to reach that master at. Stateless.
 */
public final class MasterEndpoints {
  private MasterEndpoints() {}

  /**
   * Where to reach {@code info}'s master: its {@code address} (ip, else hostname, with the port) as Mesos
   * masters publish it, else its {@code pid} ({@code master@ip:port}), else the packed {@code ip} and {@code port}.
   *
   * @throws IllegalArgumentException when the MasterInfo names no usable address
   */
  public static InetSocketAddress address(MasterInfo info) {
    if (info.hasAddress() && info.getAddress().hasPort()) {
      Address address = info.getAddress();
      String host = address.hasIp() && !address.getIp().isEmpty() ? address.getIp() : address.getHostname();
      if (!host.isEmpty()) {
        return new InetSocketAddress(host, address.getPort());
      }
    }
    if (info.hasPid() && !info.getPid().isEmpty()) {
      return MasterAddress.resolve(info.getPid());
    }
    if (info.getIp() != 0 && info.getPort() > 0) {
      int ip = info.getIp();
      String dotted = (ip & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 24 & 0xff);
      return new InetSocketAddress(dotted, info.getPort());
    }
    throw new IllegalArgumentException("MasterInfo " + info.getId() + " names no address");
  }

  /**
   * The {@code MasterInfo} a standalone detector reports for {@code address}, as Mesos builds one from a pid:
   * {@code pid} {@code master@host:port}, the id derived from it, the IPv4 address packed as Mesos packs it.
   */
  public static MasterInfo standaloneInfo(InetSocketAddress address) {
    InetAddress resolved = address.getAddress();
    String ip = resolved != null ? resolved.getHostAddress() : address.getHostString();
    String pid = "master@" + ip + ":" + address.getPort();
    byte[] b = resolved != null ? resolved.getAddress() : new byte[0];
    // Mesos keeps the IPv4 address in network byte order in a uint32 read as a host (little-endian) integer.
    int packed = b.length == 4 ? (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24
        : 0;
    return MasterInfo.newBuilder()
        .setId(pid)
        .setIp(packed)
        .setPort(address.getPort())
        .setPid(pid)
        .setHostname(address.getHostString())
        .setAddress(Address.newBuilder().setHostname(address.getHostString()).setIp(ip).setPort(address.getPort()))
        .build();
  }
}
