package io.jmesos.agent.fetcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Unpacks fetched archives into the sandbox with the system's tools, as Mesos' fetcher did before it linked
 * libarchive: {@code tar -xf} for {@code .tar}, {@code .tgz}, {@code .tar.gz}, {@code .tbz2}, {@code
 * .tar.bz2}, {@code .txz} and {@code .tar.xz}; {@code unzip} for {@code .zip}; {@code gunzip} for a bare
 * {@code .gz}. Thread-safe; blocking.
 */
final class Extractor {
  private static final List<String> TAR_SUFFIXES =
      List.of(".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz");
  private static final int MAX_OUTPUT = 4096;

  private Extractor() {}

  /** Extracts {@code archive} into {@code directory}; false (and nothing done) when it is no archive. */
  static boolean extract(Path archive, Path directory, FetcherLog log) throws FetchException {
    String name = archive.getFileName().toString();
    ProcessBuilder command;
    if (TAR_SUFFIXES.stream().anyMatch(name::endsWith)) {
      command = new ProcessBuilder("tar", "-C", directory.toString(), "-xf", archive.toString())
          .redirectErrorStream(true);
    } else if (name.endsWith(".zip")) {
      command = new ProcessBuilder("unzip", "-o", "-q", "-d", directory.toString(), archive.toString())
          .redirectErrorStream(true);
    } else if (name.endsWith(".gz")) {
      Path target = directory.resolve(name.substring(0, name.length() - 3));
      command = new ProcessBuilder("gunzip", "-d", "-c", archive.toString())
          .redirectOutput(target.toFile());
    } else {
      return false;
    }
    command.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    String line = String.join(" ", command.command());
    log.info("Extracting with command: " + line);
    int status;
    String output;
    try {
      Process process = command.start();
      try (InputStream in = command.redirectErrorStream() ? process.getInputStream() : process.getErrorStream()) {
        output = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8).trim();
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      status = process.waitFor();
    } catch (IOException e) {
      throw new FetchException("Failed to extract '" + archive + "': '" + line + "' failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("Failed to extract '" + archive + "': interrupted", e);
    }
    if (!output.isEmpty()) {
      log.info(output);
    }
    if (status != 0) {
      throw new FetchException("Failed to extract '" + archive + "': '" + line + "' failed: exited with status "
          + status + (output.isEmpty() ? "" : ": " + output));
    }
    log.info("Extracted '" + archive + "' into '" + directory + "'");
    return true;
  }
}
