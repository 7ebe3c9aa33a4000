package io.jmesos.master.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The web UI's build is in the master's resources, and {@link WebUi} serves it, and nothing else. */
class WebUiTest {
  private static final Pattern ASSET_REF = Pattern.compile("(?:src|href)=\"\\./(static/[^\"]+)\"");

  private final WebUi ui = new WebUi();

  private static String resource(String name) throws IOException {
    try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(WebUi.ROOT + name)) {
      assertThat(in).as("resource %s%s (rebuild with: cd webui && npm ci && npm run build)", WebUi.ROOT, name)
          .isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> assets(String html) {
    Matcher m = ASSET_REF.matcher(html);
    List<String> found = new java.util.ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private HttpResponse get(String path) {
    return ui.respond(new HttpRequest("GET", path, Map.of(), Map.of(), new byte[0], null));
  }

  @Test
  void indexHtmlIsInTheResourcesAndEveryAssetItReferencesExists() throws IOException {
    String html = resource("index.html");
    List<String> assets = assets(html);
    assertThat(assets).as("index.html loads a script and a stylesheet").anyMatch(a -> a.endsWith(".js"))
        .anyMatch(a -> a.endsWith(".css"));
    for (String asset : assets) {
      assertThat(resource(asset)).as(asset).isNotEmpty();
    }
    assertThat(html).as("no CDN at run time").doesNotContain("http://").doesNotContain("https://");
  }

  @Test
  void rootServesIndexHtmlRevalidatedEveryTime() throws IOException {
    HttpResponse response = get("/");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(response.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(response.bodyText()).isEqualTo(resource("index.html"));
  }

  @Test
  void hashedAssetsAreServedWithTheirTypeAndCachedForLong() throws IOException {
    for (String asset : assets(resource("index.html"))) {
      HttpResponse response = get("/" + asset);
      assertThat(response.status()).as(asset).isEqualTo(200);
      assertThat(response.header("Content-Type")).as(asset)
          .startsWith(asset.endsWith(".js") ? "text/javascript" : "text/css");
      assertThat(response.header("Cache-Control")).contains("immutable").contains("max-age=31536000");
      assertThat(response.bodyText()).isEqualTo(resource(asset));
    }
  }

  @Test
  void unknownFilesAndPathsLeavingTheAssetsAre404() {
    assertThat(get("/static/nothing-here.js").status()).isEqualTo(404);
    assertThat(get("/static/").status()).isEqualTo(404);
    assertThat(get("/static/../index.html").status()).isEqualTo(404);
    assertThat(get("/static/..").status()).isEqualTo(404);
    assertThat(get("/static/sub/file.js").status()).isEqualTo(404);
    assertThat(get("/static/../../io/jmesos/master/http/WebUi.class").status()).isEqualTo(404);
    assertThat(get("/static/.hidden").status()).isEqualTo(404);
    assertThat(get("/elsewhere").status()).isEqualTo(404);
  }

  @Test
  void onlyGetAndHead() {
    HttpResponse response = ui.respond(new HttpRequest("POST", "/", Map.of(), Map.of(), new byte[0], null));
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.header("Allow")).isEqualTo("GET");
  }

  @Test
  void contentTypesByExtension() {
    assertThat(WebUi.contentType("a.svg")).isEqualTo("image/svg+xml");
    assertThat(WebUi.contentType("a.woff2")).isEqualTo("font/woff2");
    assertThat(WebUi.contentType("README")).isEqualTo("application/octet-stream");
  }
}
