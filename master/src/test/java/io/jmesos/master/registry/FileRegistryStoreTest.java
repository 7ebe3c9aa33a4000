package io.jmesos.master.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.master.registry.RegistryStore.FencedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The registry in {@code <work_dir>/registry}: round trips, crashes, corruption, the lock and fencing. */
@Timeout(60)
class FileRegistryStoreTest {
  @TempDir
  Path workDir;

  private final List<FileRegistryStore> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(FileRegistryStore::close);
  }

  @Test
  void aMissingFileIsAnEmptyRegistry() throws Exception {
    assertThat(open().fetch()).isEqualTo(Registry.getDefaultInstance());
    assertThat(Files.isDirectory(workDir.resolve("registry"))).isTrue();
    assertThat(Files.exists(file())).isFalse();
  }

  @Test
  void registryRoundTripsAcrossRestarts() throws Exception {
    Registry registry = RegistryStoreAgents.registry(1_000);
    FileRegistryStore store = open();
    store.fetch();
    store.store(Registry.getDefaultInstance());
    store.store(registry);
    store.close();

    FileRegistryStore restarted = open();
    assertThat(restarted.fetch()).isEqualTo(registry);
    restarted.store(Registry.getDefaultInstance());
    assertThat(restarted.fetch()).isEqualTo(Registry.getDefaultInstance());
    assertThat(restarted.describe()).isEqualTo(file().toRealPath().toString());
  }

  @Test
  void aTemporaryFileLeftByACrashIsIgnored() throws Exception {
    Registry registry = RegistryStoreAgents.registry(10);
    FileRegistryStore store = open();
    store.fetch();
    store.store(registry);
    store.close();
    // A crash after writing the next registry's temporary file but before renaming it.
    Path temp = workDir.resolve("registry/registry.bin.tmp");
    Files.write(temp, new byte[] {'J', 'M', 'R'});

    FileRegistryStore restarted = open();
    assertThat(restarted.fetch()).isEqualTo(registry);
    assertThat(Files.exists(temp)).isFalse();
    restarted.store(Registry.getDefaultInstance());
    assertThat(restarted.fetch()).isEqualTo(Registry.getDefaultInstance());
  }

  @Test
  void aCrashBeforeTheFirstRenameLeavesAnEmptyRegistry() throws Exception {
    Files.createDirectories(workDir.resolve("registry"));
    Files.write(workDir.resolve("registry/registry.bin.tmp"), new byte[] {1, 2, 3});

    assertThat(open().fetch()).isEqualTo(Registry.getDefaultInstance());
  }

  @Test
  void aCorruptFileFailsTheFetchNamingIt() throws Exception {
    FileRegistryStore store = open();
    store.fetch();
    store.store(RegistryStoreAgents.registry(10));
    byte[] good = Files.readAllBytes(file());

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x40;
    assertCorrupt(flipped, "checksum does not match");
    assertCorrupt(Arrays.copyOf(good, good.length - 7), "truncated");
    byte[] foreign = good.clone();
    foreign[0] = 'X';
    assertCorrupt(foreign, "registry magic");
    assertCorrupt(new byte[0], "less than a header");
    assertCorrupt(FileRegistryEnvelope.encode(3, new byte[] {(byte) 0xff, 0x01}), "holds no Registry");
  }

  private void assertCorrupt(byte[] contents, String why) throws IOException {
    Files.write(file(), contents);
    FileRegistryStore store = stores.get(0);
    assertThatThrownBy(store::fetch)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Corrupt registry file " + file().toRealPath())
        .hasMessageContaining(why);
  }

  @Test
  void aSecondStoreOnTheSameWorkDirFails() throws Exception {
    FileRegistryStore first = open();

    assertThatThrownBy(this::open)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Another master holds " + workDir.resolve("registry/lock").toRealPath());

    first.fetch();
    first.store(RegistryStoreAgents.registry(5));
    first.close();
    first.close();
    assertThatThrownBy(first::fetch).isInstanceOf(IllegalStateException.class);
    assertThat(open().fetch()).isEqualTo(RegistryStoreAgents.registry(5));
    assertThat(Files.readString(workDir.resolve("registry/lock")))
        .isEqualTo("pid " + ProcessHandle.current().pid() + "\n");
  }

  @Test
  void aFileChangedBehindTheStoresBackFencesIt() throws Exception {
    FileRegistryStore store = open();
    store.fetch();
    store.store(RegistryStoreAgents.registry(5));
    store.fetch();

    // An operator restores another registry (or a master ignores the lock).
    byte[] other = FileRegistryEnvelope.encode(7, RegistryStoreAgents.registry(3).toByteArray());
    Files.write(file(), other);
    assertThatThrownBy(() -> store.store(RegistryStoreAgents.registry(6)))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("generation 7")
        .hasMessageContaining("last saw it generation 1");
    assertThat(Files.readAllBytes(file())).isEqualTo(other);

    assertThat(store.fetch()).isEqualTo(RegistryStoreAgents.registry(3));
    Files.delete(file());
    assertThatThrownBy(() -> store.store(RegistryStoreAgents.registry(6)))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("now absent");
  }

  @Test
  void aFileCreatedAfterAnEmptyFetchFencesTheStore() throws Exception {
    FileRegistryStore store = open();
    store.fetch();
    Files.write(file(), FileRegistryEnvelope.encode(1, new byte[0]));

    assertThatThrownBy(() -> store.store(RegistryStoreAgents.registry(6))).isInstanceOf(FencedException.class);
  }

  @Test
  void storeBeforeFetchIsAMistake() throws Exception {
    assertThatThrownBy(() -> open().store(Registry.getDefaultInstance()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be fetched");
  }

  private Path file() {
    return workDir.resolve("registry/registry.bin");
  }

  private FileRegistryStore open() throws IOException {
    FileRegistryStore store = new FileRegistryStore(workDir);
    stores.add(store);
    return store;
  }
}
