package org.apache.mesos.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.internal.state.StateProtos.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LevelDBState}: the contract, persistence across instances, the directory's lock and its files. */
class LevelDBStateTest extends StateContractTest {
  @TempDir
  Path temp;
  private final List<LevelDBState> states = new ArrayList<>();
  private int count;

  @Override
  State newState() {
    return open(temp.resolve("state-" + ++count));
  }

  private LevelDBState open(Path directory) {
    LevelDBState state = new LevelDBState(directory.toString());
    states.add(state);
    return state;
  }

  @AfterEach
  void closeStates() {
    states.forEach(LevelDBState::close);
  }

  @Test
  void variablesPersistAcrossInstances() throws Exception {
    Path directory = temp.resolve("nested/state");
    LevelDBState first = open(directory);
    Variable stored = get(first.store(get(first.fetch("framework-id")).mutate(bytes("fw-1"))));
    get(first.store(get(first.fetch("other")).mutate(bytes("x"))));
    first.close();

    LevelDBState second = open(directory);

    assertThat(text(get(second.fetch("framework-id")))).isEqualTo("fw-1");
    assertThat(list(get(second.names()))).containsExactly("framework-id", "other");
    // The version survives too: the variable stored through the first instance is still current.
    assertThat(get(second.store(stored.mutate(bytes("fw-2"))))).isNotNull();
  }

  @Test
  void oneStateAtATimeUsesADirectory() throws Exception {
    Path directory = temp.resolve("locked");
    LevelDBState first = open(directory);
    get(first.fetch("x"));

    LevelDBState second = open(directory);

    assertThatThrownBy(() -> get(second.fetch("x")))
        .isInstanceOf(ExecutionException.class)
        .hasMessageStartingWith("IO error: lock ")
        .hasMessageEndingWith(": already held by process");
    first.close();
    assertThat(get(open(directory).fetch("x")).value()).isEmpty();
  }

  @Test
  void aLevelDbDatabaseIsRefusedRatherThanShownEmpty() throws Exception {
    Path directory = Files.createDirectories(temp.resolve("leveldb"));
    Files.write(directory.resolve("CURRENT"), bytes("MANIFEST-000002\n"));

    State state = open(directory);

    assertThatThrownBy(() -> get(state.names()))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("holds a LevelDB database");
  }

  @Test
  void anExpungedVariableCanBeStoredAgain() throws Exception {
    State state = newState();
    Variable stored = get(state.store(get(state.fetch("slaves")).mutate(bytes("one"))));
    assertThat(get(state.expunge(stored))).isTrue();

    assertThat(get(state.store(stored.mutate(bytes("two"))))).isNotNull();

    assertThat(text(get(state.fetch("slaves")))).isEqualTo("two");
  }

  @Test
  void eachVariableIsOneFileHoldingItsEntry() throws Exception {
    Path directory = temp.resolve("files");
    State state = open(directory);
    Variable stored = get(state.store(get(state.fetch("a/b: any name")).mutate(bytes("value"))));

    List<Path> entries = files(directory, ".entry");
    assertThat(entries).hasSize(1);
    Entry entry = Entry.parseFrom(Files.readAllBytes(entries.get(0)));
    assertThat(entry.getName()).isEqualTo("a/b: any name");
    assertThat(entry.getValue().toStringUtf8()).isEqualTo("value");
    assertThat(entry.getUuid().size()).isEqualTo(16);
    assertThat(entry).isEqualTo(stored.entry());
    assertThat(files(directory, ".tmp")).isEmpty();
  }

  @Test
  void temporaryFilesLeftByACrashAreRemoved() throws Exception {
    Path directory = Files.createDirectories(temp.resolve("crashed"));
    Files.write(directory.resolve("0123.entry.tmp"), bytes("half written"));

    assertThat(get(open(directory).names()).hasNext()).isFalse();

    assertThat(files(directory, ".tmp")).isEmpty();
  }

  private static List<Path> files(Path directory, String suffix) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.getFileName().toString().endsWith(suffix)).collect(Collectors.toList());
    }
  }
}
