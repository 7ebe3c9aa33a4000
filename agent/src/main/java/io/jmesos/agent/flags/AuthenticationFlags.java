package io.jmesos.agent.flags;

import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import java.util.Optional;

/**
 * The agent's HTTP authentication flags, as Mesos 1.11 names them: which realms require authentication, with
 * which authenticators, against which credentials. Added to {@link AgentFlags}. (Mesos' {@code
 * --authenticate_http_executors} and {@code --jwt_secret_key}, for executor tokens, are not here yet.)
 */
public final class AuthenticationFlags {
  /** What Mesos' agent uses when {@code --http_authenticators} is absent. */
  public static final String DEFAULT_HTTP_AUTHENTICATORS = "basic";

  private final Flags flags;
  private final Flag<Boolean> readonly;
  private final Flag<Boolean> readwrite;
  private final Flag<String> httpCredentials;
  private final Flag<String> httpAuthenticators;

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
