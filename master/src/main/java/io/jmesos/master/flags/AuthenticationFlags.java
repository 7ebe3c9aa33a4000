package io.jmesos.master.flags;

import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import java.time.Duration;
import java.util.Optional;

/**
 * The master's authentication flags, as Mesos 1.11 names and defaults them: which HTTP realms require
 * authentication, with which authenticators, against which credentials; whether agents must authenticate (SASL
 * CRAM-MD5 over the internal protocol) and whether frameworks must (jmesos' drivers speak HTTP: the scheduler
 * realm, see docs/security.md). Added to {@link MasterFlags}.
 */
public final class AuthenticationFlags {
  private final Flags flags;
  private final Flag<Boolean> readonly;
  private final Flag<Boolean> readwrite;
  private final Flag<Boolean> frameworks;
  private final Flag<String> credentials;
  private final Flag<String> httpAuthenticators;
  private final Flag<String> httpFrameworkAuthenticators;
  private final Flag<Boolean> agents;
  private final Flag<Boolean> v0Frameworks;
  private final Flag<String> authenticators;
  private final Flag<Duration> v0Timeout;

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
    this.agents = flags.add(Flag.bool("authenticate_agents").defaultValue(false)
        .deprecatedName("authenticate_slaves")
        .help("If `true`, only authenticated agents are allowed to register: an agent authenticates (SASL CRAM-MD5, "
            + "with its --credential) before it registers, against --credentials. If `false`, unauthenticated "
            + "agents are also allowed to register"));
    this.v0Frameworks = flags.add(Flag.bool("authenticate_frameworks").defaultValue(false)
        .deprecatedName("authenticate")
        .help("If `true`, only authenticated frameworks are allowed to register. jmesos' scheduler driver speaks "
            + "the HTTP scheduler API, so this requires HTTP Basic authentication against --credentials on "
            + "/api/v1/scheduler, as --authenticate_http_frameworks with the `basic` authenticator. If `false`, "
            + "unauthenticated frameworks are also allowed to register"));
    this.authenticators = flags.add(Flag.string("authenticators").defaultValue("crammd5")
        .help("Authenticator used for authenticating agents (and, in Mesos, v0 frameworks). Only the default, "
            + "`crammd5` (SASL CRAM-MD5 against --credentials), exists: jmesos loads no modules"));
    this.v0Timeout = flags.add(Flag.duration("authentication_v0_timeout").defaultValue(Duration.ofSeconds(15))
        .help("The timeout within which an authentication is expected to complete against a v0 framework or "
            + "agent. This does not apply to the v0 or v1 HTTP APIs"));
  }

  /** --authenticate_agents. */
  public boolean agents() {
    return flags.get(agents);
  }

  /** --authenticate_frameworks (Mesos' v0 frameworks; here: Basic on the scheduler API). */
  public boolean v0Frameworks() {
    return flags.get(v0Frameworks);
  }

  /** --authenticators: Mesos' SASL authenticator name, {@code crammd5}. */
  public String authenticators() {
    return flags.get(authenticators);
  }

  /** --authentication_v0_timeout. */
  public Duration v0Timeout() {
    return flags.get(v0Timeout);
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
