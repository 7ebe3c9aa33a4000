package io.jmesos.agent.containers.isolators;

import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.ResourceStatistics;

/**
 * {@code posix/cpu} and {@code posix/mem}: no isolation, usage summed over the container's process tree from
 * {@code /proc} (Mesos' posix isolators). Processes that left the tree (daemonized) are not counted.
 */
public final class PosixIsolators {
  /** USER_HZ: the unit of the times in /proc/[pid]/stat. */
  private static final double TICKS_PER_SECOND = 100.0;

  private PosixIsolators() {}

  public static Isolator cpu() {
    return new Isolator() {
      @Override
      public String name() {
        return "posix/cpu";
      }

      @Override
      public void usage(ContainerCgroups cgroups, long pid, ResourceStatistics.Builder statistics)
          throws IOException {
        long user = 0;
        long system = 0;
        for (long p : tree(pid)) {
          String[] fields = stat(p);
          if (fields != null) {
            user += Long.parseLong(fields[11]);
            system += Long.parseLong(fields[12]);
          }
        }
        statistics.setCpusUserTimeSecs(user / TICKS_PER_SECOND).setCpusSystemTimeSecs(system / TICKS_PER_SECOND);
      }
    };
  }

  public static Isolator mem() {
    return new Isolator() {
      @Override
      public String name() {
        return "posix/mem";
      }

      @Override
      public void usage(ContainerCgroups cgroups, long pid, ResourceStatistics.Builder statistics)
          throws IOException {
        long rss = 0;
        for (long p : tree(pid)) {
          rss += rssBytes(p);
        }
        statistics.setMemRssBytes(rss);
      }
    };
  }

  /** The process and its descendants, or nothing when it has exited. */
  static List<Long> tree(long pid) {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.of(pid).ifPresent(root -> {
      pids.add(root.pid());
      root.descendants().forEach(d -> pids.add(d.pid()));
    });
    return pids;
  }

  /** The fields of /proc/[pid]/stat after the command name (which may hold spaces), or null once gone. */
  private static String[] stat(long pid) throws IOException {
    try {
      String line = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static long rssBytes(long pid) throws IOException {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
      return 0;
    } catch (NoSuchFileException e) {
      return 0;
    }
  }
}
