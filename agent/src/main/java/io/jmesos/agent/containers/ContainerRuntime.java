package io.jmesos.agent.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.mesos.Protos.ContainerID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containerizer's checkpoint under {@code --runtime_dir}, in Mesos' layout
 * {@code <runtime_dir>/containers/<container id>/}: {@code pid}, written by the containerizer once the first
 * process runs (its pid, start time and boot id, one per line: see {@link ProcessIdentity}), and
 * {@code status}, written by the container's supervisor when the command exits (the wait status, as a decimal
 * number). The pid file is replaced atomically (a temporary file renamed over it), so a reader sees a whole
 * file or none; the status file is written in one small write by a supervisor that is gone when it is read
 * (see {@link PosixLauncher#argv}). What is there survives the agent: a restarted agent finds its containers,
 * and the ones it does not know, here.
 *
 * <p>Thread-safe (no state but the directory); every method blocks on the file system.
 */
final class ContainerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerRuntime.class);
  static final String PID_FILE = "pid";
  static final String STATUS_FILE = "status";

  private final Path containers;

  ContainerRuntime(Path runtimeDir) {
    this.containers = runtimeDir.resolve("containers");
  }

  /** {@code <runtime_dir>/containers/<container id>}. */
  Path dir(ContainerID id) {
    String value = id.getValue();
    if (value.isEmpty() || value.contains("/") || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("Invalid container id '" + value + "'");
    }
    return containers.resolve(value);
  }

  /** Where the container's supervisor writes the command's wait status. */
  Path statusFile(ContainerID id) {
    return dir(id).resolve(STATUS_FILE);
  }

  /** Creates the container's directory, empty of any earlier checkpoint, before its process is forked. */
  void prepare(ContainerID id) throws IOException {
    Path dir = dir(id);
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(PID_FILE));
    Files.deleteIfExists(dir.resolve(STATUS_FILE));
  }

  /**
   * Records the container's first process. When it is gone already (it exited and was reaped before its
   * start time could be read), the record names a process that is never alive.
   */
  ProcessIdentity checkpoint(ContainerID id, long pid) throws IOException {
    ProcessIdentity identity = ProcessIdentity.of(pid)
        .orElseGet(() -> new ProcessIdentity(pid, -1, ProcessIdentity.currentBootId()));
    writeAtomically(dir(id).resolve(PID_FILE),
        identity.pid() + "\n" + identity.startTicks() + "\n" + identity.bootId() + "\n");
    return identity;
  }

  /** The container's checkpointed first process; empty when there is none (or it cannot be parsed). */
  Optional<ProcessIdentity> process(ContainerID id) throws IOException {
    Path file = dir(id).resolve(PID_FILE);
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      if (lines.size() < 3) {
        throw new NumberFormatException("expected 3 lines, found " + lines.size());
      }
      return Optional.of(new ProcessIdentity(Long.parseLong(lines.get(0).trim()),
          Long.parseLong(lines.get(1).trim()), lines.get(2).trim()));
    } catch (NumberFormatException e) {
      LOG.warn("Ignoring the unreadable pid checkpoint {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The wait status the container's supervisor recorded, or null when there is none: the command still runs,
   * or the supervisor was killed (SIGKILL) before it could write it.
   */
  Integer status(ContainerID id) throws IOException {
    Path file = statusFile(id);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return null;
    }
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      LOG.warn("Ignoring the unreadable status checkpoint {}: '{}'", file, text);
      return null;
    }
  }

  /** Every container with a directory here, in no particular order. */
  List<ContainerID> containers() throws IOException {
    if (!Files.isDirectory(containers)) {
      return List.of();
    }
    List<ContainerID> ids = new ArrayList<>();
    try (Stream<Path> list = Files.list(containers)) {
      list.filter(Files::isDirectory)
          .forEach(p -> ids.add(ContainerID.newBuilder().setValue(p.getFileName().toString()).build()));
    }
    return ids;
  }

  /** Removes the container's directory and everything in it; nothing happens when it is gone already. */
  void remove(ContainerID id) throws IOException {
    Path dir = dir(id);
    for (int attempt = 0; ; attempt++) {
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(dir)) {
        paths = walk.sorted(Comparator.reverseOrder()).toList();
      } catch (NoSuchFileException e) {
        return;
      }
      try {
        for (Path path : paths) {
          Files.deleteIfExists(path);
        }
        return;
      } catch (DirectoryNotEmptyException e) {
        // The supervisor wrote its status file meanwhile: walk again.
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }

  /**
   * Writes the file through a temporary sibling renamed over it, not synced (as Mesos checkpoints a container's
   * pid: {@code state::checkpoint} without {@code sync}): the rename keeps a reader from seeing half a file when
   * the agent dies, and what it records only matters until the machine reboots (a pid names nothing after a
   * reboot; {@link ProcessIdentity} carries the boot id for that), which is as long as the page cache keeps it.
   * Two syncs per launch cost more than the rest of the launch on a busy disk.
   */
  static void writeAtomically(Path file, String content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, content.getBytes(StandardCharsets.UTF_8));
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
