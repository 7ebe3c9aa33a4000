package io.jmesos.agent.containers.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading and writing cgroup control files, and the blocking operations on a container's cgroups: create,
 * signal every process, destroy (kill every process, wait until none is left, remove the directories).
 * Static and thread-safe; callers run it on launcher threads, never on the agent's actor, except for reads
 * of single control files (kernel memory, no disk I/O).
 */
public final class Cgroups {
  private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
  /** How long a destroy waits for the cgroups' processes to go away before it gives up. */
  static final Duration DESTROY_TIMEOUT = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 10;

  private Cgroups() {}

  public static String read(Path cgroup, String file) throws IOException {
    return Files.readString(cgroup.resolve(file)).trim();
  }

  public static long readLong(Path cgroup, String file) throws IOException {
    String value = read(cgroup, file);
    return "max".equals(value) ? Long.MAX_VALUE : Long.parseLong(value);
  }

  /** Writes a control file: no create, no append, the kernel parses the whole value. */
  public static void write(Path cgroup, String file, String value) throws IOException {
    try {
      Files.writeString(cgroup.resolve(file), value, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IOException("Failed to write '" + value + "' to " + cgroup.resolve(file) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code key value} lines of a flat-keyed file such as {@code memory.stat} or {@code cpu.stat}. The
   * containerizer's watcher reads one such file per container five times a second, hence one read of the
   * bytes and a parse without regular expressions.
   */
  public static Map<String, Long> readKeyed(Path cgroup, String file) throws IOException {
    String text = new String(Files.readAllBytes(cgroup.resolve(file)), StandardCharsets.ISO_8859_1);
    Map<String, Long> values = new LinkedHashMap<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      int keyStart = skipBlanks(text, start, end);
      int keyEnd = skipWord(text, keyStart, end);
      int valueStart = skipBlanks(text, keyEnd, end);
      int valueEnd = skipWord(text, valueStart, end);
      if (keyEnd > keyStart && valueEnd > valueStart && skipBlanks(text, valueEnd, end) == end) {
        try {
          values.put(text.substring(keyStart, keyEnd), Long.parseLong(text, valueStart, valueEnd, 10));
        } catch (NumberFormatException e) {
          // Not a counter (e.g. freezer states); callers only ask for counters.
        }
      }
      start = end + 1;
    }
    return values;
  }

  private static int skipBlanks(String text, int from, int end) {
    int i = from;
    while (i < end && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipWord(String text, int from, int end) {
    int i = from;
    while (i < end && !Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** One value of a flat-keyed file, if the kernel provides it. */
  public static Optional<Long> keyed(Path cgroup, String file, String key) throws IOException {
    return Optional.ofNullable(readKeyed(cgroup, file).get(key));
  }

  /** The processes (thread group ids) in a cgroup; empty when the cgroup is gone. */
  public static List<Long> pids(Path cgroup) throws IOException {
    List<Long> pids = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.trim()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return pids;
  }

  /** Creates the container's cgroup directories. */
  public static void create(ContainerCgroups cgroups) throws IOException {
    for (Path dir : cgroups.dirs()) {
      Files.createDirectories(dir);
    }
  }

  /** Sends SIGTERM to every process in the container's cgroups; returns their pids. */
  public static List<Long> terminate(ContainerCgroups cgroups) throws IOException {
    List<Long> pids = pids(cgroups.procsDir());
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
    return pids;
  }

  /**
   * Kills every process in the container's cgroups and waits until none is left: v2 writes {@code cgroup.kill}
   * where the kernel has it; otherwise the cgroup is frozen so that nothing can fork while it is being
   * killed, each process gets SIGKILL, and the cgroup is thawed so the signals are delivered.
   */
  public static void kill(ContainerCgroups cgroups) throws IOException {
    Path dir = cgroups.procsDir();
    if (!Files.isDirectory(dir)) {
      return;
    }
    long deadline = System.nanoTime() + DESTROY_TIMEOUT.toNanos();
    boolean killFile = cgroups.version() == Hierarchy.Version.V2 && Files.exists(dir.resolve("cgroup.kill"));
    while (!pids(dir).isEmpty()) {
      if (killFile) {
        write(dir, "cgroup.kill", "1");
      } else {
        freeze(cgroups, true, deadline);
        for (long pid : pids(dir)) {
          if (pid != ProcessHandle.current().pid()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
        freeze(cgroups, false, deadline);
      }
      pause(deadline, dir);
    }
  }

  /** Kills what is left in the container's cgroups, then removes them. */
  public static void destroy(ContainerCgroups cgroups) throws IOException {
    kill(cgroups);
    for (Path dir : cgroups.dirs()) {
      remove(dir);
    }
    LOG.debug("Destroyed cgroups {}", cgroups);
  }

  private static void freeze(ContainerCgroups cgroups, boolean frozen, long deadline) throws IOException {
    if (cgroups.version() == Hierarchy.Version.V2) {
      Path dir = cgroups.procsDir();
      if (Files.exists(dir.resolve("cgroup.freeze"))) {
        write(dir, "cgroup.freeze", frozen ? "1" : "0");
        while (frozen && !"1".equals(keyed(dir, "cgroup.events", "frozen").map(String::valueOf).orElse("1"))) {
          pause(deadline, dir);
        }
      }
      return;
    }
    Path freezer = cgroups.dir("freezer");
    if (freezer == null) {
      return;
    }
    String state = frozen ? "FROZEN" : "THAWED";
    write(freezer, "freezer.state", state);
    // Freezing can stall on a task in an uninterruptible sleep; writing the state again retries it.
    while (frozen && !state.equals(read(freezer, "freezer.state"))) {
      pause(deadline, freezer);
      write(freezer, "freezer.state", state);
    }
  }

  /** Removes an empty cgroup; the kernel may report it busy for a moment after its last process exited. */
  static void remove(Path dir) throws IOException {
    long deadline = System.nanoTime() + DESTROY_TIMEOUT.toNanos();
    while (true) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("Failed to remove cgroup " + dir + ": " + e.getMessage(), e);
        }
        pause(deadline, dir);
      }
    }
  }

  private static void pause(long deadline, Path dir) throws IOException {
    if (System.nanoTime() > deadline) {
      throw new IOException("Timed out after " + DESTROY_TIMEOUT.toSeconds() + "s destroying cgroup " + dir
          + " (processes left: " + pids(dir) + ")");
    }
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while destroying cgroup " + dir, e);
    }
  }
}
