package io.jmesos.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TlsConfig} made usable, on the JDK's own TLS provider (JSSE): the key and certificate loaded and checked
 * to belong together, the authorities to trust, the protocol versions and cipher suites, and the engines servers
 * and clients wrap their connections in. Built once at start-up ({@link #create}); every error names the file or
 * variable at fault, with libprocess' wording where it has one, and key material is never logged. Immutable and
 * thread-safe.
 */
public final class TlsContext {
  private static final Logger LOG = LoggerFactory.getLogger(TlsContext.class);
  private static final TlsContext DISABLED = new TlsContext(TlsConfig.disabled(), null, null, null, null);
  private static TlsContext process;

  private final TlsConfig config;
  private final SSLContext server;
  private final SSLContext client;
  private final String[] protocols;
  private final String[] cipherSuites;

  private TlsContext(TlsConfig config, SSLContext server, SSLContext client, String[] protocols,
      String[] cipherSuites) {
    this.config = config;
    this.server = server;
    this.client = client;
    this.protocols = protocols;
    this.cipherSuites = cipherSuites;
  }

  /** Plain TCP everywhere. */
  public static TlsContext disabled() {
    return DISABLED;
  }

  /**
   * This process' TLS, from its {@code LIBPROCESS_SSL_*} environment, built on first use and shared after, as
   * libprocess initializes OpenSSL once per process: what drivers and tools use unless given another.
   *
   * @throws TlsException if the environment asks for TLS that cannot be set up
   */
  public static synchronized TlsContext process() {
    if (process == null) {
      process = create(TlsConfig.fromEnvironment(System.getenv()));
    }
    return process;
  }

  /**
   * Loads the key, certificate and authorities and checks the settings; logs the configuration's warnings.
   *
   * @throws TlsException for a missing, unreadable or mismatched key or certificate, an unusable CA file or
   *     directory, no usable protocol version or cipher
   */
  public static TlsContext create(TlsConfig config) {
    Objects.requireNonNull(config, "config");
    if (!config.enabled()) {
      return config.equals(DISABLED.config) ? DISABLED : new TlsContext(config, null, null, null, null);
    }
    for (String warning : config.warnings()) {
      LOG.warn("{}", warning);
    }
    Path keyFile = config.keyFile().orElseThrow(
        () -> new TlsException("SSL requires key! NOTE: Set path with LIBPROCESS_SSL_KEY_FILE"));
    Path certFile = config.certFile().orElseThrow(
        () -> new TlsException("SSL requires certificate! NOTE: Set path with LIBPROCESS_SSL_CERT_FILE"));
    List<X509Certificate> chain;
    try {
      chain = PemFiles.certificates(certFile);
    } catch (IOException e) {
      throw new TlsException("Could not load cert file '" + certFile + "': " + e.getMessage(), e);
    }
    PrivateKey key;
    try {
      key = PemFiles.privateKey(keyFile);
    } catch (IOException e) {
      throw new TlsException("Could not load key file '" + keyFile + "': " + e.getMessage(), e);
    }
    if (!PemFiles.matches(key, chain.get(0))) {
      throw new TlsException("Private key does not match the certificate public key (key file '" + keyFile
          + "', cert file '" + certFile + "')");
    }
    KeyManager[] keys = keyManagers(key, chain);
    TrustManager verifying = config.verifyServerCert() || config.requireClientCert()
        ? TrustManagers.authorities(config) : null;
    TrustManager any = TrustManagers.any();
    SSLContext server = sslContext(keys, config.requireClientCert() ? verifying : any);
    SSLContext client = sslContext(keys, config.verifyServerCert() ? verifying : any);
    String[] protocols = protocols(config, server);
    String[] suites = cipherSuites(config, server, protocols);
    if (!config.ecdhCurves().equals("auto")) {
      LOG.warn("LIBPROCESS_SSL_ECDH_CURVES={} is ignored: the JDK provider chooses the curves (set the "
          + "jdk.tls.namedGroups system property to restrict them)", config.ecdhCurves());
    }
    LOG.info("TLS enabled with {} for {} ({} cipher suites); server certificates {}verified, client certificates "
        + "{}required; '{}' hostname validation; downgrade to plain TCP {}", certFile,
        chain.get(0).getSubjectX500Principal().getName(), suites.length,
        config.verifyServerCert() ? "" : "not ", config.requireClientCert() ? "" : "not ",
        config.hostnameValidation().name().toLowerCase(java.util.Locale.ROOT),
        config.supportDowngrade() ? "allowed" : "refused");
    return new TlsContext(config, server, client, protocols, suites);
  }

  private static KeyManager[] keyManagers(PrivateKey key, List<X509Certificate> chain) {
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("key", key, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("Could not use the key and certificate: " + e.getMessage(), e);
    }
  }

  private static SSLContext sslContext(KeyManager[] keys, TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new TlsException("Could not set up the JDK's TLS provider: " + e.getMessage(), e);
    }
  }

  private static String[] protocols(TlsConfig config, SSLContext context) {
    Set<String> usable = Set.of(context.getDefaultSSLParameters().getProtocols());
    List<String> enabled = new ArrayList<>();
    for (String version : config.protocols()) {
      if (usable.contains(version)) {
        enabled.add(version);
      } else {
        LOG.warn("{} is enabled but the JDK disables it (jdk.tls.disabledAlgorithms): not offered", version);
      }
    }
    if (enabled.isEmpty()) {
      throw new TlsException("No TLS protocol version is enabled: set one of LIBPROCESS_SSL_ENABLE_TLS_V1_2 or "
          + "LIBPROCESS_SSL_ENABLE_TLS_V1_3 to true");
    }
    return enabled.toArray(new String[0]);
  }

  /**
   * The suites {@code CIPHERS} names that the JDK supports, then (with TLS 1.3 on) the JDK's TLS 1.3 suites,
   * which OpenSSL's cipher list does not govern either.
   */
  private static String[] cipherSuites(TlsConfig config, SSLContext context, String[] protocols) {
    Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
    Set<String> suites = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String name : config.ciphers().split(":")) {
      if (name.isBlank()) {
        continue;
      }
      String java = CipherNames.toJava(name);
      if (java != null && supported.contains(java)) {
        suites.add(java);
      } else {
        unknown.add(name.trim());
      }
    }
    boolean pre13 = Arrays.stream(protocols).anyMatch(p -> !p.equals("TLSv1.3"));
    if (suites.isEmpty() && pre13) {
      throw new TlsException("Could not set ciphers '" + config.ciphers() + "': none is supported by the JDK");
    }
    if (!unknown.isEmpty()) {
      LOG.info("Ciphers the JDK does not offer, left out: {}", String.join(":", unknown));
    }
    if (Arrays.asList(protocols).contains("TLSv1.3")) {
      for (String suite : context.getDefaultSSLParameters().getCipherSuites()) {
        if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
          suites.add(suite);
        }
      }
    }
    return suites.toArray(new String[0]);
  }

  public boolean enabled() {
    return config.enabled();
  }

  public TlsConfig config() {
    return config;
  }

  /** {@code https} when TLS is on, else {@code http}: the scheme of URLs to this process' servers. */
  public String scheme() {
    return enabled() ? "https" : "http";
  }

  /** An engine for an accepted connection. */
  public SSLEngine serverEngine() {
    requireEnabled();
    SSLEngine engine = server.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(config.requireClientCert());
    configure(engine);
    return engine;
  }

  /** An engine for a connection to {@code target} (its host name is sent as SNI). */
  public SSLEngine clientEngine(InetSocketAddress target) {
    requireEnabled();
    SSLEngine engine = client.createSSLEngine(target.getHostString(), target.getPort());
    engine.setUseClientMode(true);
    configure(engine);
    return engine;
  }

  /** Sockets for clients that do not use Netty (the command executor's agent client). */
  public SSLSocketFactory socketFactory() {
    requireEnabled();
    SSLContext context = client;
    return new ConfiguredSocketFactory(context.getSocketFactory(), protocols, cipherSuites);
  }

  private void configure(SSLEngine engine) {
    SSLParameters params = engine.getSSLParameters();
    params.setProtocols(protocols);
    params.setCipherSuites(cipherSuites);
    engine.setSSLParameters(params);
  }

  /** Whether clients check the server's certificate names after the handshake ({@link #verifyServer}). */
  public boolean checksServer() {
    return enabled() && config.verifyServerCert();
  }

  /** Whether servers check the client's certificate names after the handshake ({@link #verifyClient}). */
  public boolean checksClient() {
    return enabled() && config.requireClientCert()
        && config.hostnameValidation() == TlsConfig.HostnameValidation.LEGACY;
  }

  /**
   * Hostname validation of the server certificate of a connection to {@code target} made with {@code peer}'s
   * address. May block on a reverse DNS lookup ({@code legacy} scheme): call it off I/O threads.
   */
  public void verifyServer(SSLSession session, InetSocketAddress target, InetAddress peer)
      throws SSLPeerUnverifiedException {
    PeerNames.check(leaf(session), config.hostnameValidation(), target.getHostString(), peer,
        config.verifyIpAdd());
  }

  /** Hostname validation of a client's certificate ({@code legacy} scheme: reverse DNS; may block). */
  public void verifyClient(SSLSession session, InetAddress peer) throws SSLPeerUnverifiedException {
    PeerNames.check(leaf(session), TlsConfig.HostnameValidation.LEGACY, peer.getHostAddress(), peer,
        config.verifyIpAdd());
  }

  private static X509Certificate leaf(SSLSession session) throws SSLPeerUnverifiedException {
    Certificate[] chain = session.getPeerCertificates();
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
      throw new SSLPeerUnverifiedException("The peer presented no X.509 certificate");
    }
    return (X509Certificate) chain[0];
  }

  private void requireEnabled() {
    if (!enabled()) {
      throw new IllegalStateException("TLS is not enabled");
    }
  }

  /** The variables to give a child process so that it speaks TLS as this one does. */
  public Map<String, String> environment() {
    return config.environment();
  }

  @Override
  public String toString() {
    return enabled() ? "TLS " + Arrays.toString(protocols) : "plain TCP";
  }
}
