/**
 * TLS as libprocess configures it, on the JDK's own provider (JSSE). {@link io.jmesos.tls.TlsConfig} reads
 * Mesos' {@code LIBPROCESS_SSL_*} environment variables once, with their names, meanings and defaults;
 * {@link io.jmesos.tls.TlsContext} loads the PEM key, certificate and authorities ({@link io.jmesos.tls.PemFiles})
 * with clear start-up errors and hands out {@code SSLEngine}s for servers and clients, and checks peer
 * certificate names after the handshake as {@code HOSTNAME_VALIDATION_SCHEME} says. No Netty here: the command
 * executor, which does not load Netty, uses it through plain sockets; the Netty glue is in
 * {@code io.jmesos.transport}. Immutable and thread-safe.
 */
package io.jmesos.tls;
