package io.jmesos.security;

import io.jmesos.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * libprocess' {@code basic} HTTP authenticator (RFC 7617) for one realm: the request must carry {@code
 * Authorization: Basic base64(principal:secret)} naming a known principal and its secret. Anything else (no
 * header, another scheme, more or fewer than one space, bad base64, more or fewer than one colon in the decoded
 * pair, an unknown principal, a wrong secret) is answered {@code 401} with {@code WWW-Authenticate: Basic
 * realm="<realm>"}. As in libprocess a secret that contains a colon can never authenticate.
 *
 * <p>Secrets are compared in constant time: both sides are hashed with SHA-256 and the digests compared with
 * {@link MessageDigest#isEqual}, so the time taken tells nothing of the stored secret, not even its length; an
 * unknown principal is compared against a dummy digest. Secrets are never logged. Immutable and thread-safe.
 */
public final class BasicAuthenticator implements HttpAuthenticator {
  private static final byte[] UNKNOWN = sha256(new byte[0]);

  private final String realm;
  private final Map<String, byte[]> digests;
  private final BiPredicate<byte[], byte[]> equal;

  public BasicAuthenticator(String realm, CredentialSet credentials) {
    this(realm, credentials, MessageDigest::isEqual);
  }

  /** With the comparison of digests given, so that tests can watch it. */
  BasicAuthenticator(String realm, CredentialSet credentials, BiPredicate<byte[], byte[]> equal) {
    this.realm = Objects.requireNonNull(realm, "realm");
    this.equal = Objects.requireNonNull(equal, "equal");
    Map<String, byte[]> d = new HashMap<>();
    credentials.secrets().forEach((principal, secret) ->
        d.put(principal, sha256(secret.getBytes(StandardCharsets.UTF_8))));
    this.digests = Map.copyOf(d);
  }

  @Override
  public String scheme() {
    return "Basic";
  }

  public String realm() {
    return realm;
  }

  @Override
  public Authentication authenticate(HttpRequest request) {
    String header = request.header("Authorization");
    if (header == null) {
      return unauthorized();
    }
    String[] parts = header.split(" ", -1);
    if (parts.length != 2 || !parts[0].equals("Basic")) {
      return unauthorized();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      return unauthorized();
    }
    String[] pair = new String(decoded, StandardCharsets.UTF_8).split(":", -1);
    if (pair.length != 2) {
      return unauthorized();
    }
    byte[] expected = digests.get(pair[0]);
    boolean known = expected != null;
    boolean matches = equal.test(sha256(pair[1].getBytes(StandardCharsets.UTF_8)), known ? expected : UNKNOWN);
    return known && matches ? Authentication.authenticated(pair[0]) : unauthorized();
  }

  private Authentication unauthorized() {
    return Authentication.unauthorized("Basic realm=\"" + realm + "\"");
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "basic authenticator for realm '" + realm + "' (" + digests.size() + " principals)";
  }
}
