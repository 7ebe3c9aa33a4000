package io.jmesos.executor.driver;

import io.jmesos.flags.Durations;
import io.jmesos.tls.TlsConfig;
import io.jmesos.tls.TlsException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the agent tells an executor through its environment, parsed once at driver start: identity
 * ({@code MESOS_FRAMEWORK_ID}, {@code MESOS_EXECUTOR_ID}), where the agent listens ({@code MESOS_AGENT_ENDPOINT},
 * or the address part of {@code MESOS_SLAVE_PID}), the sandbox, and the reconnection policy
 * ({@code MESOS_CHECKPOINT}, {@code MESOS_RECOVERY_TIMEOUT}, {@code MESOS_SUBSCRIPTION_BACKOFF_MAX},
 * {@code MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD}). Immutable.
 */
public final class ExecutorEnvironment {
  /** The agent's {@code --recovery_timeout} default, used when the agent did not pass one. */
  static final Duration DEFAULT_RECOVERY_TIMEOUT = Duration.ofMinutes(15);
  /** The agent's default maximum backoff between executor re-subscription attempts. */
  static final Duration DEFAULT_SUBSCRIPTION_BACKOFF_MAX = Duration.ofSeconds(2);
  /** The agent's {@code --executor_shutdown_grace_period} default. */
  static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(5);

  private final String frameworkId;
  private final String executorId;
  private final InetSocketAddress agent;
  private final String directory;
  private final String sandbox;
  private final boolean checkpoint;
  private final boolean local;
  private final Duration recoveryTimeout;
  private final Duration subscriptionBackoffMax;
  private final Duration shutdownGracePeriod;
  private final String authenticationToken;
  private final TlsConfig tls;

  private ExecutorEnvironment(Map<String, String> env) {
    frameworkId = required(env, "MESOS_FRAMEWORK_ID");
    executorId = required(env, "MESOS_EXECUTOR_ID");
    agent = agentAddress(env);
    directory = env.get("MESOS_DIRECTORY");
    sandbox = env.getOrDefault("MESOS_SANDBOX", directory);
    checkpoint = "1".equals(env.get("MESOS_CHECKPOINT"));
    local = env.containsKey("MESOS_LOCAL");
    recoveryTimeout = duration(env, "MESOS_RECOVERY_TIMEOUT", DEFAULT_RECOVERY_TIMEOUT);
    subscriptionBackoffMax = duration(env, "MESOS_SUBSCRIPTION_BACKOFF_MAX", DEFAULT_SUBSCRIPTION_BACKOFF_MAX);
    shutdownGracePeriod = duration(env, "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", DEFAULT_SHUTDOWN_GRACE_PERIOD);
    authenticationToken = env.get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    try {
      tls = TlsConfig.fromEnvironment(env);
    } catch (TlsException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** How to reach the agent: over TLS when {@code LIBPROCESS_SSL_ENABLED} says so (the agent passes its own). */
  public TlsConfig tls() {
    return tls;
  }

  /** Parses {@code env}; throws {@link IllegalArgumentException} with Mesos' wording when a value is missing. */
  public static ExecutorEnvironment parse(Map<String, String> env) {
    return new ExecutorEnvironment(Objects.requireNonNull(env, "env"));
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("Expecting '" + name + "' to be set in the environment");
    }
    return value;
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String value = env.get(name);
    if (value == null) {
      return fallback;
    }
    Duration parsed;
    try {
      parsed = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Failed to parse " + name + " '" + value + "': " + e.getMessage(), e);
    }
    if (parsed.isNegative()) {
      throw new IllegalArgumentException("Failed to parse " + name + " '" + value + "': must not be negative");
    }
    return parsed;
  }

  private static InetSocketAddress agentAddress(Map<String, String> env) {
    String endpoint = env.get("MESOS_AGENT_ENDPOINT");
    if (endpoint == null) {
      String pid = env.get("MESOS_SLAVE_PID");
      if (pid == null) {
        throw new IllegalArgumentException("Expecting 'MESOS_AGENT_ENDPOINT' to be set in the environment");
      }
      endpoint = pid.substring(pid.indexOf('@') + 1);
    }
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("Failed to parse agent endpoint '" + endpoint + "': expecting host:port");
    }
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new InetSocketAddress(host, Integer.parseInt(endpoint.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Failed to parse agent endpoint '" + endpoint + "': expecting host:port", e);
    }
  }

  public String frameworkId() {
    return frameworkId;
  }

  public String executorId() {
    return executorId;
  }

  public InetSocketAddress agent() {
    return agent;
  }

  /** The sandbox path on the agent's file system ({@code MESOS_DIRECTORY}); may be null. */
  public String directory() {
    return directory;
  }

  /** The sandbox path as the executor sees it ({@code MESOS_SANDBOX}, else {@code MESOS_DIRECTORY}); may be null. */
  public String sandbox() {
    return sandbox;
  }

  public boolean checkpoint() {
    return checkpoint;
  }

  /** True in Mesos' local mode (tests): the driver never kills its own process. */
  public boolean local() {
    return local;
  }

  public Duration recoveryTimeout() {
    return recoveryTimeout;
  }

  public Duration subscriptionBackoffMax() {
    return subscriptionBackoffMax;
  }

  public Duration shutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  /** The bearer token for the executor API, or null when the agent does not authenticate executors. */
  public String authenticationToken() {
    return authenticationToken;
  }
}
