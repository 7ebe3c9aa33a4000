package io.jmesos.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust managers of {@link TlsContext}: the authorities of {@code CA_FILE} and {@code CA_DIR} (else the JDK's
 * default trust store, as OpenSSL falls back on its default paths), with a bound on the chain's depth
 * ({@code VERIFICATION_DEPTH}), or one that accepts every certificate for when verification is off. Thread-safe.
 */
final class TrustManagers {
  private TrustManagers() {}

  /** Verifies chains up to the configured authorities, with at most {@code depth} intermediates. */
  static X509ExtendedTrustManager authorities(TlsConfig config) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (config.caFile().isEmpty() && config.caDir().isEmpty()) {
        factory.init((KeyStore) null);
      } else {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (X509Certificate ca : load(config)) {
          store.setCertificateEntry("ca-" + n++, ca);
        }
        factory.init(store);
      }
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager) {
          return new DepthLimited((X509ExtendedTrustManager) tm, config.verificationDepth());
        }
      }
      throw new TlsException("The JDK has no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("Could not load CA file and/or directory: " + e.getMessage() + " -> "
          + config.caFile().map(f -> "FILE: " + f).orElse("") + config.caDir().map(d -> " DIR: " + d).orElse(""), e);
    }
  }

  private static List<X509Certificate> load(TlsConfig config) throws IOException {
    List<X509Certificate> cas = new ArrayList<>();
    if (config.caFile().isPresent()) {
      cas.addAll(PemFiles.certificates(config.caFile().get()));
    }
    if (config.caDir().isPresent()) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(config.caDir().get())) {
        for (Path file : files) {
          if (Files.isRegularFile(file)) {
            try {
              cas.addAll(PemFiles.certificates(file));
            } catch (IOException e) {
              // Not a certificate (OpenSSL also skips what it cannot use in a CA directory).
            }
          }
        }
      }
    }
    if (cas.isEmpty()) {
      throw new IOException("no certificate found");
    }
    return cas;
  }

  /** Accepts any certificate: for when verification is off (the peer still has to present one). */
  static X509ExtendedTrustManager any() {
    return new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
  }

  /** A trust manager that also refuses chains with more than {@code depth} intermediate authorities. */
  private static final class DepthLimited extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final int depth;

    DepthLimited(X509ExtendedTrustManager delegate, int depth) {
      this.delegate = delegate;
      this.depth = depth;
    }

    private void checkDepth(X509Certificate[] chain) throws CertificateException {
      int intermediates = chain.length - 1;
      X509Certificate last = chain[chain.length - 1];
      if (chain.length > 1 && last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
        intermediates--; // the root itself was sent
      }
      if (intermediates > depth) {
        throw new CertificateException("certificate chain too long: " + intermediates
            + " intermediate authorities, LIBPROCESS_SSL_VERIFICATION_DEPTH allows " + depth);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, socket);
      checkDepth(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, socket);
      checkDepth(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, engine);
      checkDepth(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkServerTrusted(chain, authType, engine);
      checkDepth(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
      checkDepth(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
      checkDepth(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
