package io.jmesos.zookeeper;

import io.jmesos.actor.Actor;
import io.jmesos.actor.SystemClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects the leading master the way Mesos' {@code ZooKeeperMasterDetector} does: the group member under the
 * path with the lowest sequence number leads; its data is read by its label ({@code json.info}: Mesos JSON,
 * {@code info}: binary {@code MasterInfo}). No member, or no path yet, means no leader. A leader whose data does
 * not parse is logged and reported as no leader (Mesos fails its detector instead); detection goes on.
 *
 * <p>As in Mesos, a suspended connection keeps the last known leader; after a reconnection, with the same or a
 * new session, and after the first connection (a listing sent before ZooKeeper was reachable may have failed),
 * the group is read again.
 *
 * <p>Threading: ZooKeeper work runs as Curator background operations whose results and watches re-enter one
 * thread named {@code zk-detector}, which owns the state, completes {@link #detect} futures and calls the
 * listener (which must not block). Public methods may be called from any thread. The caller owns the started
 * Curator client and closes it after this detector.
 */
public final class ZooKeeperMasterDetector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMasterDetector.class);

  private final CuratorFramework client;
  private final String path;
  private final Consumer<Optional<MasterInfo>> listener;
  private final Actor actor = new Actor("zk-detector", SystemClock.get());
  private final ConnectionStateListener connectionListener = (c, s) -> actor.execute(() -> connectionChanged(s));
  private final Watcher watcher = event -> actor.execute(this::refresh);
  private final List<Pending> pending = new ArrayList<>();

  private volatile Optional<MasterInfo> leader = Optional.empty();
  private String leaderNode; // the leader's child name, to skip re-reading an unchanged leader
  private long generation; // each refresh supersedes the answers of earlier ones
  private boolean started;
  private boolean closed;

  /** A detector that reports each change of leader to {@code listener}. */
  public ZooKeeperMasterDetector(CuratorFramework client, String path, Consumer<Optional<MasterInfo>> listener) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = Objects.requireNonNull(path, "path");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  public ZooKeeperMasterDetector(CuratorFramework client, String path) {
    this(client, path, leader -> { });
  }

  /** Starts watching the path. Idempotent. */
  public void start() {
    actor.execute(() -> {
      if (started || closed) {
        return;
      }
      started = true;
      client.getConnectionStateListenable().addListener(connectionListener);
      refresh();
    });
  }

  /** The last leader detected; empty before the first answer and when there is none. */
  public Optional<MasterInfo> leader() {
    return leader;
  }

  /**
   * As Mesos' {@code MasterDetector::detect}: completes with the leader as soon as it differs from
   * {@code previous} (at once if it already does).
   */
  public CompletableFuture<Optional<MasterInfo>> detect(Optional<MasterInfo> previous) {
    CompletableFuture<Optional<MasterInfo>> result = new CompletableFuture<>();
    actor.execute(() -> {
      if (!leader.equals(previous)) {
        result.complete(leader);
      } else {
        pending.add(new Pending(previous, result));
      }
    });
    return result;
  }

  private void refresh() {
    if (closed) {
      return;
    }
    long current = ++generation;
    background(() -> client.getChildren().usingWatcher(watcher)
        .inBackground((c, event) -> actor.execute(() -> listed(current, event)))
        .forPath(path));
  }

  private void listed(long current, CuratorEvent event) {
    if (closed || current != generation) {
      return;
    }
    if (event.getResultCode() == Code.NONODE.intValue()) {
      // No group yet: wait for the path to appear.
      background(() -> client.checkExists().usingWatcher(watcher)
          .inBackground((c, e) -> {
            if (e.getResultCode() == Code.OK.intValue()) {
              actor.execute(this::refresh);
            }
          })
          .forPath(path));
      update(null, Optional.empty());
      return;
    }
    if (event.getResultCode() != Code.OK.intValue()) {
      // The connection listener refreshes after a reconnection; meanwhile the last leader stands.
      LOG.warn("Failed to list {}: {}", path, Code.get(event.getResultCode()));
      return;
    }
    List<Znodes.Member> members = Znodes.members(event.getChildren());
    if (members.isEmpty()) {
      update(null, Optional.empty());
      return;
    }
    Znodes.Member lowest = members.get(0);
    if (lowest.name.equals(leaderNode)) {
      return;
    }
    background(() -> client.getData()
        .inBackground((c, e) -> actor.execute(() -> fetched(current, lowest, e)))
        .forPath(Znodes.child(path, lowest.name)));
  }

  private void fetched(long current, Znodes.Member member, CuratorEvent event) {
    if (closed || current != generation) {
      return;
    }
    if (event.getResultCode() == Code.NONODE.intValue()) {
      refresh(); // gone before we could read it
      return;
    }
    if (event.getResultCode() != Code.OK.intValue()) {
      LOG.warn("Failed to read {}: {}", member, Code.get(event.getResultCode()));
      return;
    }
    try {
      update(member.name, Optional.of(MasterInfos.decode(member.label, event.getData())));
    } catch (IllegalArgumentException e) {
      LOG.error("Leading member {} under {} is unreadable: {}", member, path, e.getMessage());
      update(member.name, Optional.empty());
    }
  }

  private void update(String node, Optional<MasterInfo> next) {
    leaderNode = node;
    if (next.equals(leader)) {
      return;
    }
    leader = next;
    if (next.isPresent()) {
      LOG.info("A new leading master {} ({}) is detected under {}", next.get().getPid(), node, path);
    } else {
      LOG.info("No leading master under {}", path);
    }
    List<Pending> waiting = new ArrayList<>(pending);
    pending.clear();
    for (Pending p : waiting) {
      if (!p.previous.equals(next)) {
        p.result.complete(next);
      } else {
        pending.add(p);
      }
    }
    listener.accept(next);
  }

  private void connectionChanged(ConnectionState connection) {
    LOG.info("ZooKeeper connection of the detector for {} is {}", path, connection);
    // CONNECTED too: Curator reports the first connection as CONNECTED, never RECONNECTED, and a listing sent
    // before ZooKeeper was reachable may have failed for good by then.
    if (connection == ConnectionState.CONNECTED || connection == ConnectionState.RECONNECTED) {
      refresh();
    }
  }

  private void background(ThrowingRunnable operation) {
    try {
      operation.run();
    } catch (Exception e) { // Curator's builders declare Exception; background operations report by callback
      LOG.error("ZooKeeper operation on {} failed", path, e);
    }
  }

  /** Stops watching; pending {@link #detect} futures are cancelled. Idempotent. */
  @Override
  public void close() {
    actor.execute(() -> {
      if (closed) {
        return;
      }
      closed = true;
      client.getConnectionStateListenable().removeListener(connectionListener);
      pending.forEach(p -> p.result.cancel(false));
      pending.clear();
    });
    actor.close();
    if (actor.inActorThread()) {
      return;
    }
    try {
      actor.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Pending {
    final Optional<MasterInfo> previous;
    final CompletableFuture<Optional<MasterInfo>> result;

    Pending(Optional<MasterInfo> previous, CompletableFuture<Optional<MasterInfo>> result) {
      this.previous = previous;
      this.result = result;
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
