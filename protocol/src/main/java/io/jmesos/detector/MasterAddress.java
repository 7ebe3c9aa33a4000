package io.jmesos.detector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Resolves one master's address: {@code host:port}, {@code master@host:port}, {@code http://host:port}, or
 * {@code file:///path} naming a file that holds one of those. For where a single address is truly needed (a
 * detected leader's pid, a redirect's {@code Location}); a {@code --master} value, which may name ZooKeeper, goes
 * through {@link MasterLocation} instead. ZooKeeper URLs ({@code zk://...}) are refused, saying so.
 */
public final class MasterAddress {
  private MasterAddress() {}

  public static InetSocketAddress resolve(String master) {
    String value = master.trim();
    if (value.startsWith("file://")) {
      try {
        String content = new String(Files.readAllBytes(Paths.get(URI.create(value))), StandardCharsets.UTF_8);
        return resolve(content);
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to read master from " + value, e);
      }
    }
    if (value.startsWith("zk://")) {
      throw new IllegalArgumentException("Expected one master as host:port, got the ZooKeeper URL '"
          + ZooKeeperUrl.parse(value) + "': a ZooKeeper URL names a group of masters to detect the leader of "
          + "(see MasterLocation), not an address");
    }
    if (value.startsWith("http://")) {
      value = value.substring("http://".length());
    }
    int slash = value.indexOf('/');
    if (slash >= 0) {
      value = value.substring(0, slash);
    }
    int at = value.lastIndexOf('@');
    if (at >= 0) {
      value = value.substring(at + 1); // Mesos' "master@host:port" form
    }
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("Expected the master as host:port, got '" + master + "'");
    }
    String host = value.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Bad port in master address '" + master + "'", e);
    }
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("Port out of range in master address '" + master + "'");
    }
    return new InetSocketAddress(host, port);
  }
}
