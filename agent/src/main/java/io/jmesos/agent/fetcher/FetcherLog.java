package io.jmesos.agent.fetcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The fetcher's log in the sandbox: lines appended to the sandbox's {@code stderr} (where Mesos' fetcher
 * subprocess writes its log), before the executor appends its own output. One fetch at a time; not
 * thread-safe.
 */
final class FetcherLog implements AutoCloseable {
  private final Writer out;

  FetcherLog(Path file) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  void info(String line) {
    write("I", line);
  }

  void error(String line) {
    write("E", line);
  }

  private void write(String level, String line) {
    try {
      out.write(level + " " + Instant.now() + " fetcher: " + line + "\n");
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
