package io.jmesos.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemMetricsTest {
  @TempDir
  Path dir;

  @Test
  void readsOnlineCpusLoadAveragesAndMemoryAsMesos() throws IOException {
    Path proc = Files.createDirectories(dir.resolve("proc"));
    Path sys = dir.resolve("sys");
    Files.createDirectories(sys.resolve("devices/system/cpu"));
    Files.writeString(sys.resolve("devices/system/cpu/online"), "0-3,6,8-9\n");
    Files.writeString(proc.resolve("loadavg"), "0.52 0.31 0.20 2/345 6789\n");
    Files.writeString(proc.resolve("meminfo"), "MemTotal:        2048 kB\nMemFree:          512 kB\n"
        + "MemAvailable:    1024 kB\n");

    assertThat(new SystemMetrics(proc, sys).snapshot())
        .containsEntry("system/cpus_total", 7.0)
        .containsEntry("system/load_1min", 0.52)
        .containsEntry("system/load_5min", 0.31)
        .containsEntry("system/load_15min", 0.20)
        .containsEntry("system/mem_total_bytes", 2048.0 * 1024)
        .containsEntry("system/mem_free_bytes", 512.0 * 1024);
  }

  @Test
  void leavesOutWhatCannotBeRead() {
    assertThat(new SystemMetrics(dir.resolve("none"), dir.resolve("none")).snapshot())
        .containsOnlyKeys("system/cpus_total");
  }

  @Test
  void theMachinesOwnValuesArePlausible() {
    var values = new SystemMetrics().snapshot();
    assertThat(values.get("system/cpus_total")).isGreaterThanOrEqualTo(1.0);
    assertThat(values.get("system/mem_total_bytes")).isGreaterThan(values.get("system/mem_free_bytes"));
  }
}
