package io.jmesos.agent.http;

import io.jmesos.agent.flags.AuthenticationFlags;
import io.jmesos.security.CredentialSet;
import io.jmesos.security.CredentialsFile;
import io.jmesos.security.HttpAuthenticators;
import io.jmesos.security.Realms;
import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import io.jmesos.security.JwtAuthenticator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.mesos.Protos.Credential;

/**
 * Sets up the agent's HTTP authentication from its flags, as Mesos' {@code Slave::initialize}: loads {@code
 * --http_credentials} when given, then gives each realm whose flag is on the {@code --http_authenticators}. The
 * executor realm requires a JWT signed with {@code --jwt_secret_key} when {@code --authenticate_http_executors} is
 * on. Runs once, at start-up (it reads files).
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
    return create(flags, jwtSecretKey(flags), SystemClock.get());
  }

  /**
   * As above, with the key of {@link #jwtSecretKey} and the clock that checks tokens' expiry.
   *
   * @throws IllegalArgumentException also for {@code --authenticate_http_executors} without {@code
   *     --jwt_secret_key}
   */
  public static HttpAuthenticators create(AuthenticationFlags flags, Optional<byte[]> jwtKey, Clock clock) {
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
    if (flags.executors()) {
      byte[] key = jwtKey.orElseThrow(() -> new IllegalArgumentException(
          "--jwt_secret_key must be specified when --authenticate_http_executors is set to true"));
      LOG.info("Creating JWT HTTP authenticator for realm '{}'", Realms.AGENT_EXECUTOR);
      builder.realm(Realms.AGENT_EXECUTOR, new JwtAuthenticator(Realms.AGENT_EXECUTOR, key,
          () -> (long) clock.currentTimeSeconds()));
    }
    return builder.build();
  }

  /**
   * The key executors' tokens are signed with ({@code --jwt_secret_key}), read at start-up as Mesos' agent does;
   * empty without the flag.
   *
   * @throws IllegalArgumentException when the file cannot be read or is empty
   */
  public static Optional<byte[]> jwtSecretKey(AuthenticationFlags flags) {
    if (flags.jwtSecretKey().isEmpty()) {
      return Optional.empty();
    }
    String location = flags.jwtSecretKey().get();
    Path path = Path.of(location.startsWith("file://") ? location.substring("file://".length()) : location);
    byte[] key;
    try {
      key = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new IllegalArgumentException("Failed to read the file specified by --jwt_secret_key", e);
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("The file specified by --jwt_secret_key is empty");
    }
    try {
      if (Files.getPosixFilePermissions(path).stream().anyMatch(p -> p.name().startsWith("OTHERS_"))) {
        LOG.warn("Permissions on executor secret key file '{}' are too open; it is recommended that your key file "
            + "is NOT accessible by others", path);
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("Failed to stat jwt secret key file '{}': {}", path, e.toString());
    }
    return Optional.of(key);
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
