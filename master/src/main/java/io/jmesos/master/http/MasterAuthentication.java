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
 * Sets up the master's authentication from its flags, as Mesos' {@code Master::initialize}: loads {@code
 * --credentials} when given, checks {@code --authenticators} (SASL, for agents), then gives each HTTP realm whose
 * flag is on its authenticators. {@code --authenticate_frameworks} (Mesos: SASL for v0 frameworks) turns the
 * scheduler realm on with {@code basic}, since jmesos' scheduler driver speaks HTTP. Runs once, at start-up (it
 * reads a file).
 */
public final class MasterAuthentication {
  private static final Logger LOG = LoggerFactory.getLogger(MasterAuthentication.class);
  /** Mesos' default (and jmesos' only) SASL authenticator. */
  public static final String DEFAULT_AUTHENTICATOR = "crammd5";

  /**
   * What the master authenticates with: the HTTP realms' authenticators and the credentials SASL checks agents
   * against (empty without {@code --credentials}: every agent authentication then fails, as in Mesos).
   */
  public record Setup(HttpAuthenticators http, Optional<CredentialSet> credentials) {}

  private MasterAuthentication() {}

  /**
   * The authenticators of the realms the flags turn on.
   *
   * @throws IllegalArgumentException with Mesos' start-up error (unreadable or empty credentials, an unknown
   *     authenticator, {@code basic} without credentials, frameworks authentication without its authenticators)
   */
  public static HttpAuthenticators create(AuthenticationFlags flags) {
    return setup(flags).http();
  }

  /**
   * The HTTP authenticators and the SASL credentials.
   *
   * @throws IllegalArgumentException with Mesos' start-up error, as {@link #create}, or for {@code
   *     --authenticators}
   */
  public static Setup setup(AuthenticationFlags flags) {
    if (flags.v0Frameworks()) {
      LOG.info("Master only allowing authenticated frameworks to register");
    } else {
      LOG.info("Master allowing unauthenticated frameworks to register");
    }
    if (flags.agents()) {
      LOG.info("Master only allowing authenticated agents to register");
    } else {
      LOG.info("Master allowing unauthenticated agents to register");
    }
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
    checkAuthenticators(flags.authenticators());
    if (credentials.isEmpty() && flags.agents()) {
      LOG.warn("No credentials provided, authentication requests will be refused");
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
    } else if (flags.v0Frameworks()) {
      // Mesos' v0 frameworks authenticate by SASL on their libprocess connection; jmesos' driver has only its
      // HTTP connection, on which it presents the same credential as Basic: the scheduler realm with `basic`.
      builder.realm(Realms.MASTER_SCHEDULER, "basic", credentials);
    }
    return new Setup(builder.build(), credentials);
  }

  /** Mesos' checks of {@code --authenticators}: one name, and only {@code crammd5} exists. */
  private static void checkAuthenticators(String value) {
    String[] names = value.isEmpty() ? new String[0] : value.split(",");
    if (names.length == 0) {
      throw new IllegalArgumentException("No authenticator specified");
    }
    if (names.length > 1) {
      throw new IllegalArgumentException("Multiple authenticators not supported");
    }
    if (!DEFAULT_AUTHENTICATOR.equals(names[0])) {
      throw new IllegalArgumentException("Authenticator '" + names[0] + "' not found. Check the spelling (compare "
          + "to '" + DEFAULT_AUTHENTICATOR + "') or verify that the authenticator was loaded successfully (see "
          + "--modules)");
    }
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
