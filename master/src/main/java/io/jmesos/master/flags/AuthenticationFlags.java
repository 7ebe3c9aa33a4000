package io.jmesos.master.flags;

import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import java.util.Optional;

/**
 * The master's HTTP authentication flags, as Mesos 1.11 names and defaults them: which realms require
 * authentication, with which authenticators, against which credentials. Added to {@link MasterFlags}.
 * (Mesos' SASL flags for v0 frameworks and agents, {@code --authenticate_frameworks} and {@code
 * --authenticate_agents}, are not here: jmesos drivers speak HTTP and agents its own protocol.)
 */
public final class AuthenticationFlags {
  private final Flags flags;
  private final Flag<Boolean> readonly;
  private final Flag<Boolean> readwrite;
  private final Flag<Boolean> frameworks;
  private final Flag<String> credentials;
  private final Flag<String> httpAuthenticators;
  private final Flag<String> httpFrameworkAuthenticators;

  /** Adds the flags to {@code flags}. */
  public AuthenticationFlags(Flags flags) {
    this.flags = flags;
    this.readwrite = flags.add(Flag.bool("authenticate_http_readwrite").defaultValue(false)
        .deprecatedName("authenticate_http")
        .help("If `true`, requests to the read-write HTTP endpoints that support authentication (those that can "
            + "change the cluster: /api/v1, /teardown, /weights, /quota, /logging/toggle) must authenticate. If "
            + "`false`, they may also be made without authentication"));
    this.readonly = flags.add(Flag.bool("authenticate_http_readonly").defaultValue(false)
        .help("If `true`, requests to the read-only HTTP endpoints that support authentication (/state, "
            + "/frameworks, /metrics/snapshot, /flags, /files/*, ...) must authenticate. If `false`, they may "
            + "also be made without authentication"));
    this.frameworks = flags.add(Flag.bool("authenticate_http_frameworks").defaultValue(false)
        .help("If `true`, only HTTP frameworks that authenticate may use the scheduler API (/api/v1/scheduler); "
            + "needs --http_framework_authenticators. If `false`, HTTP frameworks are not authenticated"));
    this.credentials = flags.add(Flag.path("credentials")
        .help("Path to a JSON file of the credentials the HTTP authenticators accept, as `/path/to/file` or "
            + "`file:///path/to/file`. Example: "
            + "{\"credentials\": [{\"principal\": \"sherman\", \"secret\": \"kitesurf\"}]}"));
    this.httpAuthenticators = flags.add(Flag.string("http_authenticators").defaultValue("basic")
        .help("HTTP authenticator used for requests to endpoints that require authentication. Only the default, "
            + "`basic` (HTTP Basic authentication against --credentials), exists: jmesos loads no modules"));
    this.httpFrameworkAuthenticators = flags.add(Flag.string("http_framework_authenticators")
        .help("HTTP authenticator used to authenticate HTTP frameworks; must be given along with "
            + "--authenticate_http_frameworks. Only `basic` exists"));
  }

  public boolean readonly() {
    return flags.get(readonly);
  }

  public boolean readwrite() {
    return flags.get(readwrite);
  }

  public boolean frameworks() {
    return flags.get(frameworks);
  }

  /** --credentials, when given. */
  public Optional<String> credentials() {
    return flags.find(credentials);
  }

  public String httpAuthenticators() {
    return flags.get(httpAuthenticators);
  }

  /** --http_framework_authenticators, when given. */
  public Optional<String> httpFrameworkAuthenticators() {
    return flags.find(httpFrameworkAuthenticators);
  }
}
