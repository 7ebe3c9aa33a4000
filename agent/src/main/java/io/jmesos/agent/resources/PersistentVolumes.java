package io.jmesos.agent.resources;

import io.jmesos.agent.checkpoint.Checkpoints;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.DiskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent volumes on the agent's disk, as Mesos lays them out ({@code src/slave/paths.cpp}): a volume on the
 * root disk is the directory {@code <work_dir>/volumes/roles/<role>/<persistence id>} (a {@code /} in a hierarchical
 * role becomes a space); on a {@code PATH} disk the same under the disk's root; on a {@code MOUNT} disk the root
 * itself. {@link #sync} creates and removes them as the checkpointed resources change; {@link #link} gives a
 * container's sandbox a symlink {@code <sandbox>/<container_path>} to each of its volumes, as Mesos' posix
 * filesystem isolator does (container paths holding a {@code /} are skipped, as there).
 *
 * <p>Static; blocks on the disk.
 */
public final class PersistentVolumes {
  private static final Logger LOG = LoggerFactory.getLogger(PersistentVolumes.class);

  private PersistentVolumes() {}

  /** Where {@code volume}'s data lives. */
  public static Path path(Path workDir, Resource volume) {
    String role = Resources.reservationRole(volume).replace('/', ' ');
    String id = volume.getDisk().getPersistence().getId();
    if (!volume.getDisk().hasSource()) {
      return workDir.resolve("volumes").resolve("roles").resolve(role).resolve(id);
    }
    DiskInfo.Source source = volume.getDisk().getSource();
    String given = source.getType() == DiskInfo.Source.Type.MOUNT
        ? source.getMount().getRoot() : source.getPath().getRoot();
    Path root = workDir.resolve(given);
    if (source.getType() == DiskInfo.Source.Type.MOUNT) {
      return root;
    }
    return root.resolve("volumes").resolve("roles").resolve(role).resolve(id);
  }

  /**
   * Makes the volumes on disk those of {@code next}: creates the directory of each new one (an existing directory
   * is kept with its data) and removes that of each one {@code previous} had and {@code next} has not (of a
   * {@code MOUNT} disk only the content). Mesos' {@code syncCheckpointedResources}.
   *
   * @throws IOException naming the volume that could not be created or removed
   */
  public static void sync(Path workDir, Resources previous, Resources next) throws IOException {
    Map<Path, Resource> before = byPath(workDir, previous);
    Map<Path, Resource> after = byPath(workDir, next);
    for (Map.Entry<Path, Resource> e : after.entrySet()) {
      if (before.containsKey(e.getKey()) || Files.exists(e.getKey())) {
        continue;
      }
      try {
        Files.createDirectories(e.getKey());
      } catch (IOException ex) {
        throw new IOException("Failed to create the persistent volume "
            + e.getValue().getDisk().getPersistence().getId() + " at '" + e.getKey() + "': " + ex, ex);
      }
      LOG.info("Created persistent volume '{}' at '{}'", e.getValue().getDisk().getPersistence().getId(), e.getKey());
    }
    for (Map.Entry<Path, Resource> e : before.entrySet()) {
      if (after.containsKey(e.getKey())) {
        continue;
      }
      String id = e.getValue().getDisk().getPersistence().getId();
      if (!Files.exists(e.getKey(), LinkOption.NOFOLLOW_LINKS)) {
        LOG.warn("Failed to find persistent volume '{}' at '{}'", id, e.getKey());
        continue;
      }
      boolean mount = e.getValue().getDisk().getSource().getType() == DiskInfo.Source.Type.MOUNT;
      LOG.info("Deleting persistent volume '{}' at '{}'", id, e.getKey());
      try {
        deleteTree(e.getKey(), !mount);
      } catch (IOException ex) {
        throw new IOException("Failed to remove persistent volume '" + id + "' at '" + e.getKey() + "': " + ex, ex);
      }
    }
  }

  /**
   * Links into {@code sandbox} the volumes of {@code requested} that {@code current} (what the container had) does
   * not have, and removes the links of those it no longer has. A link that is there already and points at the
   * volume is kept.
   *
   * @throws IOException when something other than the volume's link is in the way, or a link cannot be made
   */
  public static void link(Path workDir, Path sandbox, Resources current, Resources requested) throws IOException {
    for (Resource volume : current.persistentVolumes()) {
      String containerPath = volume.getDisk().getVolume().getContainerPath();
      if (containerPath.contains("/") || requested.contains(volume)) {
        continue;
      }
      Path link = sandbox.resolve(containerPath);
      if (Files.isSymbolicLink(link)) {
        Files.delete(link);
        LOG.info("Removed symlink '{}' for persistent volume '{}'", link, volume.getDisk().getPersistence().getId());
      }
    }
    for (Resource volume : requested.persistentVolumes()) {
      String containerPath = volume.getDisk().getVolume().getContainerPath();
      String id = volume.getDisk().getPersistence().getId();
      if (containerPath.contains("/")) {
        LOG.warn("Skipping the symlink for persistent volume '{}' because the container path '{}' contains slash",
            id, containerPath);
        continue;
      }
      Path original = path(workDir, volume).toAbsolutePath();
      Path link = sandbox.resolve(containerPath);
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(original)) {
          continue;
        }
        throw new IOException("Cannot link persistent volume '" + id + "' at '" + link
            + "': the path already exists");
      }
      Files.createDirectories(sandbox);
      try {
        Files.createSymbolicLink(link, original);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(original)) {
          continue; // Linked meanwhile by the container's launch.
        }
        throw e;
      }
      LOG.info("Linked persistent volume '{}' at '{}' to '{}'", id, link, original);
    }
  }

  private static Map<Path, Resource> byPath(Path workDir, Resources resources) {
    Map<Path, Resource> map = new LinkedHashMap<>();
    for (Resource volume : resources.persistentVolumes()) {
      map.put(path(workDir, volume), volume);
    }
    return map;
  }

  /** Removes {@code root} and all under it, or only what is under it when the root stays (a MOUNT disk). */
  private static void deleteTree(Path root, boolean removeRoot) throws IOException {
    if (removeRoot) {
      Checkpoints.deleteTree(root);
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        Checkpoints.deleteTree(entry);
      }
    }
  }
}
