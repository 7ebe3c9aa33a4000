package io.jmesos.agent.containers.isolators;

import io.jmesos.agent.containers.cgroups.Cgroups;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.agent.containers.cgroups.Hierarchy;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.ResourceStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cgroups/cpu}: a CPU weight of 1024 shares per cpu (at least 2), and with {@code --cgroups_enable_cfs}
 * a hard cap of cpus x 100ms of CPU time per 100ms period (at least 1ms); usage from cpuacct and the CFS
 * throttling counters. On cgroup v2 the shares become {@code cpu.weight} (the kernel's 1..10000 scale) and the
 * cap {@code cpu.max}.
 */
public final class CgroupsCpuIsolator implements Isolator {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupsCpuIsolator.class);
  /** Mesos' CPU_SHARES_PER_CPU and MIN_CPU_SHARES. */
  static final long SHARES_PER_CPU = 1024;
  static final long MIN_SHARES = 2;
  /** Mesos' CPU_CFS_PERIOD and MIN_CPU_CFS_QUOTA, in microseconds. */
  static final long CFS_PERIOD_US = 100_000;
  static final long MIN_CFS_QUOTA_US = 1_000;
  /** USER_HZ: the unit of cpuacct.stat. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final boolean enableCfs;

  public CgroupsCpuIsolator(boolean enableCfs) {
    this.enableCfs = enableCfs;
  }

  @Override
  public String name() {
    return "cgroups/cpu";
  }

  @Override
  public List<String> controllers() {
    return List.of("cpu", "cpuacct");
  }

  public static long shares(double cpus) {
    return Math.max((long) (SHARES_PER_CPU * cpus), MIN_SHARES);
  }

  public static long cfsQuotaUs(double cpus) {
    return Math.max((long) (CFS_PERIOD_US * cpus), MIN_CFS_QUOTA_US);
  }

  /** cgroup v2's weight for v1 shares, the mapping systemd and the kernel documentation use. */
  static long weight(long shares) {
    return 1 + ((shares - 2) * 9999) / 262142;
  }

  @Override
  public void update(ContainerCgroups cgroups, Resources resources) throws IOException {
    double cpus = resources.scalar("cpus");
    if (cpus <= 0) {
      return;
    }
    Path cpu = cgroups.dir("cpu");
    long shares = shares(cpus);
    if (cgroups.version() == Hierarchy.Version.V1) {
      Cgroups.write(cpu, "cpu.shares", String.valueOf(shares));
      if (enableCfs) {
        Cgroups.write(cpu, "cpu.cfs_period_us", String.valueOf(CFS_PERIOD_US));
        Cgroups.write(cpu, "cpu.cfs_quota_us", String.valueOf(cfsQuotaUs(cpus)));
      }
    } else {
      Cgroups.write(cpu, "cpu.weight", String.valueOf(weight(shares)));
      if (enableCfs) {
        Cgroups.write(cpu, "cpu.max", cfsQuotaUs(cpus) + " " + CFS_PERIOD_US);
      }
    }
    LOG.debug("Updated cpu of cgroups {} to {} cpus ({} shares{})", cgroups, cpus, shares,
        enableCfs ? ", quota " + cfsQuotaUs(cpus) + "us" : "");
  }

  @Override
  public void usage(ContainerCgroups cgroups, long pid, ResourceStatistics.Builder statistics) throws IOException {
    Path cpu = cgroups.dir("cpu");
    Map<String, Long> stat = Cgroups.readKeyed(cpu, "cpu.stat");
    if (cgroups.version() == Hierarchy.Version.V1) {
      Map<String, Long> acct = Cgroups.readKeyed(cgroups.dir("cpuacct"), "cpuacct.stat");
      statistics.setCpusUserTimeSecs(acct.getOrDefault("user", 0L) / TICKS_PER_SECOND);
      statistics.setCpusSystemTimeSecs(acct.getOrDefault("system", 0L) / TICKS_PER_SECOND);
      statistics.setCpusThrottledTimeSecs(stat.getOrDefault("throttled_time", 0L) / 1e9);
    } else {
      statistics.setCpusUserTimeSecs(stat.getOrDefault("user_usec", 0L) / 1e6);
      statistics.setCpusSystemTimeSecs(stat.getOrDefault("system_usec", 0L) / 1e6);
      statistics.setCpusThrottledTimeSecs(stat.getOrDefault("throttled_usec", 0L) / 1e6);
    }
    statistics.setCpusNrPeriods(stat.getOrDefault("nr_periods", 0L).intValue());
    statistics.setCpusNrThrottled(stat.getOrDefault("nr_throttled", 0L).intValue());
  }
}
