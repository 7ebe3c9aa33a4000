package io.jmesos.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files OpenSSL (and so Mesos) uses: certificates, and unencrypted private keys as PKCS#8
 * ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} wrote
 * before OpenSSL 3). Errors are {@link IOException}s saying what is wrong, never quoting key material. Stateless.
 */
public final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([^-]*?)-----END \\1-----", Pattern.DOTALL);
  /** DER of the AlgorithmIdentifier {rsaEncryption, NULL}. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
      (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

  private PemFiles() {}

  /** Every certificate of a PEM file, in order (a chain: the leaf first). */
  public static List<X509Certificate> certificates(Path file) throws IOException {
    String text = read(file);
    List<X509Certificate> certs = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("The JDK has no X.509 certificate factory", e);
    }
    while (m.find()) {
      if (!m.group(1).equals("CERTIFICATE") && !m.group(1).equals("TRUSTED CERTIFICATE")) {
        continue;
      }
      try {
        certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
      } catch (CertificateException | IllegalArgumentException e) {
        throw new IOException("not a valid PEM certificate: " + e.getMessage(), e);
      }
    }
    if (certs.isEmpty()) {
      throw new IOException("no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
    }
    return certs;
  }

  /** The first private key of a PEM file. */
  public static PrivateKey privateKey(Path file) throws IOException {
    String text = read(file);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("ENCRYPTED PRIVATE KEY") || m.group(2).contains("ENCRYPTED")) {
        throw new IOException("the key is encrypted; give an unencrypted key (e.g. openssl pkey -in key.pem "
            + "-out plain.pem)");
      }
      if (type.equals("PRIVATE KEY")) {
        return pkcs8(decode(body(m.group(2))));
      }
      if (type.equals("RSA PRIVATE KEY")) {
        return pkcs8(wrapPkcs1(decode(body(m.group(2)))));
      }
    }
    throw new IOException("no PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----) in "
        + "the file");
  }

  /** Whether {@code key} is the private half of {@code certificate}'s public key (a signature made and checked). */
  public static boolean matches(PrivateKey key, X509Certificate certificate) {
    PublicKey pub = certificate.getPublicKey();
    if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    String algorithm;
    switch (key.getAlgorithm()) {
      case "RSA":
        algorithm = "SHA256withRSA";
        break;
      case "EC":
        algorithm = "SHA256withECDSA";
        break;
      case "DSA":
        algorithm = "SHA256withDSA";
        break;
      default:
        algorithm = key.getAlgorithm(); // Ed25519, Ed448, EdDSA
    }
    try {
      byte[] nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(nonce);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(nonce);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PrivateKey pkcs8(byte[] der) throws IOException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "DSA", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new IOException("not a private key of a supported algorithm (RSA, EC, Ed25519, Ed448, DSA)");
  }

  /** PKCS#1 RSAPrivateKey to PKCS#8 PrivateKeyInfo: {version 0, rsaEncryption, OCTET STRING pkcs1}. */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    inner.write(new byte[] {0x02, 0x01, 0x00}, 0, 3);
    inner.write(RSA_ALGORITHM, 0, RSA_ALGORITHM.length);
    inner.write(0x04);
    writeLength(inner, pkcs1.length);
    inner.write(pkcs1, 0, pkcs1.length);
    ByteArrayOutputStream outer = new ByteArrayOutputStream();
    outer.write(0x30);
    writeLength(outer, inner.size());
    byte[] content = inner.toByteArray();
    outer.write(content, 0, content.length);
    return outer.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xff);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write((length >> 8) & 0xff);
      out.write(length & 0xff);
    }
  }

  /** The base64 of a block without RFC 1421 headers ({@code Proc-Type: ...} lines end at an empty line). */
  private static String body(String block) {
    return block.contains(":") ? block.substring(block.indexOf("\n\n") + 2) : block;
  }

  private static byte[] decode(String base64) throws IOException {
    try {
      return Base64.getMimeDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IOException("bad base64 in a PEM block", e);
    }
  }

  private static String read(Path file) throws IOException {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IOException("No such file or directory", e);
    } catch (AccessDeniedException e) {
      throw new IOException("Permission denied", e);
    }
  }
}
