package io.jmesos.master.election;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A master without {@code --zk} leads alone, at once (Mesos' {@code StandaloneMasterContender}). {@link #start}
 * returns once the master has been elected on its actor, so that its first requests find it leading.
 */
final class StandaloneElection implements Election {
  @Override
  public void start(Candidacy candidacy) throws InterruptedException {
    try {
      candidacy.actor().call(() -> {
        candidacy.elected();
        return null;
      }).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Master failed to become the leader", e);
    }
  }

  @Override
  public void close() {}
}
