package io.jmesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.security.CredentialSet;
import io.jmesos.security.HttpAuthenticators;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routes in realms: authentication runs before the handler, and the principal reaches it. */
@Timeout(10)
class HttpRouterRealmsTest {
  private final List<String> handled = new java.util.ArrayList<>();
  private final HttpRouter router = new HttpRouter(HttpAuthenticators.builder()
      .realm("ro", "basic", Optional.of(CredentialSet.of(Map.of("ops", "pw")))).build())
      .route("ro", this::echo, "/state", "/master/state")
      .route("rw", this::echo, "/teardown")
      .route(this::echo, "/health")
      .routePrefix("ro", "/files/", this::echo);

  private void echo(HttpRequest request, HttpResponder responder) {
    handled.add(request.path());
    responder.respond(HttpResponse.json("{\"principal\":\"" + request.principal() + "\"}"));
  }

  private HttpResponse get(String path, String authorization, Map<String, List<String>> query) {
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    AtomicReference<HttpResponse> answer = new AtomicReference<>();
    router.handle(new HttpRequest("GET", path, query, headers, new byte[0], null), new HttpResponder() {
      @Override
      public void respond(HttpResponse response) {
        answer.set(response);
      }

      @Override
      public EventStream stream(int status, Map<String, String> h) {
        throw new UnsupportedOperationException();
      }
    });
    return answer.get();
  }

  private static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anAuthenticatedRequestReachesItsHandlerWithItsPrincipal() {
    assertThat(get("/state", basic("ops:pw"), Map.of()).bodyText()).isEqualTo("{\"principal\":\"ops\"}");
    assertThat(get("/files/read", basic("ops:pw"), Map.of()).bodyText()).isEqualTo("{\"principal\":\"ops\"}");
    assertThat(get("/state/nested/", basic("ops:pw"), Map.of()).status()).as("parent fallback").isEqualTo(200);
  }

  @Test
  void aRefusedRequestNeverReachesItsHandler() {
    for (String authorization : new String[] {null, basic("ops:wrong"), "Basic !!!"}) {
      HttpResponse refused = get("/master/state", authorization, Map.of("jsonp", List.of("not a name")));
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo("Basic realm=\"ro\"");
    }
    assertThat(get("/files/browse", null, Map.of()).status()).isEqualTo(401);
    assertThat(handled).isEmpty();
  }

  @Test
  void realmsWithoutAnAuthenticatorAndRoutesWithoutARealmLetEveryoneInWithoutPrincipal() {
    assertThat(get("/teardown", null, Map.of()).bodyText()).isEqualTo("{\"principal\":\"null\"}");
    assertThat(get("/teardown", basic("ops:wrong"), Map.of()).status()).isEqualTo(200);
    assertThat(get("/health", "Basic garbage", Map.of()).bodyText()).isEqualTo("{\"principal\":\"null\"}");
    assertThat(get("/nothing", null, Map.of()).status()).as("unknown paths stay 404").isEqualTo(404);
  }

  @Test
  void theRealmOfEachPath() {
    assertThat(router.realm("/state/")).contains("ro");
    assertThat(router.realm("/files/download")).contains("ro");
    assertThat(router.realm("/teardown")).contains("rw");
    assertThat(router.realm("/health")).isEmpty();
    assertThatThrownBy(() -> router.realm("/nothing")).isInstanceOf(IllegalArgumentException.class);
  }
}
