package org.apache.mesos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' loader of its native library ({@code libmesos}), kept so that frameworks that call it work unchanged:
 * jmesos' drivers are pure Java, so {@link #load()} and {@link #load(String)} load nothing (they log at debug
 * level what they ignore) and {@code MESOS_NATIVE_JAVA_LIBRARY} and {@code MESOS_NATIVE_LIBRARY} are not read
 * for anything else. {@link #version()} is the Mesos version jmesos implements. The public signatures are the
 * official 1.11.0 jar's (checked by {@code MesosApiSignatureTest}).
 */
public class MesosNativeLibrary {
  /** The Mesos version jmesos implements, as the official jar's {@code @PACKAGE_VERSION@}. */
  public static final String VERSION = "1.11.0";

  private static final Logger LOG = LoggerFactory.getLogger(MesosNativeLibrary.class);
  private static final Version IMPLEMENTED = new Version(1, 11, 0);

  /** A version number, compared field by field. */
  public static class Version implements Comparable<Version> {
    public final long major;
    public final long minor;
    public final long patch;

    public Version(long major, long minor, long patch) {
      if (major < 0 || minor < 0 || patch < 0) {
        throw new IllegalArgumentException((major < 0 ? "Major" : minor < 0 ? "Minor" : "Patch")
            + " version must not be negative");
      }
      this.major = major;
      this.minor = minor;
      this.patch = patch;
    }

    public Version(long major, long minor) {
      this(major, minor, 0);
    }

    public Version(long major) {
      this(major, 0, 0);
    }

    public boolean equals(Version other) {
      return other != null && compareTo(other) == 0;
    }

    @Override
    public int compareTo(Version other) {
      if (other == null) {
        throw new IllegalArgumentException("other Version must not be null");
      }
      int byMajor = Long.compare(major, other.major);
      if (byMajor != 0) {
        return byMajor;
      }
      int byMinor = Long.compare(minor, other.minor);
      return byMinor != 0 ? byMinor : Long.compare(patch, other.patch);
    }

    public boolean before(Version other) {
      return compareTo(other) < 0;
    }

    public boolean after(Version other) {
      return compareTo(other) > 0;
    }
  }

  /** Loads nothing: there is no native library to load. */
  public static synchronized void load(String path) {
    LOG.debug("Not loading a native Mesos library ({}): jmesos needs none", path);
  }

  /** Loads nothing, whatever {@code MESOS_NATIVE_JAVA_LIBRARY} says. */
  public static void load() {
    load(System.getenv("MESOS_NATIVE_JAVA_LIBRARY"));
  }

  /** The Mesos version jmesos implements (1.11.0). */
  public static synchronized Version version() {
    return IMPLEMENTED;
  }
}
