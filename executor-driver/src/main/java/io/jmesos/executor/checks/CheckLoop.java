package io.jmesos.executor.checks;

import io.jmesos.actor.Clock;
import io.jmesos.flags.Durations;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Probe} on a schedule, as Mesos' {@code CheckerProcess}: first after the delay, then one interval
 * after each result (never two attempts at once); an attempt past its timeout is aborted (its process tree
 * killed) and reported as an error. Results go to the listener on the home executor.
 *
 * <p>Threading: the public methods may be called from any thread; they, the timers and the probe's
 * completions all re-enter the home executor (an actor's mailbox, or one thread), which alone touches the
 * state. Nothing here blocks.
 */
final class CheckLoop {
  private static final Logger LOG = LoggerFactory.getLogger(CheckLoop.class);

  /** Receives each result: exactly one of {@code status} and {@code error} is non-null. */
  interface Listener {
    void result(CheckStatusInfo status, String error);
  }

  private final String name;
  private final String taskId;
  private final CheckTiming timing;
  private final Probe probe;
  private final Clock clock;
  private final Executor home;
  private final Listener listener;

  // On the home executor only.
  private boolean paused;
  private boolean stopped;
  private Clock.Timer next;
  private Clock.Timer deadline;
  private CompletableFuture<CheckStatusInfo> attempt;

  CheckLoop(String name, String taskId, CheckTiming timing, Probe probe, Clock clock, Executor home,
      Listener listener) {
    this.name = Objects.requireNonNull(name, "name");
    this.taskId = Objects.requireNonNull(taskId, "taskId");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.home = Objects.requireNonNull(home, "home");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Schedules the first attempt after the delay. */
  void start() {
    home.execute(() -> scheduleNext(timing.delay));
  }

  /** Stops checking until {@link #resume()}; an attempt under way is aborted and its result dropped. */
  void pause() {
    home.execute(() -> {
      if (!paused) {
        paused = true;
        quiesce();
      }
    });
  }

  /** Checks again, at once. */
  void resume() {
    home.execute(() -> {
      if (paused && !stopped) {
        paused = false;
        scheduleNext(java.time.Duration.ZERO);
      }
    });
  }

  /** Stops for good, aborting an attempt under way. Idempotent. */
  void stop() {
    home.execute(() -> {
      if (!stopped) {
        stopped = true;
        quiesce();
        LOG.info("Stopped {} for task '{}'", name, taskId);
      }
    });
  }

  private void quiesce() {
    cancel(next);
    next = null;
    cancel(deadline);
    deadline = null;
    CompletableFuture<CheckStatusInfo> running = attempt;
    attempt = null;
    if (running != null) {
      running.cancel(true);
    }
  }

  private void scheduleNext(java.time.Duration after) {
    if (paused || stopped) {
      return;
    }
    LOG.debug("Scheduling {} for task '{}' in {}", name, taskId, after);
    next = clock.schedule(after, home, this::perform);
  }

  private void perform() {
    next = null;
    if (paused || stopped || attempt != null) {
      return;
    }
    CompletableFuture<CheckStatusInfo> started;
    try {
      started = probe.start();
    } catch (RuntimeException e) {
      started = new CompletableFuture<>();
      started.completeExceptionally(e);
    }
    CompletableFuture<CheckStatusInfo> f = started;
    attempt = f;
    if (timing.timeout != null) {
      deadline = clock.schedule(timing.timeout, home, () -> timedOut(f));
    }
    f.whenComplete((status, error) -> home.execute(() -> completed(f, status, error)));
  }

  private void timedOut(CompletableFuture<CheckStatusInfo> f) {
    if (attempt != f) {
      return;
    }
    attempt = null;
    deadline = null;
    f.cancel(true);
    deliver(null, probe.subject() + " timed out after " + Durations.format(timing.timeout));
  }

  private void completed(CompletableFuture<CheckStatusInfo> f, CheckStatusInfo status, Throwable error) {
    if (attempt != f) {
      return; // Timed out, paused or stopped meanwhile.
    }
    attempt = null;
    cancel(deadline);
    deadline = null;
    deliver(status, error == null ? null : describe(error));
  }

  private void deliver(CheckStatusInfo status, String error) {
    try {
      listener.result(status, error);
    } finally {
      scheduleNext(timing.interval);
    }
  }

  private static String describe(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof ProbeException) {
      return e.getMessage();
    }
    if (e instanceof CancellationException) {
      return "Check was aborted";
    }
    return String.valueOf(e);
  }

  private static void cancel(Clock.Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
  }
}
