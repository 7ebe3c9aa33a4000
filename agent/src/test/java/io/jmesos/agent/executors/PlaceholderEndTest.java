package io.jmesos.agent.executors;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The default executor's placeholder ends even when its first SIGTERMs are lost. */
class PlaceholderEndTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final ExecutorService blocking = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    blocking.shutdownNow();
  }

  /** A process that exits with status 15 at its {@code heededTerm}-th SIGTERM (0: never) and 9 at SIGKILL. */
  private static final class Placeholder implements LaunchedProcess {
    final List<Signal> signals = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    final int heededTerm;

    Placeholder(int heededTerm) {
      this.heededTerm = heededTerm;
    }

    @Override
    public long pid() {
      return 42;
    }

    @Override
    public CompletableFuture<Integer> onExit() {
      return exit;
    }

    @Override
    public void kill(Signal signal) {
      signals.add(signal);
      if (signal == Signal.KILL) {
        exit.complete(9);
      } else if (signals.size() == heededTerm) {
        exit.complete(15);
      }
    }

    @Override
    public void signalFirst(Signal signal) {
      kill(signal);
    }
  }

  @Test
  void aLostSigtermIsSentAgainUntilThePlaceholderExits() throws Exception {
    Placeholder placeholder = new Placeholder(3);
    AtomicBoolean killed = new AtomicBoolean();

    AtomicInteger retries = new AtomicInteger();
    Executor counting = task -> blocking.execute(() -> {
      task.run();
      retries.incrementAndGet();
    });

    EmbeddedDefaultExecutor.endPlaceholder(placeholder, counting, Duration.ofMillis(10), 5, () -> killed.set(true));

    assertThat(placeholder.exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(15);
    // The retry after the third TERM finds it exited and sends nothing more.
    Awaitility.await().atMost(WAIT).until(() -> retries.get() == 3);
    assertThat(placeholder.signals).containsExactly(Signal.TERM, Signal.TERM, Signal.TERM);
    assertThat(killed).isFalse();
  }

  @Test
  void aPlaceholderThatOutlivesEverySigtermIsKilled() throws Exception {
    Placeholder placeholder = new Placeholder(0);
    AtomicBoolean killed = new AtomicBoolean();

    EmbeddedDefaultExecutor.endPlaceholder(placeholder, blocking, Duration.ofMillis(5), 3, () -> killed.set(true));

    assertThat(placeholder.exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(9);
    Awaitility.await().atMost(WAIT).untilTrue(killed);
    assertThat(placeholder.signals).containsExactly(Signal.TERM, Signal.TERM, Signal.TERM, Signal.KILL);
  }

  @Test
  void anExitedPlaceholderGetsNoSignal() {
    Placeholder placeholder = new Placeholder(1);
    placeholder.exit.complete(0);

    EmbeddedDefaultExecutor.endPlaceholder(placeholder, blocking, Duration.ofMillis(5), 3, () -> { });

    assertThat(placeholder.signals).isEmpty();
  }
}
