package io.jmesos.executor.checks;

/**
 * A health checker's verdict, as Mesos' {@code TaskHealthStatus}: whether the task is healthy, how many checks
 * failed in a row, and whether the task must now be killed. Immutable.
 */
public final class HealthStatus {
  private final boolean healthy;
  private final int consecutiveFailures;
  private final boolean killTask;

  HealthStatus(boolean healthy, int consecutiveFailures, boolean killTask) {
    this.healthy = healthy;
    this.consecutiveFailures = consecutiveFailures;
    this.killTask = killTask;
  }

  public boolean healthy() {
    return healthy;
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  public boolean killTask() {
    return killTask;
  }

  @Override
  public String toString() {
    return "healthy=" + healthy + " consecutive_failures=" + consecutiveFailures + " kill_task=" + killTask;
  }
}
