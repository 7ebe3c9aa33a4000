package org.apache.mesos.state;

import static org.apache.mesos.state.StateContractTest.bytes;
import static org.apache.mesos.state.StateContractTest.get;
import static org.apache.mesos.state.StateContractTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ZooKeeperState} while its ZooKeeper is down (each test has a server of its own to stop): operations
 * wait for it to come back, within the timeout, then fail; discards and {@code get(timeout)} as Mesos' futures.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZooKeeperStateFailureTest {
  private static final String ZNODE = "/failures/state";
  private TestingServer server;
  private ZooKeeperState state;

  @BeforeEach
  void startZooKeeper() throws Exception {
    server = new TestingServer(true);
  }

  @AfterEach
  void stop() throws Exception {
    if (state != null) {
      state.close();
    }
    server.close();
  }

  private ZooKeeperState open(long timeoutSeconds) {
    state = new ZooKeeperState(server.getConnectString(), timeoutSeconds, TimeUnit.SECONDS, ZNODE);
    return state;
  }

  @Test
  void anOperationFailsWhenZooKeeperStaysUnreachableForTheTimeout() throws Exception {
    server.stop();
    open(1);

    long start = System.nanoTime();
    assertThatThrownBy(() -> get(state.fetch("x")))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("ZooKeeper");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

    server.restart();
    // The same state connects once ZooKeeper is back: polled, each attempt bounded by the 1 s timeout.
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> get(state.fetch("x")).value().length == 0);
  }

  @Test
  void anOperationIsRetriedWhenZooKeeperComesBackInTime() throws Exception {
    open(30);
    Variable stored = get(state.store(get(state.fetch("x")).mutate(bytes("one"))));
    server.stop();

    Future<Variable> store = state.store(stored.mutate(bytes("two")));
    assertThatThrownBy(() -> store.get(200, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class)
        .hasMessage("Failed to wait for future within timeout");
    assertThat(store.isDone()).isFalse();
    server.restart();

    assertThat(text(get(store))).isEqualTo("two");
    assertThat(text(get(state.fetch("x")))).isEqualTo("two");
  }

  @Test
  void aDiscardedOperationThatHasNotStartedIsSkipped() throws Exception {
    open(30);
    Variable stored = get(state.store(get(state.fetch("x")).mutate(bytes("one"))));
    server.stop();
    Future<Variable> waiting = state.fetch("x"); // Holds the storage's thread until ZooKeeper is back.
    Future<Variable> queued = state.store(stored.mutate(bytes("two")));

    assertThat(queued.cancel(false)).isFalse();
    assertThat(queued.isDone()).isFalse();
    assertThat(queued.cancel(true)).isFalse();
    assertThat(queued.isDone()).isTrue();
    assertThat(queued.isCancelled()).isFalse();
    assertThatThrownBy(queued::get).isInstanceOf(CancellationException.class).hasMessage("Future was discarded");
    server.restart();

    assertThat(text(get(waiting))).isEqualTo("one");
    // The discarded store never ran: the version is still the one stored first.
    assertThat(get(state.store(stored.mutate(bytes("three"))))).isNotNull();
  }

  @Test
  void closingFailsPendingOperations() throws Exception {
    open(30);
    get(state.store(get(state.fetch("x")).mutate(bytes("one"))));
    server.stop();
    Future<Variable> running = state.fetch("x");
    Future<Boolean> queued = state.expunge(get(new InMemoryState().fetch("x")));

    state.close();

    assertThatThrownBy(() -> get(running)).isInstanceOf(ExecutionException.class)
        .hasMessage("No longer managing storage");
    assertThatThrownBy(() -> get(queued)).isInstanceOf(ExecutionException.class)
        .hasMessage("No longer managing storage");
  }
}
