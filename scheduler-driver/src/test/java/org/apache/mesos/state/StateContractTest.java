package org.apache.mesos.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link State} does, after Mesos' {@code state_tests.cpp} (FetchAndStoreAndFetch,
 * FetchAndStoreAndStoreFailAndFetch, FetchAndStoreAndExpungeAndExpunge, Names, ...), plus racing writers.
 * Subclasses provide the state.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class StateContractTest {
  static final long WAIT_SECONDS = 20;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** A new, empty state; the subclass closes it after the test. */
  abstract State newState() throws Exception;

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  static <T> T get(Future<T> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  static String text(Variable variable) {
    return new String(variable.value(), UTF_8);
  }

  @Test
  void fetchOfAMissingVariableIsEmpty() throws Exception {
    assertThat(get(newState().fetch("slaves")).value()).isEmpty();
  }

  @Test
  void fetchStoreFetch() throws Exception {
    State state = newState();
    Variable variable = get(state.fetch("slaves")).mutate(bytes("localhost"));

    Variable stored = get(state.store(variable));

    assertThat(text(stored)).isEqualTo("localhost");
    assertThat(text(get(state.fetch("slaves")))).isEqualTo("localhost");
  }

  @Test
  void aStoredVariableCanBeStoredAgain() throws Exception {
    State state = newState();
    Variable stored = get(state.store(get(state.fetch("slaves")).mutate(bytes("one"))));

    Variable again = get(state.store(stored.mutate(bytes("two"))));

    assertThat(again).isNotNull();
    assertThat(text(get(state.fetch("slaves")))).isEqualTo("two");
  }

  @Test
  void aStaleVariableIsNotStored() throws Exception {
    State state = newState();
    Variable fetched = get(state.fetch("slaves"));
    assertThat(get(state.store(fetched.mutate(bytes("localhost1"))))).isNotNull();

    assertThat(get(state.store(fetched.mutate(bytes("localhost2"))))).isNull();

    assertThat(text(get(state.fetch("slaves")))).isEqualTo("localhost1");
  }

  @Test
  void storingTheSameVariableTwiceSucceedsOnce() throws Exception {
    State state = newState();
    Variable fetched = get(state.fetch("slaves")).mutate(bytes("x"));
    assertThat(get(state.store(fetched))).isNotNull();
    assertThat(get(state.store(fetched))).isNull();
  }

  @Test
  void mutateKeepsTheVariableAndCopiesValues() throws Exception {
    State state = newState();
    Variable fetched = get(state.fetch("slaves"));
    byte[] value = bytes("abc");

    Variable mutated = fetched.mutate(value);
    value[0] = 'x';
    mutated.value()[1] = 'x';

    assertThat(fetched.value()).isEmpty();
    assertThat(text(mutated)).isEqualTo("abc");
    assertThat(text(get(state.store(mutated)))).isEqualTo("abc");
  }

  @Test
  void expungeRemovesOnceThenTheVariableIsEmptyAgain() throws Exception {
    State state = newState();
    Variable stored = get(state.store(get(state.fetch("slaves")).mutate(bytes("localhost"))));

    assertThat(get(state.expunge(stored))).isTrue();
    assertThat(get(state.expunge(stored))).isFalse();

    assertThat(get(state.fetch("slaves")).value()).isEmpty();
  }

  @Test
  void aStaleVariableIsNotExpunged() throws Exception {
    State state = newState();
    Variable first = get(state.store(get(state.fetch("slaves")).mutate(bytes("one"))));
    get(state.store(first.mutate(bytes("two"))));

    assertThat(get(state.expunge(first))).isFalse();

    assertThat(text(get(state.fetch("slaves")))).isEqualTo("two");
  }

  @Test
  void namesListsTheStoredVariables() throws Exception {
    State state = newState();
    for (String name : List.of("a", "b", "c")) {
      get(state.store(get(state.fetch(name)).mutate(bytes(name))));
    }
    get(state.expunge(get(state.fetch("b"))));

    assertThat(list(get(state.names()))).containsExactlyInAnyOrder("a", "c");
  }

  @Test
  void futuresAreDoneAndNeverCancelled() throws Exception {
    State state = newState();
    Future<Variable> fetch = state.fetch("slaves");
    Variable fetched = get(fetch);

    assertThat(fetch.isDone()).isTrue();
    assertThat(fetch.cancel(true)).isFalse();
    assertThat(fetch.cancel(false)).isFalse();
    assertThat(fetch.isCancelled()).isFalse();
    assertThat(fetch.get()).isSameAs(fetched);
  }

  @Test
  void racingWritersOfOneVersionHaveOneWinnerPerRound() throws Exception {
    State state = newState();
    int writers = 8;
    for (int round = 0; round < 10; round++) {
      String prefix = round + "/";
      Variable fetched = get(state.fetch("race"));
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Variable>> stores = new ArrayList<>();
      for (int writer = 0; writer < writers; writer++) {
        Variable mine = fetched.mutate(bytes(prefix + writer));
        stores.add(threads.submit(() -> {
          start.await();
          return get(state.store(mine));
        }));
      }
      start.countDown();

      List<String> winners = new ArrayList<>();
      for (Future<Variable> store : stores) {
        Variable stored = store.get(WAIT_SECONDS, TimeUnit.SECONDS);
        if (stored != null) {
          winners.add(text(stored));
        }
      }
      assertThat(winners).hasSize(1).allMatch(value -> value.startsWith(prefix));
      assertThat(text(get(state.fetch("race")))).isEqualTo(winners.get(0));
    }
  }

  static List<String> list(Iterator<String> names) {
    List<String> out = new ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }
}
