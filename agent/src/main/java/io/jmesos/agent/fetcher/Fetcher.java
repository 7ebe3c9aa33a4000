package io.jmesos.agent.fetcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ContainerID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a container's URIs into its sandbox, one after another, as Mesos' fetcher (without its cache:
 * {@code cache} is ignored and every URI is fetched directly). For each URI: download or copy to the
 * sandbox under {@code output_file} or the URI's base name; then {@code chmod 755} when {@code executable},
 * else extract it into the sandbox when {@code extract} (the default) and it is an archive. The first
 * failure stops the fetch with {@code "Failed to fetch all URIs for container '<id>': ..."}.
 *
 * <p>Each call is one of Mesos' task fetches, counted as {@code containerizer/fetcher/task_fetches_succeeded} or
 * {@code task_fetches_failed} (a container without URIs is a fetch that succeeds, as Mesos runs its fetcher for
 * every container).
 *
 * <p>Thread-safe; {@link #fetch} blocks and must run on a blocking pool.
 */
public final class Fetcher {
  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
  private final Downloader downloader;
  private final java.util.concurrent.atomic.AtomicLong succeeded = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();

  public Fetcher() {
    this(Duration.ofSeconds(30));
  }

  public Fetcher(Duration connectTimeout) {
    this.downloader = new Downloader(connectTimeout);
  }

  /**
   * Fetches every URI into {@code sandbox} (which must exist), logging to {@code logFile}.
   *
   * @throws FetchException naming the container and the URI that failed
   */
  public void fetch(ContainerID containerId, List<CommandInfo.URI> uris, Path sandbox, Path logFile)
      throws FetchException {
    try {
      fetchAll(containerId, uris, sandbox, logFile);
      succeeded.incrementAndGet();
    } catch (FetchException | RuntimeException e) {
      failed.incrementAndGet();
      throw e;
    }
  }

  /** Mesos' {@code containerizer/fetcher/task_fetches_succeeded}: fetches that got every URI. */
  public long fetchesSucceeded() {
    return succeeded.get();
  }

  /** Mesos' {@code containerizer/fetcher/task_fetches_failed}. */
  public long fetchesFailed() {
    return failed.get();
  }

  private void fetchAll(ContainerID containerId, List<CommandInfo.URI> uris, Path sandbox, Path logFile)
      throws FetchException {
    if (uris.isEmpty()) {
      return;
    }
    LOG.info("Fetching {} URIs for container {} into {}", uris.size(), containerId.getValue(), sandbox);
    try (FetcherLog log = new FetcherLog(logFile)) {
      for (CommandInfo.URI uri : uris) {
        try {
          Path result = fetchOne(uri, sandbox, log);
          log.info("Fetched '" + uri.getValue() + "' to '" + result + "'");
        } catch (FetchException e) {
          String error = "Failed to fetch '" + uri.getValue() + "': " + e.getMessage();
          log.error(error);
          LOG.warn("{} for container {}", error, containerId.getValue());
          throw new FetchException(
              "Failed to fetch all URIs for container '" + containerId.getValue() + "': " + error, e);
        }
      }
      log.info("Successfully fetched all URIs into '" + sandbox + "'");
    } catch (FetchException e) {
      throw e;
    } catch (IOException e) {
      throw new FetchException("Failed to fetch all URIs for container '" + containerId.getValue()
          + "': cannot write the fetcher log: " + e.getMessage(), e);
    }
  }

  private Path fetchOne(CommandInfo.URI uri, Path sandbox, FetcherLog log) throws FetchException {
    String value = uri.getValue().stripLeading();
    log.info("Fetching URI '" + value + "'" + (uri.getCache() ? " (cache requested; jmesos has no fetcher "
        + "cache, fetching directly)" : ""));
    Path destination = destination(uri, value, sandbox);
    try {
      Files.createDirectories(destination.getParent());
    } catch (IOException e) {
      throw new FetchException("Unable to create subdirectory " + sandbox.relativize(destination.getParent())
          + " in sandbox: " + e.getMessage(), e);
    }
    downloader.download(value, destination, log);
    if (uri.getExecutable()) {
      try {
        Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (IOException | UnsupportedOperationException e) {
        throw new FetchException("Failed to chmod executable '" + destination + "': " + e.getMessage(), e);
      }
    } else if (uri.getExtract()) {
      if (!Extractor.extract(destination, sandbox, log)) {
        log.info("Copying instead of extracting resource from URI with 'extract' flag, because it does not "
            + "seem to be an archive: " + value);
      }
    }
    return destination;
  }

  /** Where a URI lands: {@code output_file} (relative, inside the sandbox) or the URI's base name. */
  static Path destination(CommandInfo.URI uri, String value, Path sandbox) throws FetchException {
    String name = uri.hasOutputFile() ? uri.getOutputFile() : basename(value);
    if (name.isEmpty() || name.startsWith("/")) {
      throw new FetchException("Expecting output file to be a relative path: '" + name + "'");
    }
    Path target = sandbox.resolve(name).normalize();
    if (!target.startsWith(sandbox) || target.equals(sandbox)) {
      throw new FetchException("Output file '" + name + "' is outside the sandbox");
    }
    return target;
  }

  /**
   * The file name a URI is saved under, as Mesos: the last {@code /}-separated segment of its path (the
   * part after {@code scheme://host}), query strings included.
   */
  static String basename(String uri) throws FetchException {
    if (uri.indexOf('\\') >= 0 || uri.indexOf('\'') >= 0 || uri.indexOf('\0') >= 0) {
      throw new FetchException("Illegal characters in URI");
    }
    String path = uri;
    int scheme = uri.indexOf("://");
    if (scheme > 1) {
      int slash = uri.indexOf('/', scheme + 3);
      if (slash < 0 || slash == uri.length() - 1) {
        throw new FetchException("Malformed URI (missing path): " + uri);
      }
      path = uri.substring(slash);
    }
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new FetchException("Malformed URI (no file name): " + uri);
    }
    return name;
  }
}
