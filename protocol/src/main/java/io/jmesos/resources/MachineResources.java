package io.jmesos.resources;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's resources when {@code --resources} leaves some out, as Mesos computes them: every
 * processor; all memory but 1 GB (half of it below 2 GB); the work directory's file system but 5
 * GB (half of it below 10 GB); ports {@code [31000-32000]}. Memory and disk are in megabytes,
 * rounded to six significant digits as Mesos' text conversion does. Stateless and thread-safe;
 * {@link #detect} reads {@code /proc/meminfo} and the file system.
 */
public final class MachineResources {

  private static final Logger LOG = LoggerFactory.getLogger(MachineResources.class);

  static final long MB = 1024L * 1024;
  static final long GB = 1024 * MB;
  /** Used when the machine cannot be probed, like Mesos' DEFAULT_CPUS, _MEM and _DISK. */
  static final int DEFAULT_CPUS = 1;
  static final long DEFAULT_MEM = GB;
  static final long DEFAULT_DISK = 10 * GB;
  public static final String DEFAULT_PORTS = "[31000-32000]";

  private MachineResources() {}

  /** Resources from the given machine totals; the pure core of {@link #detect}. */
  public static Resources defaults(int cpus, long memBytes, long diskBytes) {
    long mem = memBytes >= 2 * GB ? memBytes - GB : memBytes / 2;
    long disk = diskBytes >= 10 * GB ? diskBytes - 5 * GB : diskBytes / 2;
    return Resources.parse("cpus:" + cpus + ";mem:" + megabytes(mem) + ";disk:" + megabytes(disk)
        + ";ports:" + DEFAULT_PORTS);
  }

  /** Resources of this machine, the disk measured on the file system holding {@code workDir}. */
  public static Resources detect(Path workDir) {
    return defaults(Runtime.getRuntime().availableProcessors(), totalMemory(), totalDisk(workDir));
  }

  /**
   * The agent's resources: {@code --resources} text, plus the detected value of each of cpus, mem,
   * disk and ports that the text does not mention (by name, as Mesos checks).
   */
  public static Resources complete(String resourcesFlag, String defaultRole, Path workDir) {
    return complete(resourcesFlag, defaultRole, detect(workDir));
  }

  static Resources complete(String resourcesFlag, String defaultRole, Resources detected) {
    Objects.requireNonNull(resourcesFlag, "resourcesFlag");
    Resources result = Resources.parse(resourcesFlag, defaultRole);
    for (String name : List.of("cpus", "mem", "disk", "ports")) {
      if (!resourcesFlag.contains(name)) {
        String value = name.equals("ports")
            ? DEFAULT_PORTS : Values.format(Values.scalar(detected.scalar(name)));
        result = result.plus(Resources.parse(name + ":" + value, defaultRole));
      }
    }
    return result;
  }

  private static String megabytes(long bytes) {
    return new BigDecimal((double) bytes / MB).round(new MathContext(6))
        .stripTrailingZeros().toPlainString();
  }

  /** MemTotal from {@code /proc/meminfo}, or Mesos' default when it cannot be read. */
  static long totalMemory() {
    try {
      return parseMemTotal(Files.readAllLines(Paths.get("/proc/meminfo"), StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("Failed to detect total memory, defaulting to {} bytes", DEFAULT_MEM, e);
      return DEFAULT_MEM;
    }
  }

  static long parseMemTotal(List<String> meminfo) {
    for (String line : meminfo) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
        long value = Long.parseLong(parts[0]);
        return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
      }
    }
    throw new IllegalArgumentException("No MemTotal line in /proc/meminfo");
  }

  /** Total size of the file system holding {@code path} (or its nearest existing ancestor). */
  static long totalDisk(Path path) {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      if (existing == null) {
        throw new IOException("No existing directory above " + path);
      }
      return Files.getFileStore(existing).getTotalSpace();
    } catch (IOException e) {
      LOG.warn("Failed to detect the disk size of {}, defaulting to {} bytes", path, DEFAULT_DISK,
          e);
      return DEFAULT_DISK;
    }
  }
}
