package io.jmesos.scheduler;

import io.jmesos.detector.MasterAddress;
import java.net.InetSocketAddress;

/**
 * Reads the leading master out of a non-leading master's {@code 307} answer, whose {@code Location} is
 * {@code //host:port/path} (Mesos' form) or {@code http://host:port/path}. Stateless.
 */
final class Redirects {
  private Redirects() {}

  static InetSocketAddress leader(String location) {
    String value = location.trim();
    if (value.startsWith("//")) {
      value = value.substring(2);
    } else if (value.startsWith("https://")) {
      throw new IllegalArgumentException("HTTPS masters are not supported");
    }
    return MasterAddress.resolve(value);
  }
}
