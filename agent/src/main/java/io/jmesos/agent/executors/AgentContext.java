package io.jmesos.agent.executors;

import com.google.protobuf.Message;
import io.jmesos.actor.Actor;
import io.jmesos.agent.containers.Containerizer;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.agent.status.StatusUpdateManager;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;

/**
 * What the executor bookkeeping needs from the rest of the agent: its actor, flags, containerizer, the pool for
 * blocking work, the status update manager, the way to the master, the agent's identity and its sandbox services
 * (fetcher, files, garbage collection). Immutable
 * wiring; the identity supplier is read on the actor.
 */
public final class AgentContext {
  final Actor actor;
  final AgentFlags flags;
  final Containerizer containerizer;
  final Executor blocking;
  final List<String> commandExecutorCommand;
  final StatusUpdateManager updates;
  final Consumer<Message> toMaster;
  final AgentMetrics metrics;
  final Supplier<SlaveInfo> slaveInfo;
  final String endpoint;
  final String pid;
  final SandboxServices sandboxes;
  /** The agent's checkpoint under {@code <work_dir>/meta}. */
  final io.jmesos.agent.checkpoint.AgentCheckpoint checkpoint;
  private byte[] jwtKey;
  /** The environment executors start from (the agent's own, with its TLS settings). */
  final java.util.Map<String, String> environment;

  /**
   * @param endpoint {@code ip:port} of the agent's HTTP server (MESOS_AGENT_ENDPOINT)
   * @param pid the agent's libprocess-style pid, {@code slave(1)@ip:port} (MESOS_SLAVE_PID)
   */
  public AgentContext(Actor actor, AgentFlags flags, Containerizer containerizer, Executor blocking,
      List<String> commandExecutorCommand, StatusUpdateManager updates, Consumer<Message> toMaster,
      AgentMetrics metrics, Supplier<SlaveInfo> slaveInfo, String endpoint, String pid,
      SandboxServices sandboxes) {
    this(actor, flags, containerizer, blocking, commandExecutorCommand, updates, toMaster, metrics, slaveInfo,
        endpoint, pid, sandboxes, System.getenv());
  }

  /**
   * @param environment what executors' environments start from: the agent's, with its {@code LIBPROCESS_SSL_*}
   *     settings so that they speak TLS to it as it does
   */
  public AgentContext(Actor actor, AgentFlags flags, Containerizer containerizer, Executor blocking,
      List<String> commandExecutorCommand, StatusUpdateManager updates, Consumer<Message> toMaster,
      AgentMetrics metrics, Supplier<SlaveInfo> slaveInfo, String endpoint, String pid,
      SandboxServices sandboxes, java.util.Map<String, String> environment) {
    this.environment = java.util.Map.copyOf(environment);
    this.actor = Objects.requireNonNull(actor);
    this.flags = Objects.requireNonNull(flags);
    this.containerizer = Objects.requireNonNull(containerizer);
    this.blocking = Objects.requireNonNull(blocking);
    this.commandExecutorCommand = List.copyOf(commandExecutorCommand);
    this.updates = Objects.requireNonNull(updates);
    this.toMaster = Objects.requireNonNull(toMaster);
    this.metrics = Objects.requireNonNull(metrics);
    this.slaveInfo = Objects.requireNonNull(slaveInfo);
    this.endpoint = Objects.requireNonNull(endpoint);
    this.pid = Objects.requireNonNull(pid);
    this.sandboxes = Objects.requireNonNull(sandboxes);
    this.checkpoint = new io.jmesos.agent.checkpoint.AgentCheckpoint(
        new io.jmesos.agent.checkpoint.MetaPaths(flags.workDir()));
  }

  /** Executors get a token signed with {@code key} (Mesos' {@code JWTSecretGenerator}); set once, before use. */
  public void jwtSecretKey(byte[] key) {
    this.jwtKey = key.clone();
  }

  /** The token for an executor in {@code containerId}: claims {@code fid}, {@code eid}, {@code cid}; null when
   * the agent has no {@code --jwt_secret_key}. */
  String executorToken(org.apache.mesos.Protos.FrameworkID frameworkId, org.apache.mesos.Protos.ExecutorID executorId,
      org.apache.mesos.Protos.ContainerID containerId) {
    if (jwtKey == null) {
      return null;
    }
    return io.jmesos.security.Jwt.create(java.util.Map.of("fid", frameworkId.getValue(), "eid", executorId.getValue(),
        "cid", containerId.getValue()), jwtKey);
  }

  SlaveID slaveId() {
    return slaveInfo.get().getId();
  }

  double now() {
    return actor.clock().currentTimeSeconds();
  }
}
