package io.jmesos.detector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.Optional;

/**
 * A ZooKeeper URL as Mesos accepts it for {@code --zk} and {@code --master}:
 * {@code zk://[user:password@]host1:port1,host2:port2/path}, or {@code file:///some/file} holding one.
 *
 * <p>Parsing follows Mesos' {@code zookeeper::URL::parse}: the text is trimmed, everything from the first
 * {@code /} after the scheme is the path ({@code /} when absent), and text before the last {@code @} is
 * the {@code digest} credentials. {@link #parseForDetection} adds the master detector's rule that the path
 * must not be {@code /}. Immutable and thread-safe; no ZooKeeper client here, so protocol stays light.
 */
public final class ZooKeeperUrl {
  public static final String SCHEME = "zk://";
  public static final String DIGEST = "digest";

  private final String servers;
  private final String path;
  private final String credentials; // "user:password" for the digest scheme, or null

  private ZooKeeperUrl(String servers, String path, String credentials) {
    this.servers = servers;
    this.path = path;
    this.credentials = credentials;
  }

  /** Parses a {@code zk://} URL; errors are Mesos' words, as {@link IllegalArgumentException}. */
  public static ZooKeeperUrl parse(String url) {
    String s = url.trim();
    if (!s.startsWith(SCHEME)) {
      throw new IllegalArgumentException("Expecting 'zk://' at the beginning of the URL");
    }
    s = s.substring(SCHEME.length());
    int slash = s.indexOf('/');
    String path = slash < 0 ? "/" : s.substring(slash);
    String authority = slash < 0 ? s : s.substring(0, slash);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      return new ZooKeeperUrl(authority.substring(at + 1), path, authority.substring(0, at));
    }
    return new ZooKeeperUrl(authority, path, null);
  }

  /**
   * Parses a {@code zk://} URL, or reads one from a {@code file://} URL (trimmed), for master contention
   * or detection: as Mesos' {@code MasterDetector::create}, a path of {@code /} is refused.
   */
  public static ZooKeeperUrl parseForDetection(String value) {
    String s = value.trim();
    if (s.startsWith("file://")) {
      String file = s.substring("file://".length());
      try {
        return parseForDetection(new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalArgumentException("Failed to read from file at '" + file + "'", e);
      }
    }
    ZooKeeperUrl url = parse(s);
    if (url.path.equals("/")) {
      throw new IllegalArgumentException("Expecting a (chroot) path for ZooKeeper ('/' is not supported)");
    }
    return url;
  }

  /** True when a {@code --master} / {@code --zk} value names ZooKeeper (directly, not through a file). */
  public static boolean isZooKeeper(String value) {
    return value.trim().startsWith(SCHEME);
  }

  /** The connect string for the ZooKeeper client: {@code host1:port1,host2:port2}. */
  public String servers() {
    return servers;
  }

  /** The znode under which masters contend, e.g. {@code /mesos}. */
  public String path() {
    return path;
  }

  /** {@code user:password} for ZooKeeper's {@code digest} scheme, when the URL carries credentials. */
  public Optional<String> credentials() {
    return Optional.ofNullable(credentials);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ZooKeeperUrl)) {
      return false;
    }
    ZooKeeperUrl other = (ZooKeeperUrl) o;
    return servers.equals(other.servers) && path.equals(other.path)
        && Objects.equals(credentials, other.credentials);
  }

  @Override
  public int hashCode() {
    return Objects.hash(servers, path, credentials);
  }

  /** The URL with the password masked, fit for logs. */
  @Override
  public String toString() {
    if (credentials == null) {
      return SCHEME + servers + path;
    }
    int colon = credentials.indexOf(':');
    String user = colon < 0 ? credentials : credentials.substring(0, colon);
    return SCHEME + user + ":***@" + servers + path;
  }
}
