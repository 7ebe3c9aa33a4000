package io.jmesos.detector;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.MasterInfo;

/**
 * Finds the leading master, with Mesos' {@code MasterDetector} contract: {@link #detect} completes with the
 * leader (or none) as soon as it differs from what the caller knows. A {@link StandaloneMasterDetector} knows one
 * master given up front (or appointed later); the ZooKeeper-backed detector lives in {@code jmesos-zookeeper}
 * ({@code io.jmesos.zookeeper.MasterDetectors}), so that this module stays free of Curator.
 *
 * <p>Threading: implementations are thread-safe; futures complete on the detector's own thread (or the caller's),
 * so callers re-enter their actor before touching their state ({@link LeaderWatch} does).
 */
public interface MasterDetector extends AutoCloseable {
  /**
   * Completes with the leading master, or empty when there is none, once that differs from {@code previous}
   * (at once if it already does). Cancelled when the detector closes.
   */
  CompletableFuture<Optional<MasterInfo>> detect(Optional<MasterInfo> previous);

  /** Stops detecting; pending {@link #detect} futures are cancelled. Idempotent. */
  @Override
  void close();

  /** A detector that knows one master, at {@code address}, for good. */
  static StandaloneMasterDetector standalone(InetSocketAddress address) {
    return new StandaloneMasterDetector(Optional.of(MasterEndpoints.standaloneInfo(address)));
  }
}
