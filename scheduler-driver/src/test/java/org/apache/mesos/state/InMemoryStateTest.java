package org.apache.mesos.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link InMemoryState}: the contract, and where Mesos' Java in-memory state differs from its storages. */
class InMemoryStateTest extends StateContractTest {
  @Override
  State newState() {
    return new InMemoryState();
  }

  @Test
  void aFetchedVariableIsNamedBeforeItIsStored() throws Exception {
    State state = newState();
    get(state.fetch("fetched"));

    assertThat(list(get(state.names()))).containsExactly("fetched");
  }

  @Test
  void anExpungedVariableCannotBeStoredAgain() throws Exception {
    State state = newState();
    Variable stored = get(state.store(get(state.fetch("slaves")).mutate(bytes("one"))));
    assertThat(get(state.expunge(stored))).isTrue();

    assertThat(get(state.store(stored.mutate(bytes("two"))))).isNull();

    assertThat(get(state.fetch("slaves")).value()).isEmpty();
  }

  @Test
  void storingAnUnmutatedVariableKeepsItsValue() throws Exception {
    State state = newState();
    Variable stored = get(state.store(get(state.fetch("slaves")).mutate(bytes("one"))));

    Variable again = get(state.store(stored));

    assertThat(text(again)).isEqualTo("one");
    assertThat(text(get(state.fetch("slaves")))).isEqualTo("one");
  }

  @Test
  void futuresAreDoneWhenReturned() {
    State state = newState();
    assertThat(state.fetch("slaves").isDone()).isTrue();
    assertThat(state.names().isDone()).isTrue();
  }
}
