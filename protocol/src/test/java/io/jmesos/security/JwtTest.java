package io.jmesos.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HS256 tokens as libprocess' {@code JWT} and its authenticator ({@code jwt_tests.cpp}). */
@Timeout(10)
class JwtTest {
  private static final byte[] KEY = "secret".getBytes(StandardCharsets.UTF_8);

  @Test
  void verifiesTheWellKnownExampleToken() throws Exception {
    // The example of jwt.io / RFC 7519 tooling, signed with "your-256-bit-secret".
    String token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxN"
        + "TE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    assertThat(Jwt.verify(token, "your-256-bit-secret".getBytes(StandardCharsets.UTF_8), 0))
        .containsEntry("sub", "1234567890").containsEntry("name", "John Doe").containsEntry("iat", "1516239022");
  }

  @Test
  void roundTripsAndRefusesWhatItShould() throws Exception {
    String token = Jwt.create(Map.of("fid", "f", "eid", "e", "cid", "c"), KEY);
    assertThat(Jwt.verify(token, KEY, 0)).isEqualTo(Map.of("fid", "f", "eid", "e", "cid", "c"));
    assertThatThrownBy(() -> Jwt.verify(token, "other".getBytes(StandardCharsets.UTF_8), 0))
        .hasMessage("Token signature does not match");
    assertThatThrownBy(() -> Jwt.verify(token + "x", KEY, 0)).isInstanceOf(Jwt.InvalidTokenException.class);
    assertThatThrownBy(() -> Jwt.verify("a.b", KEY, 0))
        .hasMessage("Expected 3 base64-encoded tokens separated by dots");
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + token.split("\\.")[1] + ".";
    assertThatThrownBy(() -> Jwt.verify(none, KEY, 0)).hasMessageContaining("only 'HS256'");
    String expiring = signed("{\"eid\":\"e\",\"exp\":100}");
    assertThat(Jwt.verify(expiring, KEY, 100)).containsEntry("exp", "100");
    assertThatThrownBy(() -> Jwt.verify(expiring, KEY, 101)).hasMessage("Token has expired");
  }

  /** A token over {@code payload} as given, signed with {@link #KEY}. */
  private static String signed(String payload) throws Exception {
    String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(payload);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
    return input + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void authenticatorAnswersAsLibprocess() throws Exception {
    JwtAuthenticator authenticator = new JwtAuthenticator("mesos-agent-executor", KEY, () -> 0L);
    assertThat(challenge(authenticator, null)).isEqualTo("Bearer realm=\"mesos-agent-executor\"");
    assertThat(challenge(authenticator, "Bearer a b")).isEqualTo("Bearer realm=\"mesos-agent-executor\", "
        + "error=\"invalid_token\", error_description=\"Malformed 'Authorization' header\"");
    assertThat(challenge(authenticator, "Bearer " + signed("{}"))).endsWith("error_description=\"JWT claims missing\"");
    Authentication ok = authenticator.authenticate(request("Bearer " + Jwt.create(Map.of("eid", "e"), KEY)));
    assertThat(ok.principal()).contains("{\"claims\":{\"eid\":\"e\"}}");
    assertThat(ok.claims()).isEqualTo(Map.of("eid", "e"));
  }

  private static String challenge(JwtAuthenticator authenticator, String header) {
    Authentication a = authenticator.authenticate(request(header));
    assertThat(a.refusal().orElseThrow().status()).isEqualTo(401);
    return a.refusal().get().header("WWW-Authenticate");
  }

  private static HttpRequest request(String authorization) {
    return new HttpRequest("POST", "/api/v1/executor", Map.of(),
        authorization == null ? Map.of() : Map.of("Authorization", authorization), new byte[0], null);
  }
}
