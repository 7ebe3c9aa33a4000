package io.jmesos.agent.executors;

import io.jmesos.flags.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.SlaveID;

/**
 * The environment Mesos gives an executor: the agent's own environment, then the {@code MESOS_*} variables
 * naming the framework, executor, agent and sandbox, then the executor's {@code CommandInfo.environment}.
 * Pure functions; thread-safe.
 */
public final class ExecutorEnvironment {
  /** Mesos' {@code --recovery_timeout} default, given to checkpointing executors. */
  static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(15);
  /** Mesos' EXECUTOR_REREGISTER_TIMEOUT, the executor's maximum re-subscription backoff. */
  static final Duration SUBSCRIPTION_BACKOFF_MAX = Duration.ofSeconds(2);

  private ExecutorEnvironment() {}

  public static Map<String, String> of(Map<String, String> agentEnvironment, ExecutorInfo executor,
      SlaveID slaveId, String agentEndpoint, String agentPid, Path sandbox, boolean checkpoint,
      Duration shutdownGracePeriod) {
    Map<String, String> env = new LinkedHashMap<>(agentEnvironment);
    env.put("MESOS_FRAMEWORK_ID", executor.getFrameworkId().getValue());
    env.put("MESOS_EXECUTOR_ID", executor.getExecutorId().getValue());
    env.put("MESOS_DIRECTORY", sandbox.toString());
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_SLAVE_ID", slaveId.getValue());
    env.put("MESOS_SLAVE_PID", agentPid);
    env.put("MESOS_AGENT_ENDPOINT", agentEndpoint);
    env.put("MESOS_CHECKPOINT", checkpoint ? "1" : "0");
    // Our command executor only speaks the v1 HTTP API, so we always say so.
    env.put("MESOS_HTTP_COMMAND_EXECUTOR", "1");
    Duration grace = executor.hasShutdownGracePeriod()
        ? Duration.ofNanos(executor.getShutdownGracePeriod().getNanoseconds()) : shutdownGracePeriod;
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", Durations.format(grace));
    if (checkpoint) {
      env.put("MESOS_RECOVERY_TIMEOUT", Durations.format(RECOVERY_TIMEOUT));
      env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", Durations.format(SUBSCRIPTION_BACKOFF_MAX));
    }
    if (executor.getCommand().hasEnvironment()) {
      for (Environment.Variable v : executor.getCommand().getEnvironment().getVariablesList()) {
        if (v.getType() != Environment.Variable.Type.SECRET) {
          env.put(v.getName(), v.getValue());
        }
      }
    }
    return env;
  }
}
