package io.jmesos.master.election;

import io.jmesos.actor.Actor;
import io.jmesos.detector.ZooKeeperUrl;
import io.jmesos.zookeeper.ZooKeeperMasterContender;
import io.jmesos.zookeeper.ZooKeeperMasterDetector;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership through ZooKeeper ({@code --zk}), as Mesos' master: one Curator client (made by {@link
 * Election.ClientFactory}, session timeout {@code --zk_session_timeout}), a {@link ZooKeeperMasterContender}
 * publishing the master's {@code MasterInfo} under the URL's path, and a {@link ZooKeeperMasterDetector}
 * watching who leads. Their reports re-enter the master's actor and go to the {@link Candidacy}; a follower
 * whose candidacy is lost contends again with a new contender.
 *
 * <p>Threading: {@link #start} and {@link #close} from any thread; contending again happens on the master's
 * actor. ZooKeeper work runs on the contender's and detector's own threads and Curator's.
 */
final class ZooKeeperElection implements Election {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperElection.class);

  private final CuratorFramework client;
  private final ZooKeeperUrl url;
  private ZooKeeperMasterDetector detector;
  private ZooKeeperMasterContender contender;
  private Candidacy candidacy;
  private boolean closed;

  /** Owns {@code client} (not started yet) from now on. */
  ZooKeeperElection(CuratorFramework client, ZooKeeperUrl url) {
    this.client = Objects.requireNonNull(client, "client");
    this.url = Objects.requireNonNull(url, "url");
  }

  @Override
  public synchronized void start(Candidacy candidacy) {
    if (this.candidacy != null || closed) {
      throw new IllegalStateException("Election already started or closed");
    }
    this.candidacy = Objects.requireNonNull(candidacy, "candidacy");
    Actor actor = candidacy.actor();
    client.start();
    detector = new ZooKeeperMasterDetector(client, url.path(),
        leader -> actor.execute(() -> candidacy.detected(leader)));
    detector.start();
    LOG.info("Master {} contends for leadership through ZooKeeper {}", candidacy.self().getId(), url);
    contend();
  }

  private synchronized void contend() {
    if (closed) {
      return;
    }
    Actor actor = candidacy.actor();
    ZooKeeperMasterContender next = new ZooKeeperMasterContender(client, url.path(), candidacy.self(),
        new ZooKeeperMasterContender.Listener() {
          @Override
          public void elected() {
            actor.execute(candidacy::elected);
          }

          @Override
          public void suspended() {
            actor.execute(candidacy::suspended);
          }

          @Override
          public void lost(String reason) {
            actor.execute(() -> {
              if (candidacy.lost(reason)) {
                contendAgain();
              }
            });
          }
        });
    contender = next;
    next.start();
  }

  /** Mesos' follower after a lost candidacy: a new contender (the old one is over), same client. */
  private synchronized void contendAgain() {
    if (closed) {
      return;
    }
    contender.close();
    contend();
  }

  /** Withdraws (our znode goes with the client's session) and stops detecting. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (contender != null) {
      contender.close();
    }
    if (detector != null) {
      detector.close();
    }
    client.close();
  }
}
