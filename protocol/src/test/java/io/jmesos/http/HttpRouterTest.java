package io.jmesos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpRouterTest {
  private final HttpRouter router = new HttpRouter()
      .route((request, responder) -> responder.respond(HttpResponse.json("{\"at\":\"state\"}")), "/state")
      .route((request, responder) -> responder.respond(HttpResponse.text(200, "api " + request.path())), "/api/v1")
      .route((request, responder) -> responder.respond(HttpResponse.text(200, "root")), "/")
      .routePrefix("/files/", (request, responder) -> responder.respond(HttpResponse.text(200, "files")));

  private HttpResponse get(String method, String path, Map<String, List<String>> query) {
    AtomicReference<HttpResponse> answer = new AtomicReference<>();
    router.handle(new HttpRequest(method, path, query, Map.of(), new byte[0], null), new HttpResponder() {
      @Override
      public void respond(HttpResponse response) {
        answer.set(response);
      }

      @Override
      public EventStream stream(int status, Map<String, String> headers) {
        throw new UnsupportedOperationException();
      }
    });
    return answer.get();
  }

  private HttpResponse get(String path) {
    return get("GET", path, Map.of());
  }

  @Test
  void trailingSlashIsIgnored() {
    assertEquals("{\"at\":\"state\"}", get("/state/").bodyText());
  }

  @Test
  void nestedPathWithoutHandlerFallsBackToItsNearestParent() {
    assertEquals("api /api/v1/operator", get("/api/v1/operator").bodyText());
    assertEquals("api /api/v1/a/b/", get("/api/v1/a/b/").bodyText());
    assertEquals("{\"at\":\"state\"}", get("/state/x").bodyText());
  }

  @Test
  void rootIsNeverAFallbackAndUnknownPathsAre404() {
    assertEquals("root", get("/").bodyText());
    assertEquals(404, get("/nothing").status());
    assertEquals(404, get("/nothing/at/all").status());
  }

  @Test
  void prefixRoutesComeBeforeParentFallback() {
    assertEquals("files", get("/files/read").bodyText());
  }

  @Test
  void jsonpWrapsJsonAnswersToGet() {
    HttpResponse wrapped = get("GET", "/state", Map.of("jsonp", List.of("angular.callbacks._0")));
    assertEquals(200, wrapped.status());
    assertEquals("text/javascript", wrapped.header("Content-Type"));
    assertEquals("angular.callbacks._0({\"at\":\"state\"})", wrapped.bodyText());
  }

  @Test
  void jsonpLeavesOtherAnswersAlone() {
    HttpResponse text = get("GET", "/api/v1", Map.of("jsonp", List.of("cb")));
    assertEquals("text/plain; charset=utf-8", text.header("Content-Type").toLowerCase());
    assertEquals("api /api/v1", text.bodyText());
  }

  @Test
  void jsonpThatIsNotAFunctionNameIsRefused() {
    HttpResponse refused = get("GET", "/state", Map.of("jsonp", List.of("alert(1);cb")));
    assertEquals(400, refused.status());
    assertEquals(400, get("GET", "/state", Map.of("jsonp", List.of(""))).status());
  }
}
