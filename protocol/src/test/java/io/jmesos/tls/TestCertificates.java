package io.jmesos.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway certificates made at test run time (no private key is committed): an authority, and leaf
 * certificates it signs, written as PEM files (keys as PKCS#8, or PKCS#1 on request) into a directory.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static final int POOL = 8;
  private static final KeyPair[] KEYS = new KeyPair[POOL];
  private static final AtomicLong NEXT_KEY = new AtomicLong();

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path caFile;

  private TestCertificates(Path dir, KeyPair caKeys, X509Certificate ca, Path caFile) {
    this.dir = dir;
    this.caKeys = caKeys;
    this.ca = ca;
    this.caFile = caFile;
  }

  /** A new authority named {@code name}, its certificate written to {@code <dir>/<name>-ca.pem}. */
  public static TestCertificates authority(Path dir, String name) throws IOException {
    KeyPair keys = rsa();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), from(), until(), subject,
        keys.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    X509Certificate ca = sign(b, keys.getPrivate());
    Path file = dir.resolve(name + "-ca.pem");
    write(file, ca);
    return new TestCertificates(dir, keys, ca, file);
  }

  /** The authority's certificate file (what {@code LIBPROCESS_SSL_CA_FILE} names). */
  public Path caFile() {
    return caFile;
  }

  public X509Certificate certificate() {
    return ca;
  }

  /** A certificate for localhost and 127.0.0.1, with a PKCS#8 key. */
  public Issued issue(String name) throws IOException {
    return issue(name, List.of("localhost"), List.of("127.0.0.1"), false);
  }

  /** A certificate with these DNS and IP subject alternative names, its key as PKCS#1 if {@code pkcs1}. */
  public Issued issue(String name, List<String> dnsNames, List<String> ips, boolean pkcs1) throws IOException {
    KeyPair keys = rsa();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(ca.getSubjectX500Principal()
        .getName()), serial(), from(), until(), new X500Name("CN=" + name), keys.getPublic());
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    try {
      if (!names.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    X509Certificate cert = sign(b, caKeys.getPrivate());
    Path certFile = dir.resolve(name + "-cert.pem");
    Path keyFile = dir.resolve(name + "-key.pem");
    write(certFile, cert);
    try (Writer w = Files.newBufferedWriter(keyFile, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      if (pkcs1) {
        pem.writeObject(keys.getPrivate()); // RSA keys are written as "RSA PRIVATE KEY" (PKCS#1)
      } else {
        pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
      }
    }
    return new Issued(certFile, keyFile, this);
  }

  /** A leaf certificate and key files, and the authority that signed them. */
  public static final class Issued {
    public final Path cert;
    public final Path key;
    public final TestCertificates authority;

    Issued(Path cert, Path key, TestCertificates authority) {
      this.cert = cert;
      this.key = key;
      this.authority = authority;
    }

    /**
     * TLS on with this key and certificate, trusting the authority, then {@code extra} (variable names without
     * the {@code LIBPROCESS_SSL_} prefix) over it.
     */
    public Map<String, String> settings(String... extra) {
      Map<String, String> v = new LinkedHashMap<>();
      v.put("ENABLED", "true");
      v.put("KEY_FILE", key.toString());
      v.put("CERT_FILE", cert.toString());
      v.put("CA_FILE", authority.caFile.toString());
      for (int i = 0; i + 1 < extra.length; i += 2) {
        v.put(extra[i], extra[i + 1]);
      }
      return v;
    }

    /** {@link #settings} as a built context. */
    public TlsContext context(String... extra) {
      return TlsContext.create(TlsConfig.of(settings(extra)));
    }

    /** {@link #settings} as {@code LIBPROCESS_SSL_*} environment variables. */
    public Map<String, String> environment(String... extra) {
      Map<String, String> env = new LinkedHashMap<>();
      settings(extra).forEach((k, v) -> env.put(TlsConfig.PREFIX + k, v));
      return env;
    }
  }

  /**
   * An RSA key pair from a small pool made once per JVM (RSA key generation is slow on a busy machine): any
   * {@link #POOL} keys in a row are distinct. RSA, because Mesos' default cipher list has only RSA suites.
   */
  private static synchronized KeyPair rsa() {
    int i = (int) (NEXT_KEY.getAndIncrement() % POOL);
    if (KEYS[i] == null) {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KEYS[i] = g.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return KEYS[i];
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path file, Object object) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(object);
    }
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private static Date from() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date until() {
    return Date.from(Instant.now().plus(Duration.ofDays(1)));
  }
}
