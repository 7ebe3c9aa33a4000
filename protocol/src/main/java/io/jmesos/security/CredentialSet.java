package io.jmesos.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Principals and their secrets, as loaded from a credentials file ({@link CredentialsFile}). A principal given
 * twice keeps its last secret, as Mesos' basic authenticator factory does. {@link #toString()} names the
 * principals, never the secrets, so the set can be logged. Immutable.
 */
public final class CredentialSet {
  private final Map<String, String> secrets;

  private CredentialSet(Map<String, String> secrets) {
    this.secrets = secrets;
  }

  /** {@code secrets} maps each principal to its secret. */
  public static CredentialSet of(Map<String, String> secrets) {
    return new CredentialSet(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(secrets)));
  }

  public Set<String> principals() {
    return secrets.keySet();
  }

  public int size() {
    return secrets.size();
  }

  /** The secrets by principal; only authenticators read them. */
  Map<String, String> secrets() {
    return secrets;
  }

  @Override
  public String toString() {
    return secrets.size() + " credentials (principals " + secrets.keySet() + ")";
  }
}
