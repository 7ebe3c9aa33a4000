package io.jmesos.master.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.master.MasterMain;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.http.MasterAuthentication;
import io.jmesos.security.Realms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The master's authentication flags and its start-up errors, worded as Mesos 1.11's. */
@Timeout(30)
class MasterAuthenticationSetupTest {
  @TempDir
  Path dir;

  private static MasterFlags flags(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return MasterFlags.of(map);
  }

  @Test
  void defaultsAreMesos() {
    MasterFlags flags = MasterFlags.defaults();
    assertThat(flags.authentication.readonly()).isFalse();
    assertThat(flags.authentication.readwrite()).isFalse();
    assertThat(flags.authentication.frameworks()).isFalse();
    assertThat(flags.authentication.credentials()).isEmpty();
    assertThat(flags.authentication.httpAuthenticators()).isEqualTo("basic");
    assertThat(flags.authentication.httpFrameworkAuthenticators()).isEmpty();
    assertThat(MasterAuthentication.create(flags.authentication).requires(Realms.MASTER_READONLY)).isFalse();
  }

  @Test
  void eachFlagTurnsOnItsRealm() throws Exception {
    String credentials = "file://" + Credentials.write(dir);
    var authenticators = MasterAuthentication.create(flags("credentials", credentials, "authenticate_http_readonly",
        "true", "authenticate_http_frameworks", "true", "http_framework_authenticators", "basic").authentication);
    assertThat(authenticators.requires(Realms.MASTER_READONLY)).isTrue();
    assertThat(authenticators.requires(Realms.MASTER_READWRITE)).isFalse();
    assertThat(authenticators.requires(Realms.MASTER_SCHEDULER)).isTrue();
  }

  @Test
  void frameworksAuthenticationNeedsItsAuthenticators() throws Exception {
    assertThatThrownBy(() -> MasterAuthentication.create(flags("credentials", Credentials.write(dir).toString(),
        "authenticate_http_frameworks", "true").authentication))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Missing `--http_framework_authenticators` flag. This must be used in conjunction with "
            + "`--authenticate_http_frameworks`");
  }

  @Test
  void basicWithoutCredentialsIsRefused() {
    assertThatThrownBy(() -> MasterAuthentication.create(flags("authenticate_http_readwrite", "true").authentication))
        .hasMessage("Failed to create HTTP authenticator module 'basic': No credentials provided for the default "
            + "'basic' HTTP authenticator for realm 'mesos-master-readwrite'");
  }

  @Test
  void anUnknownAuthenticatorIsRefusedOnlyWhenARealmUsesIt() throws Exception {
    String credentials = Credentials.write(dir).toString();
    assertThat(MasterAuthentication.create(flags("credentials", credentials, "http_authenticators", "jwt")
        .authentication).requires(Realms.MASTER_READONLY)).as("as Mesos: unused, so unchecked").isFalse();
    assertThatThrownBy(() -> MasterAuthentication.create(flags("credentials", credentials, "http_authenticators",
        "jwt", "authenticate_http_readonly", "true").authentication))
        .hasMessageStartingWith("Failed to create HTTP authenticator module 'jwt': HTTP authenticator 'jwt' not "
            + "found. Check the spelling (compare to 'basic')");
    assertThatThrownBy(() -> MasterAuthentication.create(flags("credentials", credentials,
        "authenticate_http_frameworks", "true", "http_framework_authenticators", "custom").authentication))
        .hasMessageStartingWith("Failed to create HTTP authenticator module 'custom'");
  }

  @Test
  void credentialsAreReadWheneverGivenAndMustNotBeEmpty() throws Exception {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> MasterAuthentication.create(flags("credentials", missing.toString()).authentication))
        .hasMessage("Failed to read credentials file '" + missing + "': No such file or directory (see "
            + "--credentials flag)");
    Path empty = Files.createFile(dir.resolve("empty"));
    assertThatThrownBy(() -> MasterAuthentication.create(flags("credentials", empty.toString()).authentication))
        .hasMessage("Credentials file must contain at least one credential (see --credentials flag)");
    Path bad = Files.writeString(dir.resolve("bad"), "{\"credentials\": ");
    assertThatThrownBy(() -> MasterAuthentication.create(flags("credentials", bad.toString()).authentication))
        .hasMessageStartingWith("Invalid json format: ").hasMessageEndingWith(" (see --credentials flag)");
  }

  @Test
  void mesosMasterExitsWithTheError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicInteger status = new AtomicInteger(-1);
    assertThat(MasterMain.run(new String[] {"--ip=127.0.0.1", "--port=0", "--registry=in_memory",
        "--authenticate_http_readonly"}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), status::set)).isNull();
    assertThat(status.get()).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Failed to start the master: Failed to create HTTP "
        + "authenticator module 'basic': No credentials provided for the default 'basic' HTTP authenticator for "
        + "realm 'mesos-master-readonly'");
  }
}
