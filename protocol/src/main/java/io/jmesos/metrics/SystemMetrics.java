package io.jmesos.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mesos' {@code system/*} metrics (libprocess' System process): online CPUs, the load averages and total and
 * free memory, read from {@code /sys} and {@code /proc} as Mesos reads them (online processors; {@code
 * getloadavg}; {@code sysinfo}'s total and free RAM, which are /proc/meminfo's MemTotal and MemFree). A value
 * that cannot be read is left out, as Mesos leaves out a gauge that fails. Thread-safe (stateless).
 */
public final class SystemMetrics {
  private final Path proc;
  private final Path sys;

  public SystemMetrics() {
    this(Paths.get("/proc"), Paths.get("/sys"));
  }

  /** Reads from other roots than {@code /proc} and {@code /sys} (tests). */
  public SystemMetrics(Path proc, Path sys) {
    this.proc = proc;
    this.sys = sys;
  }

  /** The metrics by Mesos' names. */
  public Map<String, Double> snapshot() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("system/cpus_total", (double) cpus());
    double[] load = loadavg();
    if (load != null) {
      out.put("system/load_1min", load[0]);
      out.put("system/load_5min", load[1]);
      out.put("system/load_15min", load[2]);
    }
    long total = meminfo("MemTotal:");
    long free = meminfo("MemFree:");
    if (total >= 0) {
      out.put("system/mem_total_bytes", (double) total);
    }
    if (free >= 0) {
      out.put("system/mem_free_bytes", (double) free);
    }
    return out;
  }

  /** Online processors ({@code /sys/devices/system/cpu/online}, e.g. {@code 0-3,6}); the JVM's count else. */
  int cpus() {
    String online = read(sys.resolve("devices/system/cpu/online"));
    if (online != null && !online.isBlank()) {
      try {
        int count = 0;
        for (String range : online.trim().split(",")) {
          String[] ends = range.split("-");
          count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  private double[] loadavg() {
    String text = read(proc.resolve("loadavg"));
    if (text == null) {
      return null;
    }
    String[] fields = text.trim().split("\\s+");
    if (fields.length < 3) {
      return null;
    }
    try {
      return new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
          Double.parseDouble(fields[2])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A /proc/meminfo field in bytes (the file gives kB), or -1. */
  private long meminfo(String field) {
    String text = read(proc.resolve("meminfo"));
    if (text == null) {
      return -1;
    }
    for (String line : List.of(text.split("\n"))) {
      if (line.startsWith(field)) {
        String[] parts = line.substring(field.length()).trim().split("\\s+");
        try {
          long value = Long.parseLong(parts[0]);
          return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
