package io.jmesos.tls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS settings of libprocess, read once from the {@code LIBPROCESS_SSL_*} environment variables (and their
 * deprecated {@code SSL_*} spellings, which lose to the new ones) with Mesos 1.11's names, meanings and defaults
 * ({@code 3rdparty/libprocess/src/openssl.cpp}), but for one: clients verify server certificates unless told not to. The legacy aliases {@code VERIFY_CERT} and {@code REQUIRE_CERT}
 * turn on {@code VERIFY_SERVER_CERT} and {@code REQUIRE_CLIENT_CERT}, and requiring client certificates implies
 * verifying server ones, as in Mesos. Only parsing happens here; {@link TlsContext#create} loads the files.
 * Immutable and thread-safe.
 */
public final class TlsConfig {
  /** Prefix of the variables, as libprocess reads them. */
  public static final String PREFIX = "LIBPROCESS_SSL_";
  /** The deprecated prefix (before Mesos 1.0), read when the new name is not set. */
  public static final String LEGACY_PREFIX = "SSL_";
  /** Mesos' default cipher list (OpenSSL names). */
  public static final String DEFAULT_CIPHERS = "AES128-SHA:AES256-SHA:RC4-SHA:DHE-RSA-AES128-SHA:"
      + "DHE-DSS-AES128-SHA:DHE-RSA-AES256-SHA:DHE-DSS-AES256-SHA";
  static final int DEFAULT_VERIFICATION_DEPTH = 4;

  /** How a peer certificate's names are checked against the peer ({@code HOSTNAME_VALIDATION_SCHEME}). */
  public enum HostnameValidation {
    /** Reverse DNS of the peer's IP, in client and server mode, after the handshake (Mesos' default). */
    LEGACY,
    /** The host name (or IP) the client connected to, in client mode only. */
    OPENSSL
  }

  /** Every variable read, without the prefix, for documentation and {@link #environment()}. */
  static final List<String> NAMES = List.of("ENABLED", "SUPPORT_DOWNGRADE", "KEY_FILE", "CERT_FILE", "CA_FILE",
      "CA_DIR", "VERIFY_CERT", "VERIFY_SERVER_CERT", "REQUIRE_CERT", "REQUIRE_CLIENT_CERT", "VERIFY_IPADD",
      "VERIFICATION_DEPTH", "CIPHERS", "ECDH_CURVES", "HOSTNAME_VALIDATION_SCHEME", "ENABLE_SSL_V3",
      "ENABLE_TLS_V1_0", "ENABLE_TLS_V1_1", "ENABLE_TLS_V1_2", "ENABLE_TLS_V1_3");

  private final Map<String, String> variables;
  private final boolean enabled;
  private final boolean supportDowngrade;
  private final Path keyFile;
  private final Path certFile;
  private final Path caFile;
  private final Path caDir;
  private final boolean verifyServerCert;
  private final boolean requireClientCert;
  private final boolean verifyIpAdd;
  private final int verificationDepth;
  private final String ciphers;
  private final String ecdhCurves;
  private final HostnameValidation hostnameValidation;
  private final List<String> protocols;
  private final List<String> warnings;

  private TlsConfig(Map<String, String> v, List<String> earlier) {
    this.variables = Map.copyOf(v);
    List<String> notes = new ArrayList<>(earlier);
    this.enabled = bool(v, "ENABLED", false);
    this.supportDowngrade = bool(v, "SUPPORT_DOWNGRADE", false);
    this.keyFile = path(v, "KEY_FILE");
    this.certFile = path(v, "CERT_FILE");
    this.caFile = path(v, "CA_FILE");
    this.caDir = path(v, "CA_DIR");
    boolean verifyCert = bool(v, "VERIFY_CERT", false);
    boolean requireCert = bool(v, "REQUIRE_CERT", false);
    if (verifyCert) {
      notes.add("Usage of LIBPROCESS_SSL_VERIFY_CERT is deprecated; it was renamed to "
          + "LIBPROCESS_SSL_VERIFY_SERVER_CERT");
    }
    if (requireCert) {
      notes.add("Usage of LIBPROCESS_SSL_REQUIRE_CERT is deprecated; it was renamed to "
          + "LIBPROCESS_SSL_REQUIRE_CLIENT_CERT");
    }
    this.requireClientCert = requireCert || bool(v, "REQUIRE_CLIENT_CERT", false);
    // Requiring client certificates implies verifying server ones (Mesos: for backwards compatibility). Unlike
    // libprocess, clients verify by default: only an explicit false (VERIFY_SERVER_CERT, or the legacy
    // VERIFY_CERT alone) turns it off.
    boolean verifyByDefault = !v.containsKey("VERIFY_CERT");
    this.verifyServerCert = verifyCert || requireClientCert || bool(v, "VERIFY_SERVER_CERT", verifyByDefault);
    this.verifyIpAdd = bool(v, "VERIFY_IPADD", false);
    this.verificationDepth = integer(v, "VERIFICATION_DEPTH", DEFAULT_VERIFICATION_DEPTH);
    this.ciphers = v.getOrDefault("CIPHERS", DEFAULT_CIPHERS);
    this.ecdhCurves = v.getOrDefault("ECDH_CURVES", "auto");
    String scheme = v.getOrDefault("HOSTNAME_VALIDATION_SCHEME", "legacy");
    if (scheme.equals("legacy")) {
      this.hostnameValidation = HostnameValidation.LEGACY;
    } else if (scheme.equals("openssl")) {
      this.hostnameValidation = HostnameValidation.OPENSSL;
    } else {
      throw new TlsException("Unknown value for hostname_validation_scheme: " + scheme);
    }
    List<String> versions = new ArrayList<>();
    if (bool(v, "ENABLE_SSL_V3", false)) {
      notes.add("LIBPROCESS_SSL_ENABLE_SSL_V3 is ignored: the JDK provider does not speak SSLv3");
    }
    addIf(versions, bool(v, "ENABLE_TLS_V1_0", false), "TLSv1");
    addIf(versions, bool(v, "ENABLE_TLS_V1_1", false), "TLSv1.1");
    addIf(versions, bool(v, "ENABLE_TLS_V1_2", true), "TLSv1.2");
    addIf(versions, bool(v, "ENABLE_TLS_V1_3", false), "TLSv1.3");
    this.protocols = List.copyOf(versions);
    if (enabled && supportDowngrade) {
      notes.add("Failed SSL connections will be downgraded to a non-SSL socket");
      if (verifyServerCert || requireClientCert) {
        notes.add("TLS certificate verification is enabled (LIBPROCESS_SSL_VERIFY_SERVER_CERT, "
            + "LIBPROCESS_SSL_REQUIRE_CLIENT_CERT), but can be bypassed because TLS downgrades are enabled");
      }
    }
    this.warnings = List.copyOf(notes);
  }

  /** TLS off: every connection is plain TCP (libprocess' default). */
  public static TlsConfig disabled() {
    return new TlsConfig(Map.of(), List.of());
  }

  /**
   * Reads the {@code LIBPROCESS_SSL_*} (else {@code SSL_*}) variables of {@code environment}.
   *
   * @throws TlsException for a value that does not parse, with libprocess' wording
   */
  public static TlsConfig fromEnvironment(Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> mismatched = new ArrayList<>();
    for (String name : NAMES) {
      String current = environment.get(PREFIX + name);
      String legacy = environment.get(LEGACY_PREFIX + name);
      if (current != null && legacy != null && !current.equals(legacy)) {
        mismatched.add("Mismatched values for SSL environment variables SSL_" + name + " and LIBPROCESS_SSL_"
            + name);
      }
      String value = current != null ? current : legacy;
      if (value != null) {
        values.put(name, value);
      }
    }
    return new TlsConfig(values, mismatched);
  }

  /** Builds a configuration from values by variable name without prefix ({@code ENABLED -> true}), for tests. */
  public static TlsConfig of(Map<String, String> values) {
    for (String name : values.keySet()) {
      if (!NAMES.contains(name)) {
        throw new TlsException("Unknown TLS setting '" + name + "'; known: " + NAMES);
      }
    }
    return new TlsConfig(values, List.of());
  }

  /** Whether TLS is on ({@code ENABLED}, default false). */
  public boolean enabled() {
    return enabled;
  }

  /** Whether a server also accepts plain connections ({@code SUPPORT_DOWNGRADE}, default false). */
  public boolean supportDowngrade() {
    return supportDowngrade;
  }

  /** {@code KEY_FILE}: the PEM private key, if set. */
  public Optional<Path> keyFile() {
    return Optional.ofNullable(keyFile);
  }

  /** {@code CERT_FILE}: the PEM certificate (chain) presented, if set. */
  public Optional<Path> certFile() {
    return Optional.ofNullable(certFile);
  }

  /** {@code CA_FILE}: PEM certificates of the trusted authorities, if set. */
  public Optional<Path> caFile() {
    return Optional.ofNullable(caFile);
  }

  /** {@code CA_DIR}: a directory of PEM certificates of trusted authorities, if set. */
  public Optional<Path> caDir() {
    return Optional.ofNullable(caDir);
  }

  /**
   * Whether clients verify server certificates ({@code VERIFY_SERVER_CERT} or its alias): default true, where
   * libprocess' default is false (a secure default; {@code LIBPROCESS_SSL_VERIFY_SERVER_CERT=false} gives Mesos').
   */
  public boolean verifyServerCert() {
    return verifyServerCert;
  }

  /** Whether servers require and verify client certificates ({@code REQUIRE_CLIENT_CERT}, default false). */
  public boolean requireClientCert() {
    return requireClientCert;
  }

  /** Whether a certificate's IP address names may match the peer ({@code VERIFY_IPADD}, default false). */
  public boolean verifyIpAdd() {
    return verifyIpAdd;
  }

  /** The most intermediate authorities a verified chain may hold ({@code VERIFICATION_DEPTH}, default 4). */
  public int verificationDepth() {
    return verificationDepth;
  }

  /** {@code CIPHERS}: colon-separated cipher names (OpenSSL's or the JDK's). */
  public String ciphers() {
    return ciphers;
  }

  /** {@code ECDH_CURVES}: {@code auto} or a colon-separated list of curves. */
  public String ecdhCurves() {
    return ecdhCurves;
  }

  /** {@code HOSTNAME_VALIDATION_SCHEME}, default {@code legacy}. */
  public HostnameValidation hostnameValidation() {
    return hostnameValidation;
  }

  /** The enabled protocol versions, by their JDK names ({@code TLSv1.2}, ...). */
  public List<String> protocols() {
    return protocols;
  }

  /** What the configuration deserves a warning for (deprecated names, downgrades), to log at start-up. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The variables as {@code LIBPROCESS_SSL_*} environment entries, for a process that must speak TLS as this
   * one does (an executor the agent launches).
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    variables.forEach((name, value) -> env.put(PREFIX + name, value));
    return env;
  }

  @Override
  public String toString() {
    return "TlsConfig" + variables;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsConfig && ((TlsConfig) o).variables.equals(variables);
  }

  @Override
  public int hashCode() {
    return Objects.hash(variables);
  }

  private static void addIf(List<String> list, boolean condition, String value) {
    if (condition) {
      list.add(value);
    }
  }

  private static boolean bool(Map<String, String> v, String name, boolean fallback) {
    String value = v.get(name);
    if (value == null) {
      return fallback;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
        return true;
      case "false":
      case "0":
        return false;
      default:
        throw invalid(name, value, "Expecting a boolean (e.g., true or false)");
    }
  }

  private static int integer(Map<String, String> v, String name, int fallback) {
    String value = v.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 0) {
        throw invalid(name, value, "Expecting a non-negative integer");
      }
      return n;
    } catch (NumberFormatException e) {
      throw invalid(name, value, "Failed to convert into required type");
    }
  }

  private static Path path(Map<String, String> v, String name) {
    String value = v.get(name);
    return value == null || value.isEmpty() ? null : Path.of(value);
  }

  private static TlsException invalid(String name, String value, String why) {
    return new TlsException("Failed to load flags from environment variables prefixed by LIBPROCESS_SSL_ or SSL_ "
        + "(deprecated): Failed to load flag '" + name.toLowerCase(Locale.ROOT) + "': Failed to load value '"
        + value + "': " + why);
  }
}
