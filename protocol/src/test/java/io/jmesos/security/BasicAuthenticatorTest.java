package io.jmesos.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** libprocess' basic authenticator: who gets in, what a refusal looks like, and how secrets are compared. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BasicAuthenticatorTest {
  private static final CredentialSet CREDENTIALS = CredentialSet.of(Map.of("alice", "s3cret", "bob", ""));
  private final BasicAuthenticator authenticator = new BasicAuthenticator("test-realm", CREDENTIALS);

  static HttpRequest request(String authorization) {
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return new HttpRequest("GET", "/state", Map.of(), headers, new byte[0], null);
  }

  static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void knownPrincipalWithItsSecretIsAuthenticated() {
    assertThat(authenticator.authenticate(request(basic("alice:s3cret"))).principal()).contains("alice");
    assertThat(authenticator.authenticate(request(basic("bob:"))).principal()).as("an empty secret").contains("bob");
    assertThat(authenticator.authenticate(request(basic("alice:s3cret")).withPrincipal("x")).refusal()).isEmpty();
    assertThat(authenticator.scheme()).isEqualTo("Basic");
  }

  @Test
  void refusalIsLibprocessUnauthorizedWithTheRealmsChallenge() {
    HttpResponse refusal = authenticator.authenticate(request(null)).refusal().orElseThrow();
    assertThat(refusal.status()).isEqualTo(401);
    assertThat(refusal.header("WWW-Authenticate")).isEqualTo("Basic realm=\"test-realm\"");
    assertThat(refusal.bodyText()).isEqualTo("401 Unauthorized.");
    assertThat(refusal.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
  }

  @Test
  void wrongOrUnknownCredentialsAreRefused() {
    for (String pair : List.of("alice:wrong", "alice:s3cre", "alice:s3cret0", "alice:", "carol:s3cret", ":s3cret",
        "ALICE:s3cret")) {
      assertThat(authenticator.authenticate(request(basic(pair))).refusal()).as(pair).isPresent();
    }
  }

  @Test
  void malformedHeadersAreRefused() {
    String good = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    for (String header : List.of("", "Basic", "Basic ", "basic " + good, "Bearer " + good, "Basic  " + good,
        "Basic " + good + " extra", "Basic not*base64!", basic("alice"), basic("alice:s3cret:more"),
        "Basic " + good + ",Basic " + good)) {
      assertThat(authenticator.authenticate(request(header)).refusal()).as("'%s'", header).isPresent()
          .get().extracting(HttpResponse::status).isEqualTo(401);
    }
  }

  @Test
  void secretsAreComparedAsDigestsOfOneLengthWhateverThePrincipal() {
    List<byte[][]> compared = new ArrayList<>();
    BasicAuthenticator watched = new BasicAuthenticator("r", CREDENTIALS, (a, b) -> {
      compared.add(new byte[][] {a, b});
      return java.security.MessageDigest.isEqual(a, b);
    });
    assertThat(watched.authenticate(request(basic("alice:s3cret"))).principal()).contains("alice");
    assertThat(watched.authenticate(request(basic("alice:a-much-longer-wrong-secret"))).refusal()).isPresent();
    assertThat(watched.authenticate(request(basic("nobody:s3cret"))).refusal()).isPresent();
    assertThat(compared).as("one comparison per attempt, unknown principals included").hasSize(3);
    for (byte[][] pair : compared) {
      assertThat(pair[0]).hasSize(32);
      assertThat(pair[1]).hasSize(32);
    }
    assertThat(compared.get(0)[0]).isNotSameAs(compared.get(0)[1]).isEqualTo(compared.get(0)[1]);
  }

  @Test
  void describingTheAuthenticatorOrItsCredentialsNeverShowsASecret() {
    assertThat(authenticator.toString()).contains("test-realm").doesNotContain("s3cret");
    assertThat(CREDENTIALS.toString()).contains("alice").doesNotContain("s3cret");
  }
}
