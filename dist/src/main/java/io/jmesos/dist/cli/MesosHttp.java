package io.jmesos.dist.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * GETs JSON from a master or an agent. A master that does not lead answers {@code 307} with a protocol-relative
 * {@code Location: //leader:port/path}: the request follows it (a few hops at most). Failures are {@link
 * CliException}s naming the URL.
 */
public final class MesosHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 5;

  private final HttpClient client;
  private final Duration timeout;

  public MesosHttp(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** The JSON body of {@code GET http://<target><pathAndQuery>}. */
  public JsonNode get(InetSocketAddress target, String pathAndQuery) {
    URI uri = URI.create("http://" + target.getHostString() + ":" + target.getPort() + pathAndQuery);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<String> response = send(uri);
      int status = response.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        URI from = uri;
        String location = response.headers().firstValue("Location")
            .orElseThrow(() -> new CliException("Redirect without a Location from '" + from + "'"));
        uri = uri.resolve(location.startsWith("//") ? "http:" + location : location);
        continue;
      }
      if (status == 404) {
        throw new NotFound("Not found: '" + uri + "'");
      }
      if (status != 200) {
        String body = response.body().strip();
        throw new CliException("Unable to open url '" + uri + "': " + status + (body.isEmpty() ? "" : " " + body));
      }
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new CliException("Could not load JSON from '" + uri + "': " + e.getMessage(), e);
      }
    }
    throw new CliException("Too many redirects from '" + uri + "'");
  }

  private HttpResponse<String> send(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
        .header("Accept", "application/json").build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException("Unable to connect to '" + uri.getHost() + ":" + uri.getPort()
          + "': connection refused (is a master running there?)", e);
    } catch (HttpTimeoutException e) {
      throw new CliException("Timed out after " + timeout.toSeconds() + " seconds waiting for '" + uri + "'", e);
    } catch (IOException e) {
      throw new CliException("Unable to open url '" + uri + "': " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("Interrupted while waiting for '" + uri + "'", e);
    }
  }

  /** A 404: the path (a sandbox file, say) is not there. */
  public static final class NotFound extends CliException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }
}
