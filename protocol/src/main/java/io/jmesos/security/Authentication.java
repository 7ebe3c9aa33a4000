package io.jmesos.security;

import io.jmesos.http.HttpResponse;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link HttpAuthenticator} decided: the authenticated principal, or the response refusing the request
 * (libprocess' {@code AuthenticationResult}, which holds exactly one of them). Immutable.
 */
public final class Authentication {
  private final String principal;
  private final HttpResponse refusal;
  private final Map<String, String> claims;

  private Authentication(String principal, HttpResponse refusal, Map<String, String> claims) {
    this.principal = principal;
    this.refusal = refusal;
    this.claims = Map.copyOf(claims);
  }

  public static Authentication authenticated(String principal) {
    return new Authentication(Objects.requireNonNull(principal, "principal"), null, Map.of());
  }

  /** Authenticated with a token's claims (libprocess' {@code Principal} with claims); {@code principal} names it. */
  public static Authentication authenticated(String principal, Map<String, String> claims) {
    return new Authentication(Objects.requireNonNull(principal, "principal"), null, claims);
  }

  /** The claims of the principal; empty unless a token authenticated it. */
  public Map<String, String> claims() {
    return claims;
  }

  /** A refusal, usually {@code 401} with a challenge ({@link #unauthorized(String)}). */
  public static Authentication refused(HttpResponse response) {
    return new Authentication(null, Objects.requireNonNull(response, "response"), Map.of());
  }

  /**
   * libprocess' {@code Unauthorized}: {@code 401}, body {@code 401 Unauthorized.} and the given challenge in
   * {@code WWW-Authenticate}.
   */
  public static Authentication unauthorized(String challenge) {
    return refused(HttpResponse.text(401, "401 Unauthorized.").withHeader("WWW-Authenticate", challenge));
  }

  /** The principal, when the request is authenticated. */
  public Optional<String> principal() {
    return Optional.ofNullable(principal);
  }

  /** The answer to a refused request, when it is refused. */
  public Optional<HttpResponse> refusal() {
    return Optional.ofNullable(refusal);
  }

  @Override
  public String toString() {
    return principal != null ? "authenticated as '" + principal + "'" : "refused: " + refusal;
  }
}
