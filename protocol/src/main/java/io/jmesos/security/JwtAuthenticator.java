package io.jmesos.security;

import io.jmesos.http.HttpRequest;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * libprocess' JWT authenticator ({@code Bearer} scheme) for the agent's executor realm: a request must carry
 * {@code Authorization: Bearer <token>} with a token the agent signed ({@link Jwt}, HS256 with {@code
 * --jwt_secret_key}) that has claims. The request then authenticates with those claims as its principal (no
 * value, as Mesos' {@code Principal}); anything else is {@code 401} with libprocess' {@code WWW-Authenticate}
 * challenge ({@code error="invalid_token"} and a description, except for a request with no header at all). The key
 * is never logged. Thread-safe; never blocks.
 */
public final class JwtAuthenticator implements HttpAuthenticator {
  private final String realm;
  private final byte[] key;
  private final LongSupplier nowSeconds;

  public JwtAuthenticator(String realm, byte[] key, LongSupplier nowSeconds) {
    this.realm = Objects.requireNonNull(realm, "realm");
    this.key = key.clone();
    this.nowSeconds = Objects.requireNonNull(nowSeconds, "nowSeconds");
  }

  @Override
  public Authentication authenticate(HttpRequest request) {
    String header = request.header("Authorization");
    if (header == null) {
      return Authentication.unauthorized("Bearer realm=\"" + realm + "\"");
    }
    String[] token = header.split(" ", -1);
    if (token.length != 2) {
      return invalid("Malformed 'Authorization' header");
    }
    if (!token[0].equals("Bearer")) {
      return invalid("Scheme '" + token[0] + "' unsupported");
    }
    Map<String, String> claims;
    try {
      claims = Jwt.verify(token[1], key, nowSeconds.getAsLong());
    } catch (Jwt.InvalidTokenException e) {
      return invalid("Invalid JWT: " + e.getMessage());
    }
    if (claims.isEmpty()) {
      return invalid("JWT claims missing");
    }
    return Authentication.authenticated(Jwt.describe(claims), claims);
  }

  private Authentication invalid(String description) {
    return Authentication.unauthorized("Bearer realm=\"" + realm + "\", error=\"invalid_token\", "
        + "error_description=\"" + description + "\"");
  }

  @Override
  public String scheme() {
    return "Bearer";
  }
}
