package io.jmesos.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual paths attached to real paths, and the resolution of a requested path, as Mesos' {@code
 * FilesProcess}: the longest attached prefix of the request wins, the rest of the request is resolved below
 * it (only when the attached path is a directory) and canonicalised, and a result outside the attached
 * directory (through {@code ..} or a symbolic link) is refused.
 *
 * <p>Thread-safe: the daemon's actor and blocking pool attach and detach while HTTP requests resolve.
 * {@link #attach} and {@link #resolve} touch the file system and belong on a blocking pool.
 */
public final class AttachedFiles {
  private static final Logger LOG = LoggerFactory.getLogger(AttachedFiles.class);
  private final Map<String, Path> paths = new ConcurrentHashMap<>();

  /** Attaches the real path of {@code path} (which must exist) under {@code name}, replacing what was there. */
  public void attach(Path path, String name) throws IOException {
    Path real = path.toRealPath();
    if (!Files.isReadable(real)) {
      throw new IOException("Failed to access '" + path + "': Access denied");
    }
    paths.put(clean(name), real);
    LOG.debug("Attached {} as {}", real, name);
  }

  /** Detaches {@code name}; harmless when it is not attached. */
  public void detach(String name) {
    if (paths.remove(clean(name)) != null) {
      LOG.debug("Detached {}", name);
    }
  }

  /**
   * Detaches {@code name} and, when {@code alias} still points at the same real path (a newer run may have
   * taken it over), {@code alias} too.
   */
  public void detachWithAlias(String name, String alias) {
    Path real = paths.remove(clean(name));
    if (real != null) {
      paths.remove(clean(alias), real);
      LOG.debug("Detached {} and {}", name, alias);
    }
  }

  /** The attachments, virtual path to real path, sorted (for {@code /files/debug}). */
  public SortedMap<String, Path> snapshot() {
    return new TreeMap<>(paths);
  }

  /** What a requested path resolves to. */
  public static final class Resolution {
    private final Path path;
    private final String error;

    private Resolution(Path path, String error) {
      this.path = path;
      this.error = error;
    }

    /** The real path, or empty when nothing is found (404). */
    public Optional<Path> path() {
      return Optional.ofNullable(path);
    }

    /** Why the request is refused (e.g. it leaves the attached directory), or null. */
    public String error() {
      return error;
    }
  }

  /** Resolves a virtual path: a real path, nothing (not found) or an error (inaccessible). */
  public Resolution resolve(String requested) {
    String trimmed = clean(requested);
    String prefix = trimmed;
    String suffix = "";
    while (true) {
      Path attached = paths.get(prefix);
      if (attached != null) {
        return below(attached, suffix);
      }
      int slash = prefix.lastIndexOf('/');
      if (slash < 0) {
        return new Resolution(null, null);
      }
      String last = prefix.substring(slash + 1);
      suffix = suffix.isEmpty() ? last : last + "/" + suffix;
      prefix = prefix.substring(0, slash);
      if (prefix.isEmpty() && slash == 0) {
        // Finally try "" (an attachment named "/" is stored as "").
        Path root = paths.get("");
        return root == null ? new Resolution(null, null) : below(root, suffix);
      }
    }
  }

  private static Resolution below(Path attached, String suffix) {
    if (!Files.isDirectory(attached)) {
      return suffix.isEmpty() ? new Resolution(attached, null) : new Resolution(null, null);
    }
    Path joined;
    try {
      joined = suffix.isEmpty() ? attached : attached.resolve(suffix);
    } catch (InvalidPathException e) {
      return new Resolution(null, null); // e.g. a NUL byte (found by UrlPathFuzzTest): no such file can exist
    }
    Path real;
    try {
      real = joined.toRealPath();
    } catch (NoSuchFileException e) {
      return new Resolution(null, null);
    } catch (IOException e) {
      return new Resolution(null, "Failed to determine canonical path of '" + joined + "': " + e.getMessage());
    }
    if (!real.startsWith(attached)) {
      return new Resolution(null, "'" + joined + "' is inaccessible");
    }
    return new Resolution(real, null);
  }

  private static String clean(String name) {
    String n = name;
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n;
  }
}
