package io.jmesos.zookeeper;

import io.jmesos.detector.ZooKeeperUrl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;

/** Curator clients for a {@link ZooKeeperUrl}, with Mesos' authentication and ACLs. */
public final class ZooKeeperClients {
  /** Mesos' {@code MASTER_CONTENDER_ZK_SESSION_TIMEOUT} and {@code MASTER_DETECTOR_ZK_SESSION_TIMEOUT}. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

  /** Mesos' {@code EVERYONE_READ_CREATOR_ALL}, used when the URL carries credentials. */
  // Not List.of: ZooKeeper checks ACL lists with contains(null), which List.of refuses with an NPE.
  public static final List<ACL> EVERYONE_READ_CREATOR_ALL = Collections.unmodifiableList(
      Arrays.asList(new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE), new ACL(Perms.ALL, Ids.AUTH_IDS)));

  private ZooKeeperClients() {}

  /**
   * A new, not yet started client for {@code url}'s servers. With credentials it authenticates with the
   * {@code digest} scheme and creates znodes readable by everyone and writable by their creator; without, its
   * znodes are open (ZooKeeper refuses creator ACLs to an unauthenticated client), both as Mesos' group does.
   * The caller starts and closes it.
   */
  public static CuratorFramework newClient(ZooKeeperUrl url, Duration sessionTimeout) {
    List<ACL> acl = url.credentials().isPresent() ? EVERYONE_READ_CREATOR_ALL : Ids.OPEN_ACL_UNSAFE;
    CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
        .connectString(url.servers())
        .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
        .connectionTimeoutMs(Math.toIntExact(Math.min(sessionTimeout.toMillis(), 15_000)))
        .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000))
        .aclProvider(new FixedAcl(acl));
    url.credentials().ifPresent(c -> builder.authorization(ZooKeeperUrl.DIGEST, c.getBytes(StandardCharsets.UTF_8)));
    return builder.build();
  }

  private static final class FixedAcl implements ACLProvider {
    private final List<ACL> acl;

    FixedAcl(List<ACL> acl) {
      this.acl = acl;
    }

    @Override
    public List<ACL> getDefaultAcl() {
      return acl;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
      return acl;
    }
  }
}
