package io.jmesos.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TlsConfigTest {
  @TempDir
  Path dir;

  @Test
  void defaultsAreLibprocessDefaultsButClientsVerify() {
    TlsConfig c = TlsConfig.fromEnvironment(Map.of());
    assertThat(c.enabled()).isFalse();
    assertThat(c.supportDowngrade()).isFalse();
    // The one secure default libprocess lacks: clients verify server certificates.
    assertThat(c.verifyServerCert()).isTrue();
    assertThat(c.requireClientCert()).isFalse();
    assertThat(c.verifyIpAdd()).isFalse();
    assertThat(c.verificationDepth()).isEqualTo(4);
    assertThat(c.hostnameValidation()).isEqualTo(TlsConfig.HostnameValidation.LEGACY);
    assertThat(c.protocols()).containsExactly("TLSv1.2");
    assertThat(c.ciphers()).isEqualTo(TlsConfig.DEFAULT_CIPHERS);
    assertThat(c.ecdhCurves()).isEqualTo("auto");
    assertThat(TlsContext.create(c).enabled()).isFalse();
  }

  @Test
  void serverCertificateVerificationIsTurnedOffOnlyExplicitly() {
    assertThat(TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "false")).verifyServerCert())
        .isFalse();
    assertThat(TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_VERIFY_CERT", "false")).verifyServerCert())
        .isFalse();
    assertThat(TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "false",
        "LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true")).verifyServerCert()).isTrue();
    assertThat(TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_ENABLED", "true")).verifyServerCert()).isTrue();
  }

  @Test
  void legacyAliasesTurnOnVerificationAndRequireCertImpliesVerify() {
    TlsConfig verify = TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_VERIFY_CERT", "1"));
    assertThat(verify.verifyServerCert()).isTrue();
    assertThat(verify.warnings()).anyMatch(w -> w.contains("LIBPROCESS_SSL_VERIFY_CERT is deprecated"));
    TlsConfig require = TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_REQUIRE_CERT", "true"));
    assertThat(require.requireClientCert()).isTrue();
    assertThat(require.verifyServerCert()).isTrue();
    TlsConfig modern = TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true"));
    assertThat(modern.verifyServerCert()).isTrue();
  }

  @Test
  void oldSslPrefixIsReadButLosesToTheNewOne() {
    TlsConfig c = TlsConfig.fromEnvironment(Map.of("SSL_ENABLED", "true", "SSL_SUPPORT_DOWNGRADE", "true",
        "LIBPROCESS_SSL_SUPPORT_DOWNGRADE", "false"));
    assertThat(c.enabled()).isTrue();
    assertThat(c.supportDowngrade()).isFalse();
    assertThat(c.warnings()).contains(
        "Mismatched values for SSL environment variables SSL_SUPPORT_DOWNGRADE and LIBPROCESS_SSL_SUPPORT_DOWNGRADE");
  }

  @Test
  void protocolVersionsFollowTheEnableFlags() {
    TlsConfig c = TlsConfig.of(Map.of("ENABLE_TLS_V1_2", "false", "ENABLE_TLS_V1_3", "true"));
    assertThat(c.protocols()).containsExactly("TLSv1.3");
    assertThat(TlsConfig.of(Map.of("ENABLE_TLS_V1_3", "1")).protocols()).containsExactly("TLSv1.2", "TLSv1.3");
  }

  @Test
  void badValuesAreRefusedWithLibprocessWording() {
    assertThatThrownBy(() -> TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_ENABLED", "yes")))
        .isInstanceOf(TlsException.class)
        .hasMessage("Failed to load flags from environment variables prefixed by LIBPROCESS_SSL_ or SSL_ "
            + "(deprecated): Failed to load flag 'enabled': Failed to load value 'yes': Expecting a boolean "
            + "(e.g., true or false)");
    assertThatThrownBy(() -> TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "x")))
        .hasMessage("Unknown value for hostname_validation_scheme: x");
    assertThatThrownBy(() -> TlsConfig.fromEnvironment(Map.of("LIBPROCESS_SSL_VERIFICATION_DEPTH", "deep")))
        .hasMessageContaining("Failed to load flag 'verification_depth'");
  }

  @Test
  void startUpErrorsNameWhatIsMissingOrWrong() throws Exception {
    assertThatThrownBy(() -> TlsContext.create(TlsConfig.of(Map.of("ENABLED", "true"))))
        .hasMessage("SSL requires key! NOTE: Set path with LIBPROCESS_SSL_KEY_FILE");
    assertThatThrownBy(() -> TlsContext.create(TlsConfig.of(Map.of("ENABLED", "true", "KEY_FILE", "/k"))))
        .hasMessage("SSL requires certificate! NOTE: Set path with LIBPROCESS_SSL_CERT_FILE");
    TestCertificates ca = TestCertificates.authority(dir, "ca");
    TestCertificates.Issued a = ca.issue("a");
    TestCertificates.Issued b = ca.issue("b");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> TlsContext.create(TlsConfig.of(Map.of("ENABLED", "true", "KEY_FILE",
        a.key.toString(), "CERT_FILE", missing.toString()))))
        .hasMessage("Could not load cert file '" + missing + "': No such file or directory");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key");
    assertThatThrownBy(() -> TlsContext.create(TlsConfig.of(Map.of("ENABLED", "true", "KEY_FILE",
        garbage.toString(), "CERT_FILE", a.cert.toString()))))
        .hasMessageStartingWith("Could not load key file '" + garbage + "': no PEM private key");
    assertThatThrownBy(() -> TlsContext.create(TlsConfig.of(Map.of("ENABLED", "true", "KEY_FILE",
        b.key.toString(), "CERT_FILE", a.cert.toString()))))
        .hasMessageStartingWith("Private key does not match the certificate public key");
    assertThatThrownBy(() -> TlsContext.create(TlsConfig.of(a.settings("VERIFY_SERVER_CERT", "true",
        "CA_FILE", garbage.toString()))))
        .hasMessageStartingWith("Could not load CA file and/or directory");
    assertThatThrownBy(() -> TlsContext.create(TlsConfig.of(a.settings("CIPHERS", "RC4-MD5:NOPE"))))
        .hasMessageStartingWith("Could not set ciphers 'RC4-MD5:NOPE'");
    assertThatThrownBy(() -> TlsContext.create(TlsConfig.of(a.settings("ENABLE_TLS_V1_2", "false"))))
        .hasMessageStartingWith("No TLS protocol version is enabled");
  }

  @Test
  void readsPkcs8AndPkcs1RsaKeys() throws Exception {
    TestCertificates ca = TestCertificates.authority(dir, "ca");
    TestCertificates.Issued pkcs1 = ca.issue("one", List.of("localhost"), List.of(), true);
    assertThat(Files.readString(pkcs1.key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(PemFiles.matches(PemFiles.privateKey(pkcs1.key), PemFiles.certificates(pkcs1.cert).get(0))).isTrue();
    TestCertificates.Issued pkcs8 = ca.issue("eight");
    assertThat(Files.readString(pkcs8.key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(pkcs8.context().enabled()).isTrue();
    assertThat(pkcs1.context().enabled()).isTrue();
  }

  @Test
  void opensslCipherNamesMapToJdkNames() {
    assertThat(CipherNames.toJava("AES128-SHA")).isEqualTo("TLS_RSA_WITH_AES_128_CBC_SHA");
    assertThat(CipherNames.toJava("DHE-RSA-AES256-SHA")).isEqualTo("TLS_DHE_RSA_WITH_AES_256_CBC_SHA");
    assertThat(CipherNames.toJava("ECDHE-RSA-AES128-GCM-SHA256")).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(CipherNames.toJava("ECDHE-ECDSA-AES256-SHA384"))
        .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384");
    assertThat(CipherNames.toJava("ECDHE-RSA-CHACHA20-POLY1305"))
        .isEqualTo("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    assertThat(CipherNames.toJava("TLS_AES_128_GCM_SHA256")).isEqualTo("TLS_AES_128_GCM_SHA256");
    assertThat(CipherNames.toJava("HIGH")).isNull();
    assertThat(CipherNames.toJava("!aNULL")).isNull();
  }

  @Test
  void environmentRoundTripsForChildProcesses() throws Exception {
    TestCertificates.Issued a = TestCertificates.authority(dir, "ca").issue("a");
    Map<String, String> env = a.environment("SUPPORT_DOWNGRADE", "true");
    TlsConfig c = TlsConfig.fromEnvironment(env);
    assertThat(c.environment()).isEqualTo(env);
    assertThat(c.supportDowngrade()).isTrue();
  }
}
