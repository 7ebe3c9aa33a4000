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
import java.util.function.Predicate;
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
  private final Map<String, Predicate<Optional<String>>> authorizations = new ConcurrentHashMap<>();

  /** Attaches the real path of {@code path} (which must exist) under {@code name}, replacing what was there. */
  public void attach(Path path, String name) throws IOException {
    attach(path, name, null);
  }

  /**
   * As {@link #attach(Path, String)}, with who may read it, as Mesos' attach with an authorization callback:
   * {@code authorized} answers for a principal (empty: unauthenticated); null lets everyone read.
   */
  public void attach(Path path, String name, Predicate<Optional<String>> authorized) throws IOException {
    Path real = path.toRealPath();
    if (!Files.isReadable(real)) {
      throw new IOException("Failed to access '" + path + "': Access denied");
    }
    String key = clean(name);
    paths.put(key, real);
    if (authorized == null) {
      authorizations.remove(key);
    } else {
      authorizations.put(key, authorized);
    }
    LOG.debug("Attached {} as {}", real, name);
  }

  /** Detaches {@code name}; harmless when it is not attached. */
  public void detach(String name) {
    authorizations.remove(clean(name));
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
    authorizations.remove(clean(name));
    if (real != null) {
      if (paths.remove(clean(alias), real)) {
        authorizations.remove(clean(alias));
      }
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

  /**
   * Whether {@code principal} may read {@code requested}: the authorization of the longest attached prefix of the
   * request decides, as in Mesos' {@code FilesProcess::authorize}; a path below no attachment (a 404 later) or
   * below one attached without an authorization is readable. Never touches the file system.
   */
  public boolean authorized(String requested, Optional<String> principal) {
    String prefix = clean(requested);
    while (true) {
      if (paths.containsKey(prefix)) {
        Predicate<Optional<String>> authorization = authorizations.get(prefix);
        return authorization == null || authorization.test(principal);
      }
      int slash = prefix.lastIndexOf('/');
      if (slash < 0) {
        return true;
      }
      prefix = prefix.substring(0, slash);
      if (prefix.isEmpty() && slash == 0) {
        Predicate<Optional<String>> root = paths.containsKey("") ? authorizations.get("") : null;
        return root == null || root.test(principal);
      }
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
