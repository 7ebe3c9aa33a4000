package io.jmesos.agent.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A process as a restarted agent can recognise it: its pid, its start time (field 22 of
 * {@code /proc/<pid>/stat}, clock ticks since boot) and the boot it belongs to
 * ({@code /proc/sys/kernel/random/boot_id}). A pid alone may name another process once the first one exited
 * (pid reuse) or after a reboot; the three together do not. Immutable and thread-safe; {@link #of} and
 * {@link #alive} read {@code /proc}.
 */
record ProcessIdentity(long pid, long startTicks, String bootId) {
  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  ProcessIdentity {
    Objects.requireNonNull(bootId, "bootId");
  }

  /** The identity of the running process, or empty once it is gone (or is a zombie). */
  static Optional<ProcessIdentity> of(long pid) {
    Stat stat = Stat.read(pid);
    if (stat == null || stat.zombie()) {
      return Optional.empty();
    }
    return Optional.of(new ProcessIdentity(pid, stat.startTicks(), currentBootId()));
  }

  /** The id of the running boot of this machine. */
  static String currentBootId() {
    return BootId.VALUE;
  }

  /**
   * Whether this very process still runs: same boot, a live (not zombie) process under the pid, started at
   * the same tick. False after a reboot or once the pid names another process.
   */
  boolean alive() {
    if (!bootId.equals(currentBootId())) {
      return false;
    }
    Stat stat = Stat.read(pid);
    return stat != null && !stat.zombie() && stat.startTicks() == startTicks;
  }

  /** The fields of {@code /proc/<pid>/stat} this class needs. */
  private record Stat(char state, long startTicks) {
    boolean zombie() {
      return state == 'Z' || state == 'X';
    }

    /** Null when there is no such process. */
    static Stat read(long pid) {
      String line;
      try {
        line = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        // ESRCH while reading: the process went away between open and read.
        return null;
      }
      // The command name (field 2) is in parentheses and may hold spaces and parentheses: fields 3 and on
      // follow the last ')'.
      int close = line.lastIndexOf(')');
      if (close < 0 || close + 2 >= line.length()) {
        return null;
      }
      String[] fields = line.substring(close + 2).trim().split("\\s+");
      if (fields.length < 20) {
        return null;
      }
      return new Stat(fields[0].charAt(0), Long.parseLong(fields[19]));
    }
  }

  /** Read once: the boot id cannot change while this JVM runs. */
  private static final class BootId {
    static final String VALUE = read();

    private static String read() {
      try {
        return Files.readString(BOOT_ID).trim();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + BOOT_ID, e);
      }
    }
  }
}
