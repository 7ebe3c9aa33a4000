package io.jmesos.security;

/**
 * Mesos' authentication realm names. They reach clients in the {@code WWW-Authenticate} challenge, so they are
 * Mesos' own (master {@code constants.hpp}, agent {@code constants.hpp}).
 */
public final class Realms {
  /** The master's read-only endpoints ({@code /state}, {@code /metrics/snapshot}, {@code /files/*}, ...). */
  public static final String MASTER_READONLY = "mesos-master-readonly";
  /** The master's endpoints that change state ({@code /api/v1}, {@code /teardown}, {@code /quota}, ...). */
  public static final String MASTER_READWRITE = "mesos-master-readwrite";
  /** The scheduler API, {@code /api/v1/scheduler}. */
  public static final String MASTER_SCHEDULER = "mesos-master-scheduler";
  /** The agent's read-only endpoints. */
  public static final String AGENT_READONLY = "mesos-agent-readonly";
  /** The agent's endpoints that change state ({@code /api/v1}, {@code /logging/toggle}). */
  public static final String AGENT_READWRITE = "mesos-agent-readwrite";
  /** The executor API, {@code /api/v1/executor} (authenticated by Mesos' {@code --authenticate_http_executors}). */
  public static final String AGENT_EXECUTOR = "mesos-agent-executor";

  private Realms() {}
}
