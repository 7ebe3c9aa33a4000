package io.jmesos.security;

import io.jmesos.http.HttpRequest;

/**
 * Authenticates the requests of one realm, as libprocess' {@code http::authentication::Authenticator}: it either
 * names the request's principal or gives the response that refuses it. Called on I/O threads: implementations are
 * thread-safe and do not block.
 */
public interface HttpAuthenticator {
  Authentication authenticate(HttpRequest request);

  /** The HTTP authentication scheme, e.g. {@code Basic}. */
  String scheme();
}
