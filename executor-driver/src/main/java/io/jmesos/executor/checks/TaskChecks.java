package io.jmesos.executor.checks;

import io.jmesos.actor.Clock;
import io.jmesos.protocol.CheckValidation;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskStatus;

/**
 * The check and the health check of one command task, and the status updates they lead to, as Mesos' command
 * executor ({@code src/launcher/executor.cpp}) sends them: a health verdict or a changed check status is the
 * last status update sent again (same state and fields, a new uuid) with {@code healthy} or
 * {@code check_status} set and the reason {@code REASON_TASK_HEALTH_CHECK_STATUS_UPDATED} or
 * {@code REASON_TASK_CHECK_STATUS_UPDATED}; every update of a task with a check carries a {@code check_status}.
 *
 * <p>Threading: as {@link Checker} and {@link HealthChecker}; the static helpers are pure.
 */
public final class TaskChecks {
  private final Checker checker;
  private final HealthChecker healthChecker;

  private TaskChecks(Checker checker, HealthChecker healthChecker) {
    this.checker = checker;
    this.healthChecker = healthChecker;
  }

  /**
   * Starts the task's check and health check, whichever it has. One that is invalid is not started: its error
   * goes to {@code onError} (Mesos logs it and runs the task unchecked).
   */
  public static TaskChecks start(TaskInfo task, LocalProbes probes, Clock clock, Executor home,
      Consumer<HealthStatus> onHealth, Consumer<CheckStatusInfo> onCheck, Consumer<String> onError) {
    String taskId = task.getTaskId().getValue();
    Checker checker = null;
    if (task.hasCheck()) {
      try {
        checker = Checker.start(task.getCheck(), taskId, probes.forCheck(task.getCheck()), clock, home, onCheck);
      } catch (IllegalArgumentException e) {
        onError.accept("Failed to create checker: " + e.getMessage());
      }
    }
    HealthChecker healthChecker = null;
    if (task.hasHealthCheck()) {
      try {
        healthChecker = HealthChecker.start(task.getHealthCheck(), taskId,
            probes.forHealthCheck(task.getHealthCheck()), clock, home, onHealth);
      } catch (IllegalArgumentException e) {
        onError.accept("Failed to create health checker: " + e.getMessage());
      }
    }
    return new TaskChecks(checker, healthChecker);
  }

  /** Whether the task has a check or a health check at all. */
  public static boolean any(TaskInfo task) {
    return task.hasCheck() || task.hasHealthCheck();
  }

  /** Stops checking while the task is being killed. */
  public void pause() {
    if (checker != null) {
      checker.pause();
    }
    if (healthChecker != null) {
      healthChecker.pause();
    }
  }

  /** Stops checking for good. Idempotent. */
  public void stop() {
    if (checker != null) {
      checker.stop();
    }
    if (healthChecker != null) {
      healthChecker.stop();
    }
  }

  /**
   * The {@code check_status} every status update of the task carries before the check has a result: the empty
   * status of its type; null when the task has no (valid) check.
   */
  public static CheckStatusInfo initialCheckStatus(TaskInfo task) {
    if (!task.hasCheck() || CheckValidation.validateCheckInfo(task.getCheck()).isPresent()) {
      return null;
    }
    return Checker.emptyStatus(task.getCheck().getType());
  }

  /** The last status update again, with a health verdict: uuid and timestamp are left to the sender. */
  public static TaskStatus.Builder healthUpdate(TaskStatus last, boolean healthy) {
    return last.toBuilder().clearUuid().clearTimestamp()
        .setReason(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
        .setHealthy(healthy);
  }

  /** The last status update again, with a new check status: uuid and timestamp are left to the sender. */
  public static TaskStatus.Builder checkUpdate(TaskStatus last, CheckStatusInfo status) {
    return last.toBuilder().clearUuid().clearTimestamp()
        .setReason(TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED)
        .setCheckStatus(status);
  }
}
