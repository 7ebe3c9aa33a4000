package io.jmesos.agent.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The running kernel's boot id, as stout's {@code os::bootId}: {@code /proc/sys/kernel/random/boot_id},
 * trimmed. The agent checkpoints it ({@code meta/boot_id}) to tell at recovery whether the host rebooted.
 * Static and thread-safe.
 */
public final class BootId {
  static final Path FILE = Path.of("/proc/sys/kernel/random/boot_id");

  private BootId() {}

  /** The current boot id; an IOException where the kernel does not expose one. */
  public static String current() throws IOException {
    String id = Files.readString(FILE, StandardCharsets.US_ASCII).trim();
    if (id.isEmpty()) {
      throw new IOException("Empty boot id in '" + FILE + "'");
    }
    return id;
  }
}
