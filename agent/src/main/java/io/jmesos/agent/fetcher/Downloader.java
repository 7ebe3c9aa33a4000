package io.jmesos.agent.fetcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Gets one URI's bytes into a file: a copy for local paths and {@code file://}, an HTTP GET for
 * {@code http://} and {@code https://}. The download uses the JDK's {@code java.net.http} client: it follows
 * redirects, speaks TLS with the JDK's trust store and streams the body to disk, with no library beyond the
 * JDK (the agent's Netty client aggregates whole responses in memory and has no TLS). Thread-safe; blocking.
 */
final class Downloader {
  private final Duration connectTimeout;
  private volatile HttpClient http; // Created on the first download.

  Downloader(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /** True for the URIs fetched over the network. */
  static boolean isNetUri(String uri) {
    return uri.startsWith("http://") || uri.startsWith("https://");
  }

  /**
   * The local file a URI names, or null when it is not local. As Mesos: {@code file://} or no scheme at all
   * is local; relative paths would need {@code --frameworks_home}, which jmesos does not have.
   */
  static Path localPath(String uri) throws FetchException {
    String path;
    if (uri.startsWith("file://")) {
      path = uri.substring("file://".length());
      if (!path.startsWith("/")) {
        throw new FetchException("File URI only supports absolute paths");
      }
    } else if (uri.contains("://")) {
      return null;
    } else {
      path = uri;
    }
    if (!path.startsWith("/")) {
      throw new FetchException("A relative path was passed for the resource but the Mesos framework home was "
          + "not specified. Please either provide this config option or avoid using a relative path");
    }
    return Path.of(path);
  }

  void download(String uri, Path destination, FetcherLog log) throws FetchException {
    Path local = localPath(uri);
    if (local != null) {
      copy(local, destination, log);
    } else if (isNetUri(uri)) {
      get(uri, destination, log);
    } else {
      int scheme = uri.indexOf("://");
      throw new FetchException("Unsupported URI scheme '" + uri.substring(0, scheme)
          + "' (http, https, file and local paths are supported)");
    }
  }

  private static void copy(Path source, Path destination, FetcherLog log) throws FetchException {
    log.info("Copying resource with command: cp '" + source + "' '" + destination + "'");
    try {
      if (Files.isDirectory(source)) {
        throw new FetchException("Failed to copy '" + source + "': it is a directory");
      }
      Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      throw new FetchException("Failed to copy '" + source + "': No such file or directory", e);
    } catch (IOException e) {
      throw e instanceof FetchException ? (FetchException) e
          : new FetchException("Failed to copy '" + source + "': " + e.getMessage(), e);
    }
  }

  private void get(String uri, Path destination, FetcherLog log) throws FetchException {
    log.info("Downloading resource from '" + uri + "' to '" + destination + "'");
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(uri)).GET().build();
    } catch (IllegalArgumentException e) {
      throw new FetchException("Malformed URI: " + e.getMessage(), e);
    }
    HttpResponse<Path> response;
    try {
      response = client().send(request, HttpResponse.BodyHandlers.ofFile(destination));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("Error downloading resource: interrupted", e);
    } catch (IOException e) {
      throw new FetchException("Error downloading resource: " + describe(e), e);
    }
    if (response.statusCode() != 200) {
      try {
        Files.deleteIfExists(destination);
      } catch (IOException e) {
        log.error("Failed to remove '" + destination + "': " + e.getMessage());
      }
      throw new FetchException("Error downloading resource, received HTTP return code " + response.statusCode());
    }
  }

  private static String describe(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private HttpClient client() {
    HttpClient client = http;
    if (client == null) {
      synchronized (this) {
        if (http == null) {
          http = HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(connectTimeout)
              .build();
        }
        client = http;
      }
    }
    return client;
  }
}
