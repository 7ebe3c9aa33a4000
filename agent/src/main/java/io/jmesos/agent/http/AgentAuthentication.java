package io.jmesos.agent.http;

import io.jmesos.agent.flags.AuthenticationFlags;
import io.jmesos.security.CredentialSet;
import io.jmesos.security.CredentialsFile;
import io.jmesos.security.HttpAuthenticators;
import io.jmesos.security.Realms;
import java.util.Optional;
import org.apache.mesos.Protos.Credential;

/**
 * Sets up the agent's HTTP authentication from its flags, as Mesos' {@code Slave::initialize}: loads {@code
 * --http_credentials} when given, then gives each realm whose flag is on the {@code --http_authenticators}. The
 * executor realm never requires authentication (no {@code --authenticate_http_executors} yet). Runs once, at
 * start-up (it reads a file).
 */
public final class AgentAuthentication {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AgentAuthentication.class);
  private AgentAuthentication() {}

  /**
   * The authenticators of the realms the flags turn on.
   *
   * @throws IllegalArgumentException with Mesos' start-up error (unreadable or empty credentials, an unknown
   *     authenticator, {@code basic} without credentials)
   */
  public static HttpAuthenticators create(AuthenticationFlags flags) {
    Optional<CredentialSet> credentials = Optional.empty();
    if (flags.httpCredentials().isPresent()) {
      try {
        credentials = Optional.of(CredentialsFile.read(flags.httpCredentials().get()).orElseThrow(() ->
            new IllegalArgumentException("Credentials file must contain at least one credential")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " (see --http_credentials flag)");
      }
    }
    HttpAuthenticators.Builder builder = HttpAuthenticators.builder();
    if (flags.readonly()) {
      builder.realm(Realms.AGENT_READONLY, flags.httpAuthenticators(), credentials);
    }
    if (flags.readwrite()) {
      builder.realm(Realms.AGENT_READWRITE, flags.httpAuthenticators(), credentials);
    }
    return builder.build();
  }

  /**
   * The credential the agent authenticates to the master with ({@code --credential}), as Mesos' agent reads it
   * at start-up; empty without the flag.
   *
   * @throws IllegalArgumentException with Mesos' start-up error (unreadable, empty or invalid file, an unknown
   *     {@code --authenticatee})
   */
  public static Optional<Credential> credential(AuthenticationFlags flags) {
    if (!AuthenticationFlags.DEFAULT_AUTHENTICATEE.equals(flags.authenticatee())) {
      throw new IllegalArgumentException("Could not create authenticatee module '" + flags.authenticatee()
          + "': Authenticatee '" + flags.authenticatee() + "' not found; only '"
          + AuthenticationFlags.DEFAULT_AUTHENTICATEE + "' exists (jmesos loads no modules)");
    }
    if (flags.credential().isEmpty()) {
      return Optional.empty();
    }
    String location = flags.credential().get();
    Optional<Credential> credential;
    try {
      credential = CredentialsFile.readCredential(location);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (see --credential flag)");
    }
    if (credential.isEmpty()) {
      throw new IllegalArgumentException("Empty credential file '" + location + "' (see --credential flag)");
    }
    LOG.info("Agent using credential for: {}", credential.get().getPrincipal());
    return credential;
  }
}
