package io.jmesos.master.registry;

import io.jmesos.master.flags.MasterFlags;

/**
 * Chooses the registry's store from the master's flags, as Mesos: {@code --registry=in_memory} keeps it in
 * memory; {@code --registry=replicated_log} (the default) keeps it durably: in ZooKeeper with {@code --zk}
 * (jmesos' replacement for Mesos' replicated log), else in {@code --work_dir}.
 */
public final class RegistryStores {
  private RegistryStores() {}

  /** The store the flags ask for; throws {@link IllegalArgumentException} with Mesos' words when impossible. */
  public static RegistryStore create(MasterFlags flags) {
    if (flags.registry().equals("in_memory")) {
      return new InMemoryRegistryStore();
    }
    if (flags.zk() != null) {
      throw new IllegalArgumentException("The ZooKeeper registry store is not wired yet");
    }
    if (flags.workDir() == null) {
      throw new IllegalArgumentException("--work_dir needed for replicated log based registry");
    }
    throw new IllegalArgumentException("The work_dir registry store is not wired yet");
  }
}
