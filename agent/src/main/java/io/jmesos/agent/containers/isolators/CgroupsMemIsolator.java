package io.jmesos.agent.containers.isolators;

import io.jmesos.agent.containers.Limitation;
import io.jmesos.agent.containers.cgroups.Cgroups;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.agent.containers.cgroups.Hierarchy;
import io.jmesos.flags.Bytes;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.ResourceStatistics;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cgroups/mem}: the container's mem (at least 32MB) as its soft and hard memory limit, optionally
 * memory plus swap ({@code --cgroups_limit_swap}); the kernel's OOM killer enforces it, and the OOM kill
 * counter ({@code memory.oom_control} on v1, {@code memory.events} on v2) tells the agent a container hit
 * it. As Mesos, the hard limit is only ever raised on a running container, so that shrinking an executor's
 * allocation never OOM-kills it; the soft limit follows every change.
 */
public final class CgroupsMemIsolator implements Isolator {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupsMemIsolator.class);
  /** Mesos' MIN_MEMORY. */
  static final long MIN_MEMORY = 32 * Bytes.MB;

  private final boolean limitSwap;

  public CgroupsMemIsolator(boolean limitSwap) {
    this.limitSwap = limitSwap;
  }

  @Override
  public String name() {
    return "cgroups/mem";
  }

  @Override
  public List<String> controllers() {
    return List.of("memory");
  }

  public static long limitBytes(double memMb) {
    return Math.max((long) (memMb * Bytes.MB), MIN_MEMORY);
  }

  @Override
  public void update(ContainerCgroups cgroups, Resources resources) throws IOException {
    double mem = resources.scalar("mem");
    if (mem <= 0) {
      return;
    }
    long limit = limitBytes(mem);
    Path dir = cgroups.dir("memory");
    boolean v1 = cgroups.version() == Hierarchy.Version.V1;
    String hardFile = v1 ? "memory.limit_in_bytes" : "memory.max";
    String swapFile = v1 ? "memory.memsw.limit_in_bytes" : "memory.swap.max";
    Cgroups.write(dir, v1 ? "memory.soft_limit_in_bytes" : "memory.low", String.valueOf(limit));
    long current = Cgroups.readLong(dir, hardFile);
    // A fresh cgroup is unlimited (a huge number on v1, "max" on v2): the first limit is always written.
    boolean first = current >= Long.MAX_VALUE / 2;
    if (first || limit > current) {
      if (limitSwap && v1) {
        // memory.limit_in_bytes may never exceed memory.memsw.limit_in_bytes: lower the memory limit first
        // (from unlimited), raise the memory plus swap limit first.
        if (first) {
          Cgroups.write(dir, hardFile, String.valueOf(limit));
          Cgroups.write(dir, swapFile, String.valueOf(limit));
        } else {
          Cgroups.write(dir, swapFile, String.valueOf(limit));
          Cgroups.write(dir, hardFile, String.valueOf(limit));
        }
      } else {
        Cgroups.write(dir, hardFile, String.valueOf(limit));
        if (limitSwap) {
          // v2 limits swap on its own: memory plus swap = mem means no swap at all.
          Cgroups.write(dir, swapFile, "0");
        }
      }
      LOG.debug("Updated memory limit of cgroups {} to {}", cgroups, Bytes.format(limit));
    }
  }

  @Override
  public void usage(ContainerCgroups cgroups, long pid, ResourceStatistics.Builder statistics) throws IOException {
    Path dir = cgroups.dir("memory");
    Map<String, Long> stat = Cgroups.readKeyed(dir, "memory.stat");
    if (cgroups.version() == Hierarchy.Version.V1) {
      statistics.setMemTotalBytes(Cgroups.readLong(dir, "memory.usage_in_bytes"));
      statistics.setMemSoftLimitBytes(Cgroups.readLong(dir, "memory.soft_limit_in_bytes"));
      long rss = stat.getOrDefault("total_rss", 0L);
      long cache = stat.getOrDefault("total_cache", 0L);
      statistics.setMemRssBytes(rss).setMemAnonBytes(rss).setMemCacheBytes(cache).setMemFileBytes(cache)
          .setMemMappedFileBytes(stat.getOrDefault("total_mapped_file", 0L))
          .setMemSwapBytes(stat.getOrDefault("total_swap", 0L))
          .setMemUnevictableBytes(stat.getOrDefault("total_unevictable", 0L));
      if (Files.exists(dir.resolve("memory.memsw.usage_in_bytes"))) {
        statistics.setMemTotalMemswBytes(Cgroups.readLong(dir, "memory.memsw.usage_in_bytes"));
      }
    } else {
      statistics.setMemTotalBytes(Cgroups.readLong(dir, "memory.current"));
      statistics.setMemSoftLimitBytes(Cgroups.readLong(dir, "memory.low"));
      long anon = stat.getOrDefault("anon", 0L);
      long file = stat.getOrDefault("file", 0L);
      statistics.setMemRssBytes(anon).setMemAnonBytes(anon).setMemCacheBytes(file).setMemFileBytes(file)
          .setMemMappedFileBytes(stat.getOrDefault("file_mapped", 0L))
          .setMemUnevictableBytes(stat.getOrDefault("unevictable", 0L));
      if (Files.exists(dir.resolve("memory.swap.current"))) {
        statistics.setMemSwapBytes(Cgroups.readLong(dir, "memory.swap.current"));
      }
    }
  }

  /** The number of processes the OOM killer killed in the container's memory cgroup. */
  static long oomKills(ContainerCgroups cgroups) throws IOException {
    Path dir = cgroups.dir("memory");
    if (cgroups.version() == Hierarchy.Version.V1) {
      Map<String, Long> control = Cgroups.readKeyed(dir, "memory.oom_control");
      // Kernels before 4.13 have no oom_kill counter; under_oom still tells a container stuck at its limit.
      return control.containsKey("oom_kill") ? control.get("oom_kill") : control.getOrDefault("under_oom", 0L);
    }
    return Cgroups.keyed(dir, "memory.events", "oom_kill").orElse(0L);
  }

  @Override
  public Optional<Limitation> limitation(ContainerCgroups cgroups) throws IOException {
    try {
      if (oomKills(cgroups) == 0) {
        return Optional.empty();
      }
    } catch (NoSuchFileException e) {
      // The container's memory cgroup is gone (or not created yet): nothing to report.
      return Optional.empty();
    }
    Path dir = cgroups.dir("memory");
    boolean v1 = cgroups.version() == Hierarchy.Version.V1;
    long limit = Cgroups.readLong(dir, v1 ? "memory.limit_in_bytes" : "memory.max");
    String peakFile = v1 ? "memory.max_usage_in_bytes" : "memory.peak";
    long used = Files.exists(dir.resolve(peakFile)) ? Cgroups.readLong(dir, peakFile)
        : Cgroups.readLong(dir, "memory.current");
    String message = "Memory limit exceeded: Requested: " + Bytes.format(limit) + " Maximum Used: "
        + Bytes.format(used) + "\n\nMEMORY STATISTICS: \n" + Cgroups.read(dir, "memory.stat") + "\n";
    List<Resource> mem = Resources.parse("mem:" + (double) limit / Bytes.MB, "*").toList();
    return Optional.of(new Limitation("mem", mem, TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY, message));
  }
}
