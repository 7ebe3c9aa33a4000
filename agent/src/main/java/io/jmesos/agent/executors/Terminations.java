package io.jmesos.agent.executors;

import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.flags.Durations;
import java.time.Duration;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How executors are made to go away: destroyed at once (registration timeout, nothing left to run), or shut
 * down gracefully (a SHUTDOWN event, then SIGTERM and SIGKILL to the process tree once the grace period is
 * over). The exit itself is observed elsewhere; this only records why, for the tasks that die with it. Not
 * thread-safe: used on the agent's actor.
 */
final class Terminations {
  private static final Logger LOG = LoggerFactory.getLogger(Terminations.class);
  /** How long SIGTERM has before SIGKILL once an executor's shutdown grace period is over. */
  static final Duration KILL_ESCALATION = Duration.ofSeconds(3);

  private final AgentContext ctx;

  Terminations(AgentContext ctx) {
    this.ctx = ctx;
  }

  void registrationTimeout(ExecutorState ex, Duration timeout) {
    if (ex.state() != ExecutorState.State.REGISTERING) {
      return;
    }
    LOG.warn("Terminating {}: it did not register within {}", ex, Durations.format(timeout));
    setTermination(ex, TaskState.TASK_FAILED, TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT,
        "Executor did not register within " + Durations.format(timeout));
    destroy(ex);
  }

  void shutdown(ExecutorState ex) {
    switch (ex.state()) {
      case REGISTERING:
        LOG.info("Destroying {}: shut down before it subscribed", ex);
        setTermination(ex, TaskState.TASK_KILLED, TaskStatus.Reason.REASON_EXECUTOR_TERMINATED,
            "Executor shut down before it subscribed");
        destroy(ex);
        return;
      case RUNNING:
        ex.transition(ExecutorState.State.TERMINATING);
        ex.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
        Duration grace = ex.info().hasShutdownGracePeriod()
            ? Duration.ofNanos(ex.info().getShutdownGracePeriod().getNanoseconds())
            : ctx.flags.executorShutdownGracePeriod();
        LOG.info("Shutting down {} with a grace period of {}", ex, Durations.format(grace));
        ex.shutdownTimer = ctx.actor.delay(grace, () -> shutdownTimeout(ex));
        return;
      default:
        LOG.debug("{} is already shutting down", ex);
    }
  }

  private void shutdownTimeout(ExecutorState ex) {
    if (ex.state() == ExecutorState.State.TERMINATED) {
      return;
    }
    LOG.warn("Killing {}: it did not exit within its shutdown grace period", ex);
    ex.container().markDestroying();
    if (ex.container().process() != null) {
      ex.container().process().kill(Signal.TERM);
      ex.shutdownTimer = ctx.actor.delay(KILL_ESCALATION, () -> {
        if (ex.state() != ExecutorState.State.TERMINATED && ex.container().process() != null) {
          ex.container().process().kill(Signal.KILL);
        }
      });
    }
  }

  /** Kills the container now; the exit, observed asynchronously, fails whatever tasks are left. */
  void destroy(ExecutorState ex) {
    if (ex.state() == ExecutorState.State.REGISTERING || ex.state() == ExecutorState.State.RUNNING) {
      ex.transition(ExecutorState.State.TERMINATING);
    }
    cancel(ex.registrationTimer);
    ex.container().markDestroying();
    if (ex.container().process() != null) {
      ex.container().process().kill(Signal.KILL);
    }
  }

  static void setTermination(ExecutorState ex, TaskState state, TaskStatus.Reason reason, String message) {
    if (ex.terminationReason == null) {
      ex.terminationState = state;
      ex.terminationReason = reason;
      ex.terminationMessage = message;
    }
  }

  private static void cancel(io.jmesos.actor.Clock.Timer timer) {
    ExecutorManager.cancel(timer);
  }
}
