package io.jmesos.metrics;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/**
 * The JVM's and the process' metrics in Prometheus' text format, named as the Prometheus Java client's
 * conventions ({@code jvm_memory_bytes_used{area="heap"}}, {@code jvm_gc_collection_seconds_total{gc=...}},
 * {@code jvm_threads_current}, {@code process_start_time_seconds}, ...), read from the platform MXBeans and
 * {@code /proc/self}. Thread-safe (stateless).
 */
final class JvmMetrics {
  private JvmMetrics() {}

  static void render(StringBuilder out) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    memory(out, "used", "Used bytes of a JVM memory area.", heap.getUsed(), nonHeap.getUsed());
    memory(out, "committed", "Committed bytes of a JVM memory area.", heap.getCommitted(), nonHeap.getCommitted());
    memory(out, "max", "Max bytes of a JVM memory area (-1 when undefined).", heap.getMax(), nonHeap.getMax());

    PrometheusText.family(out, "jvm_gc_collections_total", "counter", "Collections run by a JVM garbage collector.");
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      PrometheusText.sample(out, "jvm_gc_collections_total", PrometheusText.label("gc", gc.getName()),
          Math.max(0, gc.getCollectionCount()));
    }
    PrometheusText.family(out, "jvm_gc_collection_seconds_total", "counter",
        "Time spent in a JVM garbage collector, in seconds.");
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      PrometheusText.sample(out, "jvm_gc_collection_seconds_total", PrometheusText.label("gc", gc.getName()),
          Math.max(0, gc.getCollectionTime()) / 1e3);
    }

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    gauge(out, "jvm_threads_current", "Current thread count of the JVM.", threads.getThreadCount());
    gauge(out, "jvm_threads_daemon", "Daemon thread count of the JVM.", threads.getDaemonThreadCount());
    gauge(out, "jvm_threads_peak", "Peak thread count of the JVM.", threads.getPeakThreadCount());
    PrometheusText.family(out, "jvm_threads_started_total", "counter", "Threads started by the JVM.");
    PrometheusText.sample(out, "jvm_threads_started_total", "", threads.getTotalStartedThreadCount());

    RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    gauge(out, "process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.",
        runtime.getStartTime() / 1e3);
    gauge(out, "process_uptime_seconds", "Time since the JVM started, in seconds.", runtime.getUptime() / 1e3);
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      long cpu = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
      if (cpu >= 0) {
        PrometheusText.family(out, "process_cpu_seconds_total", "counter",
            "User and system CPU time spent by the process, in seconds.");
        PrometheusText.sample(out, "process_cpu_seconds_total", "", cpu / 1e9);
      }
    }
    long fds = openFds();
    if (fds >= 0) {
      gauge(out, "process_open_fds", "Open file descriptors of the process.", fds);
    }
  }

  private static void memory(StringBuilder out, String what, String help, long heap, long nonHeap) {
    String name = "jvm_memory_bytes_" + what;
    PrometheusText.family(out, name, "gauge", help);
    PrometheusText.sample(out, name, PrometheusText.label("area", "heap"), heap);
    PrometheusText.sample(out, name, PrometheusText.label("area", "nonheap"), nonHeap);
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    PrometheusText.family(out, name, "gauge", help);
    PrometheusText.sample(out, name, "", value);
  }

  private static long openFds() {
    Path fd = Paths.get("/proc/self/fd");
    try (Stream<Path> entries = Files.list(fd)) {
      return entries.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
