package io.jmesos.master.registry;

import io.jmesos.internal.RegistryProtos.Registry;

/**
 * Where the registrar keeps the registry: in memory (tests), in {@code --work_dir}, or in ZooKeeper. A store is
 * used by one registrar at a time, from one thread (the registrar's worker), so implementations need no locking;
 * both calls block and may take long (the registrar bounds them with {@code --registry_fetch_timeout} and
 * {@code --registry_store_timeout}).
 *
 * <p>Fencing: {@link #store} succeeds only if nobody else stored since this store's last {@link #fetch} or
 * {@link #store}; otherwise it throws {@link FencedException} and the master stops leading (another master
 * has taken over the registry).
 */
public interface RegistryStore extends AutoCloseable {
  /** The stored registry, or {@link Registry#getDefaultInstance()} when nothing was ever stored. */
  Registry fetch() throws Exception;

  /** Replaces the stored registry with {@code registry}, durably, or throws (see the class comment). */
  void store(Registry registry) throws Exception;

  /** Where the registry lives, for logs and {@code /flags}-like output, e.g. {@code zk://host:2181/mesos}. */
  String describe();

  /** False for a store whose calls return at once (in memory): the registrar then calls it inline. */
  default boolean blocking() {
    return true;
  }

  @Override
  default void close() {}

  /** Another writer stored the registry since this store last read or wrote it. */
  final class FencedException extends Exception {
    private static final long serialVersionUID = 1L;

    public FencedException(String message) {
      super(message);
    }
  }
}
