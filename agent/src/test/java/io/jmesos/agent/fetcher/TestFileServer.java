package io.jmesos.agent.fetcher;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local HTTP server for fetcher tests (JDK's com.sun.net.httpserver, test code only): serves registered
 * byte arrays by path, redirects registered paths, and answers 404 for anything else.
 */
public final class TestFileServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();

  public TestFileServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      try (exchange) {
        String location = redirects.get(path);
        if (location != null) {
          exchange.getResponseHeaders().add("Location", location);
          exchange.sendResponseHeaders(302, -1);
          return;
        }
        byte[] body = files.get(path);
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
  }

  public TestFileServer serve(String path, byte[] body) {
    files.put(path, body);
    return this;
  }

  public TestFileServer redirect(String path, String location) {
    redirects.put(path, location);
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
