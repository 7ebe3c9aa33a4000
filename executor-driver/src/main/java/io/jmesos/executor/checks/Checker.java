package io.jmesos.executor.checks;

import io.jmesos.actor.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's general check, as Mesos' {@code Checker}: runs the check on its {@link CheckTiming} and reports its
 * {@code CheckStatusInfo} whenever it differs from the last one reported (starting from the empty status of
 * the check's type). A check that could not be performed (timed out, could not connect) reports the empty
 * status. It never judges the task and never kills it.
 *
 * <p>Threading: results reach the callback on the home executor, which alone touches this object's state;
 * {@link #pause()} and {@link #stop()} may be called from any thread.
 */
public final class Checker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checker.class);

  private final CheckInfo check;
  private final String taskId;
  private final String name;
  private final Consumer<CheckStatusInfo> callback;
  private final CheckLoop loop;

  // On the home executor only.
  private CheckStatusInfo previous;

  private Checker(CheckInfo check, String taskId, Probe probe, Clock clock, Executor home,
      Consumer<CheckStatusInfo> callback) {
    this.check = check;
    this.taskId = taskId;
    this.name = check.getType().name() + " check";
    this.callback = Objects.requireNonNull(callback, "callback");
    this.previous = emptyStatus(check.getType());
    this.loop = new CheckLoop(name, taskId, CheckTiming.of(check), probe, clock, home, this::result);
  }

  /**
   * Validates the check and starts checking, the first attempt after its delay.
   *
   * @throws IllegalArgumentException with Mesos' message when the check is invalid
   */
  public static Checker start(CheckInfo check, String taskId, Probe probe, Clock clock, Executor home,
      Consumer<CheckStatusInfo> callback) {
    io.jmesos.protocol.CheckValidation.validateCheckInfo(check).ifPresent(error -> {
      throw new IllegalArgumentException(error);
    });
    Checker checker = new Checker(check, taskId, probe, clock, home, callback);
    LOG.info("Starting {} for task '{}'", checker.name, taskId);
    checker.loop.start();
    return checker;
  }

  /**
   * The status a check of this type has before any result, as every status update of a checked task carries
   * it: the type and an empty field of that type.
   */
  public static CheckStatusInfo emptyStatus(CheckInfo.Type type) {
    CheckStatusInfo.Builder status = CheckStatusInfo.newBuilder().setType(type);
    switch (type) {
      case COMMAND:
        status.setCommand(CheckStatusInfo.Command.getDefaultInstance());
        break;
      case HTTP:
        status.setHttp(CheckStatusInfo.Http.getDefaultInstance());
        break;
      case TCP:
        status.setTcp(CheckStatusInfo.Tcp.getDefaultInstance());
        break;
      default:
        throw new IllegalArgumentException("'" + type + "' is not a valid check type");
    }
    return status.build();
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
    CheckStatusInfo current = status;
    if (error != null) {
      LOG.warn("{} for task '{}' failed: {}", name, taskId, error);
      current = emptyStatus(check.getType());
    }
    if (!current.equals(previous)) {
      previous = current;
      callback.accept(current);
    }
  }
}
