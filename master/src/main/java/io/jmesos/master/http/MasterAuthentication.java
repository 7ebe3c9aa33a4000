package io.jmesos.master.http;

import io.jmesos.master.flags.AuthenticationFlags;
import io.jmesos.security.CredentialSet;
import io.jmesos.security.CredentialsFile;
import io.jmesos.security.HttpAuthenticators;
import io.jmesos.security.Realms;
import java.util.Optional;
import org.apache.mesos.Protos.FrameworkInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up the master's HTTP authentication from its flags, as Mesos' {@code Master::initialize}: loads {@code
 * --credentials} when given, then gives each realm whose flag is on its authenticators. Runs once, at start-up
 * (it reads a file).
 */
public final class MasterAuthentication {
  private static final Logger LOG = LoggerFactory.getLogger(MasterAuthentication.class);

  private MasterAuthentication() {}

  /**
   * The authenticators of the realms the flags turn on.
   *
   * @throws IllegalArgumentException with Mesos' start-up error (unreadable or empty credentials, an unknown
   *     authenticator, {@code basic} without credentials, frameworks authentication without its authenticators)
   */
  public static HttpAuthenticators create(AuthenticationFlags flags) {
    if (flags.frameworks()) {
      LOG.info("Master only allowing authenticated HTTP frameworks to register");
    } else {
      LOG.info("Master allowing HTTP frameworks to register without authentication");
    }
    Optional<CredentialSet> credentials = Optional.empty();
    if (flags.credentials().isPresent()) {
      try {
        credentials = Optional.of(CredentialsFile.read(flags.credentials().get()).orElseThrow(() ->
            new IllegalArgumentException("Credentials file must contain at least one credential")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " (see --credentials flag)");
      }
    }
    HttpAuthenticators.Builder builder = HttpAuthenticators.builder();
    if (flags.readonly()) {
      builder.realm(Realms.MASTER_READONLY, flags.httpAuthenticators(), credentials);
    }
    if (flags.readwrite()) {
      builder.realm(Realms.MASTER_READWRITE, flags.httpAuthenticators(), credentials);
    }
    if (flags.frameworks()) {
      String names = flags.httpFrameworkAuthenticators().orElseThrow(() -> new IllegalArgumentException(
          "Missing `--http_framework_authenticators` flag. This must be used in conjunction with "
              + "`--authenticate_http_frameworks`"));
      builder.realm(Realms.MASTER_SCHEDULER, names, credentials);
    }
    return builder.build();
  }

  /**
   * The FrameworkInfo of a SUBSCRIBE that authenticated as {@code principal} (null: it did not): a framework that
   * authenticated but did not set {@code principal} gets the authenticated one, with Mesos' warning. (A principal
   * that differs was refused by validation.)
   */
  static FrameworkInfo withPrincipal(FrameworkInfo info, String principal) {
    if (principal == null || info.hasPrincipal()) {
      return info;
    }
    LOG.warn("Setting 'principal' in FrameworkInfo to '{}' because the framework authenticated with that principal "
        + "but did not set it in FrameworkInfo", principal);
    return info.toBuilder().setPrincipal(principal).build();
  }
}
