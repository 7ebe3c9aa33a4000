package io.jmesos.master.registry;

import io.jmesos.detector.ZooKeeperUrl;
import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.zookeeper.ZooKeeperClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;

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
      ZooKeeperUrl url = ZooKeeperUrl.parseForDetection(flags.zk());
      CuratorFramework client = ZooKeeperClients.newClient(url, flags.zkSessionTimeout());
      client.start();
      return new Owning(new ZooKeeperRegistryStore(client, url.path()), client);
    }
    if (flags.workDir() == null) {
      throw new IllegalArgumentException("--work_dir needed for replicated log based registry");
    }
    try {
      return new FileRegistryStore(Path.of(flags.workDir()));
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to open the registry in " + flags.workDir() + ": " + e.getMessage(), e);
    }
  }

  /** A ZooKeeper store together with the client it alone uses: closing one closes both. */
  private static final class Owning implements RegistryStore {
    private final RegistryStore store;
    private final CuratorFramework client;

    Owning(RegistryStore store, CuratorFramework client) {
      this.store = store;
      this.client = client;
    }

    @Override
    public Registry fetch() throws Exception {
      return store.fetch();
    }

    @Override
    public void store(Registry registry) throws Exception {
      store.store(registry);
    }

    @Override
    public String describe() {
      return store.describe();
    }

    @Override
    public void close() {
      store.close();
      client.close();
    }
  }
}
