package io.jmesos.dist.cli;

import io.jmesos.detector.MasterDetector;
import io.jmesos.detector.MasterEndpoints;
import io.jmesos.detector.MasterLocation;
import io.jmesos.zookeeper.MasterDetectors;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.mesos.Protos.MasterInfo;

/**
 * Which master the CLI talks to: {@code --master}, else {@code MESOS_MASTER}, else the configuration file's
 * {@code [master]}, else Mesos' default {@code 127.0.0.1:5050}. Each may name one master ({@code host:port},
 * {@code http://host:port}) or ZooKeeper ({@code zk://host:port,.../path}, or a {@code file://} holding either),
 * whose leading master is then detected with the zookeeper module's detector.
 */
public final class MasterResolver {
  /** Mesos' CLI default ({@code DEFAULT_MASTER_IP}:{@code DEFAULT_MASTER_PORT}). */
  public static final String DEFAULT_MASTER = "127.0.0.1:5050";
  private static final Pattern HOST_PORT = Pattern.compile("[^:/\\s]+:\\d{1,5}");
  private static final Duration ZK_SESSION_TIMEOUT = Duration.ofSeconds(10);

  private MasterResolver() {}

  /** Where the master is, before resolution: the first of flag, environment, configuration file, default. */
  public static String choose(String flag, Map<String, String> env, Supplier<CliConfig> config) {
    if (flag != null && !flag.isBlank()) {
      return flag.trim();
    }
    String fromEnv = env.get("MESOS_MASTER");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    return config.get().master().orElse(DEFAULT_MASTER);
  }

  /**
   * The address of the master {@code master} names; for ZooKeeper, of the leader detected within {@code
   * timeout}.
   */
  public static InetSocketAddress resolve(String master, Duration timeout) {
    MasterLocation location;
    try {
      location = MasterLocation.parse(master);
    } catch (IllegalArgumentException e) {
      throw new CliException("Invalid master '" + master + "': " + e.getMessage(), e);
    }
    if (location.address().isPresent()) {
      return location.address().get();
    }
    try (MasterDetector detector = MasterDetectors.create(master, ZK_SESSION_TIMEOUT)) {
      Optional<MasterInfo> leader = detector.detect(Optional.empty()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return MasterEndpoints.address(leader.orElseThrow());
    } catch (TimeoutException e) {
      throw new CliException("Unable to get leading master address: no leader found in " + location + " within "
          + timeout.toSeconds() + " seconds", e);
    } catch (ExecutionException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new CliException("Unable to get leading master address from " + location + ": " + cause, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("Interrupted while detecting the leading master", e);
    }
  }

  /** {@code value} without an {@code http://} or {@code https://} scheme or a trailing slash. */
  static String strip(String value) {
    String v = value.trim();
    if (v.startsWith("http://")) {
      v = v.substring("http://".length());
    } else if (v.startsWith("https://")) {
      v = v.substring("https://".length());
    }
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    return v;
  }

  static boolean isHostPort(String value) {
    return HOST_PORT.matcher(value).matches();
  }
}
