package io.jmesos.security;

import static io.jmesos.security.BasicAuthenticatorTest.basic;
import static io.jmesos.security.BasicAuthenticatorTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Realms and their authenticators, with Mesos' start-up errors. */
@Timeout(10)
class HttpAuthenticatorsTest {
  private static final Optional<CredentialSet> CREDENTIALS = Optional.of(CredentialSet.of(Map.of("ops", "pw")));

  @Test
  void onlyConfiguredRealmsAuthenticate() {
    HttpAuthenticators auth = HttpAuthenticators.builder().realm("ro", "basic", CREDENTIALS).build();
    assertThat(auth.requires("ro")).isTrue();
    assertThat(auth.requires("rw")).isFalse();
    assertThat(auth.requires(null)).isFalse();
    assertThat(auth.authenticate("rw", request(null))).isEmpty();
    assertThat(auth.authenticate(null, request(null))).isEmpty();
    assertThat(auth.authenticate("ro", request(basic("ops:pw"))).orElseThrow().principal()).contains("ops");
    assertThat(auth.authenticate("ro", request(null)).orElseThrow().refusal().orElseThrow()
        .header("WWW-Authenticate")).isEqualTo("Basic realm=\"ro\"");
    assertThat(HttpAuthenticators.NONE.authenticate("ro", request(null))).isEmpty();
  }

  @Test
  void aListNamingBasicTwiceIsOneBasicAuthenticator() {
    HttpAuthenticators auth = HttpAuthenticators.builder().realm("ro", "basic,basic", CREDENTIALS).build();
    assertThat(auth.authenticate("ro", request(basic("ops:pw"))).orElseThrow().principal()).contains("ops");
  }

  @Test
  void unknownAuthenticatorIsMesosModuleNotFoundError() {
    assertThatThrownBy(() -> HttpAuthenticators.builder().realm("mesos-master-readonly", "jwt", CREDENTIALS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Failed to create HTTP authenticator module 'jwt': HTTP authenticator 'jwt' not found. Check "
            + "the spelling (compare to 'basic') or verify that the authenticator was loaded successfully (see "
            + "--modules)");
    assertThatThrownBy(() -> HttpAuthenticators.builder().realm("r", "basic,custom", CREDENTIALS))
        .hasMessageStartingWith("Failed to create HTTP authenticator module 'custom'");
  }

  @Test
  void basicWithoutCredentialsIsMesosError() {
    assertThatThrownBy(() -> HttpAuthenticators.builder().realm("mesos-agent-readwrite", "basic", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Failed to create HTTP authenticator module 'basic': No credentials provided for the default "
            + "'basic' HTTP authenticator for realm 'mesos-agent-readwrite'");
  }
}
