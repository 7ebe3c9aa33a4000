package io.jmesos.tls;

import java.util.Locale;
import java.util.Map;

/**
 * Turns OpenSSL cipher names ({@code LIBPROCESS_SSL_CIPHERS} is written for OpenSSL) into the JDK's standard
 * names: {@code ECDHE-RSA-AES128-GCM-SHA256} is {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}, {@code AES128-SHA}
 * is {@code TLS_RSA_WITH_AES_128_CBC_SHA}. A name already in the JDK's form ({@code TLS_...}) is kept. OpenSSL's
 * keywords and operators ({@code HIGH}, {@code !aNULL}) have no equivalent: null. Stateless.
 */
final class CipherNames {
  private static final Map<String, String> CIPHERS = Map.of(
      "AES128", "AES_128", "AES256", "AES_256", "CAMELLIA128", "CAMELLIA_128", "CAMELLIA256", "CAMELLIA_256",
      "RC4", "RC4_128", "DES", "DES", "CHACHA20", "CHACHA20_POLY1305");

  private CipherNames() {}

  /** The JDK name of an OpenSSL cipher name, or null if it names none. */
  static String toJava(String openssl) {
    String name = openssl.trim();
    if (name.startsWith("TLS_") || name.startsWith("SSL_")) {
      return name;
    }
    String[] parts = name.toUpperCase(Locale.ROOT).split("-");
    int i = 0;
    String kx = "RSA";
    String au = null;
    if (i < parts.length && (parts[i].equals("ECDHE") || parts[i].equals("DHE") || parts[i].equals("EDH")
        || parts[i].equals("ECDH"))) {
      kx = parts[i].equals("EDH") ? "DHE" : parts[i];
      i++;
      if (i < parts.length && (parts[i].equals("RSA") || parts[i].equals("ECDSA") || parts[i].equals("DSS"))) {
        au = parts[i++];
      } else {
        au = "RSA";
      }
    }
    if (i >= parts.length) {
      return null;
    }
    String cipher;
    String mode;
    if (parts[i].equals("DES") && i + 2 < parts.length && parts[i + 1].equals("CBC3")) {
      cipher = "3DES_EDE";
      mode = "CBC";
      i += 2;
    } else {
      cipher = CIPHERS.get(parts[i++]);
      if (cipher == null) {
        return null;
      }
      mode = cipher.startsWith("AES") || cipher.startsWith("CAMELLIA") ? "CBC" : null;
      if (i < parts.length && (parts[i].equals("GCM") || parts[i].equals("CCM") || parts[i].equals("CBC"))) {
        mode = parts[i++];
      }
    }
    if (cipher.equals("CHACHA20_POLY1305")) {
      if (i < parts.length && parts[i].equals("POLY1305")) {
        i++;
      }
      return i == parts.length ? prefix(kx, au) + cipher + "_SHA256" : null;
    }
    String mac = i < parts.length ? parts[i++] : null;
    if (i != parts.length || mac == null || !mac.startsWith("SHA")) {
      return null;
    }
    return prefix(kx, au) + cipher + (mode == null ? "" : "_" + mode) + "_" + mac;
  }

  private static String prefix(String kx, String au) {
    return "TLS_" + kx + (au == null ? "" : "_" + au) + "_WITH_";
  }
}
