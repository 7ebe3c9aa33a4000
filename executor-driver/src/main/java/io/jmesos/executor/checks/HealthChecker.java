package io.jmesos.executor.checks;

import io.jmesos.actor.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.apache.mesos.Protos.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's health check, as Mesos' {@code HealthChecker}: runs the check on its {@link CheckTiming} and judges
 * each result (a command's exit code 0, an HTTP status in [200, 400), a TCP connection made). Failures are
 * ignored until the first success while the grace period lasts; after it, every failure is reported unhealthy
 * with the count of consecutive failures, and the one that reaches {@code consecutive_failures} asks for the
 * task to be killed. A success is reported only when it is the first one or follows failures.
 *
 * <p>Threading: verdicts reach the callback on the home executor, which alone touches this object's state;
 * {@link #pause()} and {@link #stop()} may be called from any thread.
 */
public final class HealthChecker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final HealthCheck check;
  private final String taskId;
  private final String name;
  private final Consumer<HealthStatus> callback;
  private final Clock clock;
  private final Duration gracePeriod;
  private final long startNanos;
  private final CheckLoop loop;

  // On the home executor only.
  private int consecutiveFailures;
  private boolean initializing = true;

  private HealthChecker(HealthCheck check, String taskId, Probe probe, Clock clock, Executor home,
      Consumer<HealthStatus> callback) {
    this.check = check;
    this.taskId = taskId;
    this.name = check.getType().name() + " health check";
    this.callback = Objects.requireNonNull(callback, "callback");
    this.clock = clock;
    this.gracePeriod = CheckTiming.seconds(check.getGracePeriodSeconds());
    this.startNanos = clock.nanoTime();
    this.loop = new CheckLoop(name, taskId, CheckTiming.of(check), probe, clock, home, this::result);
  }

  /**
   * Validates the health check and starts checking, the first attempt after its delay.
   *
   * @throws IllegalArgumentException with Mesos' message when the health check is invalid
   */
  public static HealthChecker start(HealthCheck check, String taskId, Probe probe, Clock clock, Executor home,
      Consumer<HealthStatus> callback) {
    io.jmesos.protocol.CheckValidation.validateHealthCheck(check).ifPresent(error -> {
      throw new IllegalArgumentException(error);
    });
    HealthChecker checker = new HealthChecker(check, taskId, probe, clock, home, callback);
    LOG.info("Starting {} for task '{}'", checker.name, taskId);
    checker.loop.start();
    return checker;
  }

  /** Stops checking (while the task is being killed); a check under way is aborted. */
  public void pause() {
    loop.pause();
  }

  /** Stops for good. Idempotent. */
  public void stop() {
    loop.stop();
  }

  @Override
  public void close() {
    stop();
  }

  private void result(CheckStatusInfo status, String error) {
    String failure = error != null ? error : interpret(status);
    if (failure == null) {
      success();
    } else {
      LOG.warn("{} for task '{}' failed: {}", name, taskId, failure);
      failure();
    }
  }

  /** Why a performed check counts as failed, or null when it passed. */
  static String interpret(CheckStatusInfo status) {
    switch (status.getType()) {
      case COMMAND:
        return status.getCommand().getExitCode() == 0 ? null
            : "Command exited with status " + status.getCommand().getExitCode();
      case HTTP: {
        int code = status.getHttp().getStatusCode();
        return code >= 200 && code < 400 ? null : "Unexpected HTTP response code: " + code;
      }
      case TCP:
        return status.getTcp().getSucceeded() ? null : "TCP connection failed";
      default:
        return null;
    }
  }

  private void failure() {
    if (initializing && !gracePeriod.isZero()
        && Duration.ofNanos(clock.nanoTime() - startNanos).compareTo(gracePeriod) <= 0) {
      LOG.info("Ignoring failure of {} for task '{}': still in grace period", name, taskId);
      return;
    }
    consecutiveFailures++;
    LOG.warn("{} for task '{}' failed {} times consecutively", name, taskId, consecutiveFailures);
    boolean kill = consecutiveFailures >= check.getConsecutiveFailures();
    callback.accept(new HealthStatus(false, consecutiveFailures, kill));
  }

  private void success() {
    LOG.debug("{} for task '{}' passed", name, taskId);
    if (initializing || consecutiveFailures > 0) {
      callback.accept(new HealthStatus(true, 0, false));
      initializing = false;
    }
    consecutiveFailures = 0;
  }
}
