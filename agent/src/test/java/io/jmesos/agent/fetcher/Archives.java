package io.jmesos.agent.fetcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds test archives with the system's {@code tar} and {@code zip}-free tools. */
public final class Archives {
  private Archives() {}

  /** A .tar.gz of {@code dir}'s content (entries relative to {@code dir}'s parent, so they start with its name). */
  public static byte[] tarGz(Path dir) throws IOException, InterruptedException {
    Path archive = Files.createTempFile("jmesos-test", ".tar.gz");
    try {
      Process p = new ProcessBuilder("tar", "-C", dir.getParent().toString(), "-czf", archive.toString(),
          dir.getFileName().toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IOException("tar failed");
      }
      return Files.readAllBytes(archive);
    } finally {
      Files.deleteIfExists(archive);
    }
  }
}
