package io.jmesos.dist.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.tls.TlsContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs JSON from a master or an agent, over {@code https} when the CLI's {@code LIBPROCESS_SSL_*} environment turns
 * TLS on (the same variables, certificate checks and CA as the drivers), with an {@code Authorization: Basic}
 * header when the configuration file gives a principal and a secret. A master that does not lead answers {@code
 * 307} with a protocol-relative {@code Location: //leader:port/path}: the request follows it (a few hops at
 * most). Failures are {@link CliException}s naming the URL; a secret never appears in one.
 */
public final class MesosHttp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 5;

  private final HttpClient client;
  private final Duration timeout;
  private final String scheme;

  public MesosHttp(Duration timeout) {
    this(timeout, TlsContext.disabled());
  }

  /** A client speaking TLS to masters and agents when {@code tls} is enabled. */
  public MesosHttp(Duration timeout, TlsContext tls) {
    this.timeout = timeout;
    this.client = new HttpClient("mesos-cli", tls);
    this.scheme = tls.enabled() ? "https" : "http";
  }

  /** The JSON body of {@code GET <scheme>://<target><pathAndQuery>}, unauthenticated. */
  public JsonNode get(InetSocketAddress target, String pathAndQuery) {
    return get(target, pathAndQuery, null);
  }

  /**
   * The JSON body of {@code GET <scheme>://<target><pathAndQuery>}, sending {@code authorization} (an {@code
   * Authorization} header's value, or null for none).
   */
  public JsonNode get(InetSocketAddress target, String pathAndQuery, String authorization) {
    InetSocketAddress at = target;
    String path = pathAndQuery;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      URI uri = URI.create(scheme + "://" + at.getHostString() + ":" + at.getPort() + path);
      HttpResponse response = send(at, path, authorization, uri);
      int status = response.status();
      String body = new String(response.body(), StandardCharsets.UTF_8);
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        String location = response.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Location"))
            .map(Map.Entry::getValue).findFirst().orElse(null);
        if (location == null) {
          throw new CliException("Redirect without a Location from '" + uri + "'");
        }
        URI next = uri.resolve(location.startsWith("//") ? scheme + ":" + location : location);
        at = InetSocketAddress.createUnresolved(next.getHost(), next.getPort() < 0 ? at.getPort() : next.getPort());
        path = next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
        continue;
      }
      if (status == 404) {
        throw new NotFound("Not found: '" + uri + "'");
      }
      if (status != 200) {
        String text = body.strip();
        throw new CliException("Unable to open url '" + uri + "': " + status + (text.isEmpty() ? "" : " " + text)
            + (status == 401 ? " (set principal and secret in the configuration file, see 'mesos config show')"
                : ""));
      }
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new CliException("Could not load JSON from '" + uri + "': " + e.getMessage(), e);
      }
    }
    throw new CliException("Too many redirects from '" + pathAndQuery + "'");
  }

  private HttpResponse send(InetSocketAddress target, String path, String authorization, URI uri) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", "application/json");
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    InetSocketAddress resolved = target.isUnresolved()
        ? new InetSocketAddress(target.getHostString(), target.getPort()) : target;
    try {
      return client.request(resolved, "GET", path, headers, new byte[0])
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConnectException) {
        throw new CliException("Unable to connect to '" + uri.getHost() + ":" + uri.getPort()
            + "': connection refused (is a master running there?)", e);
      }
      throw new CliException("Unable to open url '" + uri + "': " + cause, e);
    } catch (TimeoutException e) {
      throw new CliException("Timed out after " + timeout.toSeconds() + " seconds waiting for '" + uri + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("Interrupted while waiting for '" + uri + "'", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** A 404: the path (a sandbox file, say) is not there. */
  public static final class NotFound extends CliException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }
}
