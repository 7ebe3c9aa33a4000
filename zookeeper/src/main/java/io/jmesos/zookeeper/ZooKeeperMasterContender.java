package io.jmesos.zookeeper;

import io.jmesos.actor.Actor;
import io.jmesos.actor.SystemClock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contends for leadership among masters the way Mesos' {@code ZooKeeperMasterContender} does: it creates the
 * ephemeral sequential znode {@code <path>/json.info_NNNNNNNNNN} holding the master's {@code MasterInfo} as Mesos
 * JSON, and leads while that znode has the lowest sequence number among the group's members (any label, so that
 * Mesos masters sharing the path are ordered with ours). ACLs come from the client's {@code ACLProvider} (see
 * {@link ZooKeeperClients#newClient}).
 *
 * <p>Connection states: SUSPENDED while leading reports {@link Listener#suspended()} at once, since another
 * master may be elected before we hear of it; a RECONNECTED session that still holds our znode re-checks, and
 * reports {@link Listener#elected()} again if it still leads. LOST (the session expired), our znode deleted, or a
 * failed ZooKeeper operation end the candidacy for good with {@link Listener#lost(String)}: as in Mesos, the
 * master then exits rather than contend again with state it may no longer own.
 *
 * <p>Threading: ZooKeeper work runs as Curator background operations; their results, watches and connection
 * changes re-enter one thread named {@code zk-contender}, which owns the state and calls the listener. The
 * listener must not block (the master re-enters its own mailbox). {@link #start()} and {@link #close()} may be
 * called from any thread. The caller owns the started Curator client, gives it to one contender only (its
 * session tells our znodes from others') and closes it after this contender.
 */
public final class ZooKeeperMasterContender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMasterContender.class);

  /** What the master hears about its candidacy, on the contender's thread. */
  public interface Listener {
    /** This master leads now. */
    void elected();

    /** The ZooKeeper connection is suspended while leading: stop acting as the leader now. */
    void suspended();

    /** The candidacy is over and will not come back; {@code reason} says why. */
    void lost(String reason);
  }

  /** The candidacy's life cycle; a transition not listed in {@link #to} is a bug and fails loudly. */
  public enum State { NEW, CONTENDING, LEADING, SUSPENDED, LOST, CLOSED }

  private final CuratorFramework client;
  private final String path;
  private final byte[] data;
  private final Listener listener;
  private final Actor actor = new Actor("zk-contender", SystemClock.get());
  private final ConnectionStateListener connectionListener = (c, s) -> actor.execute(() -> connectionChanged(s));
  private final Watcher ownWatcher = event -> actor.execute(() -> ownChanged(event));
  private final Watcher predecessorWatcher = event -> actor.execute(this::check);

  private volatile State state = State.NEW;
  private volatile String ownNode; // full path once created; written on the actor only

  public ZooKeeperMasterContender(CuratorFramework client, String path, MasterInfo info, Listener listener) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = Objects.requireNonNull(path, "path");
    this.data = MasterInfos.encode(Objects.requireNonNull(info, "info"));
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Starts contending; a second call (even while the first is pending) does nothing, as Mesos' contend. */
  public void start() {
    actor.execute(() -> {
      if (state != State.NEW) {
        LOG.debug("Contender for {} already started ({})", path, state);
        return;
      }
      to(State.CONTENDING);
      client.getConnectionStateListenable().addListener(connectionListener);
      background(() -> client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
          .inBackground((c, event) -> actor.execute(() -> created(event)))
          .forPath(Znodes.child(path, Znodes.JSON_LABEL + "_"), data));
    });
  }

  public State state() {
    return state;
  }

  /** The znode this contender created, once created. */
  public Optional<String> znode() {
    return Optional.ofNullable(ownNode);
  }

  private void created(CuratorEvent event) {
    if (isOver()) {
      deleteOwn(event.getResultCode() == Code.OK.intValue() ? event.getName() : null);
      return;
    }
    if (event.getResultCode() != Code.OK.intValue()) {
      lose("Failed to create the znode under " + path + ": " + Code.get(event.getResultCode()));
      return;
    }
    ownNode = event.getName();
    LOG.info("Contending for leadership under {} with znode {}", path, ownNode);
    watchOwn();
    removeDuplicates();
    check();
  }

  /**
   * Without Curator's protection prefix, a create retried after a connection loss may have created a first
   * znode we never heard of: an ephemeral {@code json.info_} member owned by our own session that would lead,
   * or stand before us, until the session ends. Deletes such members (one contender per client session).
   */
  private void removeDuplicates() {
    long session;
    try {
      session = client.getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) { // Curator declares Exception; without a ZooKeeper handle there is nothing to check
      LOG.warn("Cannot check {} for duplicate znodes: {}", path, e.toString());
      return;
    }
    String own = Znodes.basename(ownNode);
    background(() -> client.getChildren()
        .inBackground((c, event) -> {
          if (event.getResultCode() != Code.OK.intValue()) {
            return;
          }
          for (Znodes.Member member : Znodes.members(event.getChildren())) {
            if (member.name.equals(own) || !member.label.equals(Optional.of(Znodes.JSON_LABEL))) {
              continue;
            }
            String node = Znodes.child(path, member.name);
            c.checkExists().inBackground((c2, e) -> {
              if (e.getStat() != null && e.getStat().getEphemeralOwner() == session) {
                LOG.warn("Deleting duplicate znode {} of our own session", node);
                c2.delete().guaranteed().inBackground().forPath(node);
              }
            }).forPath(node);
          }
        })
        .forPath(path));
  }

  private void watchOwn() {
    background(() -> client.checkExists().usingWatcher(ownWatcher)
        .inBackground((c, event) -> actor.execute(() -> {
          if (event.getResultCode() == Code.NONODE.intValue()) {
            lose("Znode " + ownNode + " was deleted");
          }
        }))
        .forPath(ownNode));
  }

  private void ownChanged(WatchedEvent event) {
    if (isOver()) {
      return;
    }
    if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
      lose("Znode " + ownNode + " was deleted");
    } else if (event.getType() != Watcher.Event.EventType.None) {
      watchOwn(); // a data change: watches are one-shot
    }
  }

  /** Lists the group: lead when our znode is the lowest, else watch the member just before ours. */
  private void check() {
    if (ownNode == null || state != State.CONTENDING && state != State.LEADING) {
      return;
    }
    background(() -> client.getChildren()
        .inBackground((c, event) -> actor.execute(() -> checked(event)))
        .forPath(path));
  }

  private void checked(CuratorEvent event) {
    if (ownNode == null || state != State.CONTENDING && state != State.LEADING) {
      return;
    }
    if (event.getResultCode() != Code.OK.intValue()) {
      lose("Failed to list " + path + ": " + Code.get(event.getResultCode()));
      return;
    }
    List<Znodes.Member> members = Znodes.members(event.getChildren());
    String own = Znodes.basename(ownNode);
    int index = -1;
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).name.equals(own)) {
        index = i;
      }
    }
    if (index < 0) {
      lose("Znode " + ownNode + " was deleted");
    } else if (index == 0) {
      if (state == State.CONTENDING) {
        to(State.LEADING);
        LOG.info("Elected as the leading master with znode {}", ownNode);
        listener.elected();
      }
    } else {
      String predecessor = Znodes.child(path, members.get(index - 1).name);
      LOG.debug("Znode {} waits for {}", ownNode, predecessor);
      background(() -> client.checkExists().usingWatcher(predecessorWatcher)
          .inBackground((c, e) -> {
            if (e.getResultCode() != Code.OK.intValue()) {
              actor.execute(this::check); // gone already, or an error that the next listing reports
            }
          })
          .forPath(predecessor));
    }
  }

  private void connectionChanged(ConnectionState connection) {
    LOG.info("ZooKeeper connection of the contender for {} is {}", path, connection);
    switch (connection) {
      case SUSPENDED:
        if (state == State.LEADING) {
          to(State.SUSPENDED);
          LOG.warn("Stopping to act as the leader: the ZooKeeper connection is suspended");
          listener.suspended();
        } else if (state == State.CONTENDING) {
          to(State.SUSPENDED);
        }
        break;
      case RECONNECTED:
        if (state == State.SUSPENDED) {
          to(State.CONTENDING);
          check(); // our znode may be gone with an expired session
        }
        break;
      case LOST:
        lose("The ZooKeeper session was lost");
        break;
      default:
        break;
    }
  }

  private void lose(String reason) {
    if (isOver()) {
      return;
    }
    to(State.LOST);
    LOG.warn("Lost the candidacy under {}: {}", path, reason);
    deleteOwn(ownNode);
    listener.lost(reason);
  }

  private boolean isOver() {
    return state == State.LOST || state == State.CLOSED;
  }

  private void deleteOwn(String node) {
    if (node != null) {
      background(() -> client.delete().guaranteed().inBackground().forPath(node));
    }
  }

  private void background(ThrowingRunnable operation) {
    try {
      operation.run();
    } catch (Exception e) { // Curator's builders declare Exception; background operations report by callback
      lose("ZooKeeper operation failed: " + e);
    }
  }

  private void to(State next) {
    boolean legal;
    switch (next) {
      case CONTENDING:
        legal = state == State.NEW || state == State.SUSPENDED;
        break;
      case LEADING:
        legal = state == State.CONTENDING;
        break;
      case SUSPENDED:
        legal = state == State.CONTENDING || state == State.LEADING;
        break;
      case LOST:
        legal = state != State.CLOSED && state != State.LOST;
        break;
      case CLOSED:
        legal = state != State.CLOSED;
        break;
      default:
        legal = false;
    }
    if (!legal) {
      throw new IllegalStateException("Illegal contender transition " + state + " -> " + next);
    }
    state = next;
  }

  /** Withdraws: deletes our znode (in the background, retried by Curator) and stops. Idempotent. */
  @Override
  public void close() {
    actor.execute(() -> {
      if (state == State.CLOSED) {
        return;
      }
      to(State.CLOSED);
      client.getConnectionStateListenable().removeListener(connectionListener);
      deleteOwn(ownNode);
    });
    actor.close();
    if (actor.inActorThread()) {
      return; // closed by the listener: the queued work runs when it returns
    }
    try {
      actor.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
