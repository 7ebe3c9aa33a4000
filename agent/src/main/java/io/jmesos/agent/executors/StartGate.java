package io.jmesos.agent.executors;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how many built-in command executors are starting at once (forked, not yet subscribed, for 10 s at
 * most); executors a framework brings are never held back, since nothing says they ever subscribe.
 * Starting a command executor is CPU-bound (a JVM: class loading, protobuf descriptors), so a burst of launches
 * all started together share the CPU and all subscribe at about the same, late, time; started a few at a
 * time they subscribe one after another at the same overall rate, and each waits less. Launches beyond the
 * bound wait in arrival order. Mesos has no such bound; nothing observable changes but the timing.
 *
 * <p>Not thread-safe: used on the agent's actor.
 */
final class StartGate {
  private static final Logger LOG = LoggerFactory.getLogger(StartGate.class);

  private final int max;
  private final Set<ExecutorState> starting = new HashSet<>();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

  private static final class Waiting {
    final ExecutorState executor;
    final Runnable start;

    Waiting(ExecutorState executor, Runnable start) {
      this.executor = executor;
      this.start = start;
    }
  }

  StartGate(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive: " + max);
    }
    this.max = max;
  }

  /** The default bound: twice the processors, at least 4. */
  static int defaultMax() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /** Runs {@code start} now if fewer than the bound are starting, else once enough have finished. */
  void submit(ExecutorState executor, Runnable start) {
    if (starting.size() < max) {
      starting.add(executor);
      start.run();
    } else {
      if (waiting.isEmpty()) {
        LOG.debug("{} executors starting; queueing the start of {}", starting.size(), executor);
      }
      waiting.add(new Waiting(executor, start));
    }
  }

  /** The executor has subscribed, failed to launch or exited: it no longer counts as starting. */
  void done(ExecutorState executor) {
    if (!starting.remove(executor)) {
      return;
    }
    Waiting next = waiting.poll();
    if (next != null) {
      starting.add(next.executor);
      next.start.run();
    }
  }

  /**
   * Takes a start that still waits for its turn out of the queue (its executor was destroyed before it
   * started: it never will); true when it was waiting.
   */
  boolean withdraw(ExecutorState executor) {
    return waiting.removeIf(w -> w.executor == executor);
  }

  int starting() {
    return starting.size();
  }

  int waiting() {
    return waiting.size();
  }
}
