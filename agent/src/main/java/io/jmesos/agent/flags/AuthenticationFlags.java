package io.jmesos.agent.flags;

import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's authentication flags, as Mesos 1.11 names them: which HTTP realms require authentication, with
 * which authenticators, against which credentials; the credential the agent authenticates to the master with
 * (SASL CRAM-MD5) and its retry timing. Added to {@link AgentFlags}.
 */
public final class AuthenticationFlags {
  /** What Mesos' agent uses when {@code --http_authenticators} is absent. */
  public static final String DEFAULT_HTTP_AUTHENTICATORS = "basic";
  /** Mesos' default (and jmesos' only) authenticatee. */
  public static final String DEFAULT_AUTHENTICATEE = "crammd5";

  private final Flags flags;
  private final Flag<Boolean> readonly;
  private final Flag<Boolean> readwrite;
  private final Flag<String> httpCredentials;
  private final Flag<String> httpAuthenticators;
  private final Flag<String> credential;
  private final Flag<String> authenticatee;
  private final Flag<Duration> backoffFactor;
  private final Flag<Duration> timeoutMin;
  private final Flag<Duration> timeoutMax;
  private final Flag<Boolean> executors;
  private final Flag<String> jwtSecretKey;

  /** Adds the flags to {@code flags}. */
  public AuthenticationFlags(Flags flags) {
    this.flags = flags;
    this.httpAuthenticators = flags.add(Flag.string("http_authenticators")
        .help("HTTP authenticator used for requests to endpoints that require authentication; when not given, "
            + "the default `basic` (HTTP Basic authentication against --http_credentials), the only one that "
            + "exists: jmesos loads no modules"));
    this.readwrite = flags.add(Flag.bool("authenticate_http_readwrite").defaultValue(false)
        .help("If `true`, requests to the read-write HTTP endpoints that support authentication (/api/v1, "
            + "/logging/toggle) must authenticate. If `false`, they may also be made without authentication. The "
            + "executor API (/api/v1/executor) is not affected"));
    this.readonly = flags.add(Flag.bool("authenticate_http_readonly").defaultValue(false)
        .help("If `true`, requests to the read-only HTTP endpoints that support authentication (/state, /flags, "
            + "/metrics/snapshot, /containers, /monitor/statistics, /files/*) must authenticate. If `false`, they "
            + "may also be made without authentication"));
    this.httpCredentials = flags.add(Flag.path("http_credentials")
        .help("Path to a JSON file of the credentials that authenticate requests to the agent's HTTP endpoints, "
            + "as `/path/to/file` or `file:///path/to/file`. Example: "
            + "{\"credentials\": [{\"principal\": \"yoda\", \"secret\": \"usetheforce\"}]}"));
    this.credential = flags.add(Flag.path("credential")
        .help("Path to a JSON-formatted file containing the credential to use to authenticate with the master, "
            + "as `/path/to/file` or `file:///path/to/file`. Example: "
            + "{\"principal\": \"username\", \"secret\": \"secret\"}"));
    this.authenticatee = flags.add(Flag.string("authenticatee").defaultValue(DEFAULT_AUTHENTICATEE)
        .help("Authenticatee implementation to use when authenticating against the master. Only the default, "
            + "`crammd5` (SASL CRAM-MD5), exists: jmesos loads no modules"));
    this.backoffFactor = flags.add(Flag.duration("authentication_backoff_factor")
        .defaultValue(Duration.ofSeconds(1))
        .help("The agent will time out its authentication with the master based on exponential backoff. The "
            + "timeout will be randomly chosen within the range `[min, min + factor*2^n]` where `n` is the number "
            + "of failed attempts. To tune these parameters, set the `--authentication_timeout_[min|max|factor]` "
            + "flags"));
    this.timeoutMin = flags.add(Flag.duration("authentication_timeout_min").defaultValue(Duration.ofSeconds(5))
        .help("The minimum amount of time the agent waits before retrying authenticating with the master. See "
            + "`authentication_backoff_factor` for more details. Since a retry cancels the previous "
            + "authentication, keep it above the normal authentication delay"));
    this.timeoutMax = flags.add(Flag.duration("authentication_timeout_max").defaultValue(Duration.ofMinutes(1))
        .help("The maximum amount of time the agent waits before retrying authenticating with the master. See "
            + "`authentication_backoff_factor` for more details"));
    this.executors = flags.add(Flag.bool("authenticate_http_executors").defaultValue(false)
        .help("If `true`, only authenticated requests for the HTTP executor API (/api/v1/executor) are allowed: "
            + "an executor presents the token the agent gave it (MESOS_EXECUTOR_AUTHENTICATION_TOKEN) as "
            + "`Authorization: Bearer <token>`, and may only act as itself. Needs --jwt_secret_key. If `false`, "
            + "the executor API is open"));
    this.jwtSecretKey = flags.add(Flag.path("jwt_secret_key").deprecatedName("executor_secret_key")
        .help("Path to a file containing the key used when generating JWT secrets (the executors' tokens, "
            + "signed with HMAC-SHA256)"));
  }

  /** --authenticate_http_executors. */
  public boolean executors() {
    return flags.get(executors);
  }

  /** --jwt_secret_key, when given. */
  public Optional<String> jwtSecretKey() {
    return flags.find(jwtSecretKey);
  }

  /** --credential, when given. */
  public Optional<String> credential() {
    return flags.find(credential);
  }

  /** --authenticatee. */
  public String authenticatee() {
    return flags.get(authenticatee);
  }

  public Duration authenticationBackoffFactor() {
    return flags.get(backoffFactor);
  }

  public Duration authenticationTimeoutMin() {
    return flags.get(timeoutMin);
  }

  public Duration authenticationTimeoutMax() {
    return flags.get(timeoutMax);
  }

  public boolean readonly() {
    return flags.get(readonly);
  }

  public boolean readwrite() {
    return flags.get(readwrite);
  }

  /** --http_credentials, when given. */
  public Optional<String> httpCredentials() {
    return flags.find(httpCredentials);
  }

  /** --http_authenticators, {@code basic} when absent. */
  public String httpAuthenticators() {
    return flags.find(httpAuthenticators).orElse(DEFAULT_HTTP_AUTHENTICATORS);
  }
}
