package io.jmesos.agent.master;

import io.jmesos.agent.flags.AuthenticationFlags;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.Protos.Credential;

/**
 * How the agent authenticates to the master before it (re-)registers: its credential ({@code --credential}; none:
 * it registers without authenticating) and Mesos' retry timing ({@code --authentication_backoff_factor}, {@code
 * --authentication_timeout_min}, {@code --authentication_timeout_max}). Immutable.
 *
 * @param pid who the agent is, as it says in {@code AuthenticateMessage} (its advertised host:port)
 */
public record LinkAuthentication(Optional<Credential> credential, String pid, Duration backoffFactor,
    Duration timeoutMin, Duration timeoutMax) {
  /** Without a credential: the agent registers at once. */
  public static final LinkAuthentication NONE = new LinkAuthentication(Optional.empty(), "", Duration.ofSeconds(1),
      Duration.ofSeconds(5), Duration.ofMinutes(1));

  public LinkAuthentication {
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(pid, "pid");
    Objects.requireNonNull(backoffFactor, "backoffFactor");
    Objects.requireNonNull(timeoutMin, "timeoutMin");
    Objects.requireNonNull(timeoutMax, "timeoutMax");
  }

  /** From the flags, with the credential already read. */
  public static LinkAuthentication of(Optional<Credential> credential, String pid, AuthenticationFlags flags) {
    return new LinkAuthentication(credential, pid, flags.authenticationBackoffFactor(),
        flags.authenticationTimeoutMin(), flags.authenticationTimeoutMax());
  }

  @Override
  public String toString() {
    return credential.map(c -> "authenticating as '" + c.getPrincipal() + "'").orElse("not authenticating");
  }
}
