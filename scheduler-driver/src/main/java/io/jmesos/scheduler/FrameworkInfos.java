package io.jmesos.scheduler;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.mesos.Protos.FrameworkInfo;

/** Fills the FrameworkInfo fields a scheduler may leave empty, as Mesos' driver does. Stateless. */
public final class FrameworkInfos {
  private FrameworkInfos() {}

  /** An empty {@code user} becomes the current user; an empty {@code hostname} this host's name. */
  public static FrameworkInfo fillMissing(FrameworkInfo framework) {
    FrameworkInfo.Builder b = framework.toBuilder();
    if (!framework.hasUser() || framework.getUser().isEmpty()) {
      b.setUser(System.getProperty("user.name", ""));
    }
    if (!framework.hasHostname() || framework.getHostname().isEmpty()) {
      try {
        b.setHostname(InetAddress.getLocalHost().getHostName());
      } catch (UnknownHostException e) {
        // Mesos leaves the hostname unset when it cannot be found; the master then uses the peer address.
      }
    }
    return b.buildPartial();
  }
}
