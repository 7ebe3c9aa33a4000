package io.jmesos.security;

import io.jmesos.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticator of each realm that requires authentication, as libprocess' authenticator manager: a realm
 * with none lets requests through unauthenticated. Built once at start-up ({@link #builder()}), then immutable and
 * thread-safe.
 */
public final class HttpAuthenticators {
  /** Mesos' {@code DEFAULT_BASIC_HTTP_AUTHENTICATOR}, the only authenticator jmesos has. */
  public static final String BASIC = "basic";
  /** No realm requires authentication. */
  public static final HttpAuthenticators NONE = new HttpAuthenticators(Map.of());
  private static final Logger LOG = LoggerFactory.getLogger(HttpAuthenticators.class);

  private final Map<String, HttpAuthenticator> byRealm;

  private HttpAuthenticators(Map<String, HttpAuthenticator> byRealm) {
    this.byRealm = Map.copyOf(byRealm);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether requests in {@code realm} must authenticate. */
  public boolean requires(String realm) {
    return realm != null && byRealm.containsKey(realm);
  }

  /** What the realm's authenticator says of {@code request}; empty when the realm (or null) has none. */
  public Optional<Authentication> authenticate(String realm, HttpRequest request) {
    HttpAuthenticator authenticator = realm == null ? null : byRealm.get(realm);
    return authenticator == null ? Optional.empty() : Optional.of(authenticator.authenticate(request));
  }

  @Override
  public String toString() {
    return "HTTP authenticators for realms " + byRealm.keySet();
  }

  /** Collects the realms that require authentication. Not thread-safe. */
  public static final class Builder {
    private final Map<String, HttpAuthenticator> byRealm = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Requires authentication in {@code realm} with the authenticators named in {@code names} (a comma-separated
     * list, as Mesos' {@code --http_authenticators}), as Mesos' {@code initializeHttpAuthenticators}. The only
     * name known is {@code basic}, which needs {@code credentials}; a list naming it several times is one
     * authenticator.
     *
     * @throws IllegalArgumentException with Mesos' message for an unknown name or missing credentials
     */
    public Builder realm(String realm, String names, Optional<CredentialSet> credentials) {
      HttpAuthenticator authenticator = null;
      for (String name : names.split(",", -1)) {
        if (!name.equals(BASIC)) {
          throw new IllegalArgumentException("Failed to create HTTP authenticator module '" + name + "': HTTP "
              + "authenticator '" + name + "' not found. Check the spelling (compare to '" + BASIC + "') or verify "
              + "that the authenticator was loaded successfully (see --modules)");
        }
        if (credentials.isEmpty()) {
          throw new IllegalArgumentException("Failed to create HTTP authenticator module '" + name + "': No "
              + "credentials provided for the default '" + BASIC + "' HTTP authenticator for realm '" + realm + "'");
        }
        if (authenticator == null) {
          LOG.info("Creating default '{}' HTTP authenticator for realm '{}'", BASIC, realm);
          authenticator = new BasicAuthenticator(realm, credentials.get());
        }
      }
      byRealm.put(realm, authenticator);
      return this;
    }

    /** Requires authentication in {@code realm} by {@code authenticator} (the agent's executor realm: JWT). */
    public Builder realm(String realm, HttpAuthenticator authenticator) {
      byRealm.put(realm, java.util.Objects.requireNonNull(authenticator, "authenticator"));
      return this;
    }

    public HttpAuthenticators build() {
      return new HttpAuthenticators(byRealm);
    }
  }
}
