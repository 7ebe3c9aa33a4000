/**
 * HTTP authentication as Mesos 1.11 sets it up, shared by the master and the agent. Every route belongs to an
 * authentication realm ({@link io.jmesos.security.Realms}) or to none; a realm whose flag is on
 * ({@code --authenticate_http_readonly}, {@code --authenticate_http_readwrite}, {@code
 * --authenticate_http_frameworks}) has an {@link io.jmesos.security.HttpAuthenticator}, and
 * {@link io.jmesos.http.HttpRouter} asks it before a handler runs: a request it refuses is answered {@code 401}
 * with a {@code WWW-Authenticate} challenge, one it accepts reaches the handler with its principal
 * ({@link io.jmesos.http.HttpRequest#principal()}). A realm without an authenticator lets every request through
 * with no principal, as libprocess does.
 *
 * <p>The only authenticator is libprocess' {@code basic} one ({@link io.jmesos.security.BasicAuthenticator}), over
 * the principals and secrets of a credentials file ({@link io.jmesos.security.CredentialsFile}).
 * {@link io.jmesos.security.HttpAuthenticators} maps realms to authenticators, built once at start-up with
 * Mesos' errors for an unknown authenticator or missing credentials; it is immutable and thread-safe, and
 * authenticating never blocks, so it runs on the I/O thread. Secrets are compared in constant time and never
 * logged.
 *
 * <p>Beyond HTTP Basic: agents authenticate to the master with SASL CRAM-MD5 over the internal protocol ({@link
 * io.jmesos.security.SaslServerSession}, {@link io.jmesos.security.SaslClientSession}, on the JDK's {@code
 * javax.security.sasl}), and executors with HS256 tokens the agent signs ({@link io.jmesos.security.Jwt}, {@link
 * io.jmesos.security.JwtAuthenticator} for the executor realm).
 */
package io.jmesos.security;
