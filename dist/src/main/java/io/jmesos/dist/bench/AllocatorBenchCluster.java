package io.jmesos.dist.bench;

import io.jmesos.actor.ManualClock;
import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.allocator.hierarchical.HierarchicalDRFAllocator;
import io.jmesos.resources.Resources;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;

/**
 * An in-process HierarchicalDRF allocator on a manual clock with a capturing offer callback, driven like Mesos'
 * allocator benchmarks: advance the clock one interval, wait for the run, read its time from the allocator's
 * own {@code allocation_run_ms} metric.
 */
final class AllocatorBenchCluster implements AutoCloseable {
  record Offer(FrameworkID framework, String role, SlaveID agent, Resources resources) {}

  static final Duration INTERVAL = Duration.ofSeconds(1);

  final ManualClock clock = new ManualClock();
  final HierarchicalDRFAllocator allocator = new HierarchicalDRFAllocator(clock, new Random(1));
  private final List<Offer> offers = new ArrayList<>();
  private Thread allocatorThread;
  private double lastCpuMs = Double.NaN;

  AllocatorBenchCluster(String sorter) {
    allocator.initialize(new AllocatorOptions(INTERVAL, (framework, byRole) -> {
      synchronized (offers) {
        byRole.forEach((role, byAgent) -> byAgent.forEach((agent, resources) ->
            offers.add(new Offer(framework, role, agent, resources))));
      }
    }, sorter, sorter, Set.of(), List.of()));
  }

  List<Offer> takeOffers() {
    allocator.settle();
    synchronized (offers) {
      List<Offer> copy = new ArrayList<>(offers);
      offers.clear();
      return copy;
    }
  }

  /** Runs one batch allocation; returns its run time in milliseconds (the allocator's own measurement). */
  double cycle() {
    allocator.settle();
    long cpuBefore = allocatorCpuNanos();
    clock.advance(INTERVAL);
    allocator.settle();
    long cpuAfter = allocatorCpuNanos();
    lastCpuMs = cpuBefore == Long.MIN_VALUE || cpuAfter == Long.MIN_VALUE ? Double.NaN
        : (cpuAfter - cpuBefore) / 1e6;
    Map<String, Double> metrics = allocator.metrics().join();
    return metrics.getOrDefault("allocator/mesos/allocation_run_ms", Double.NaN);
  }

  /**
   * CPU time the allocator's thread spent in the last {@link #cycle()}, in milliseconds: the run as the machine's
   * load does not stretch it (NaN when the JVM cannot measure thread CPU time).
   */
  double lastCpuMs() {
    return lastCpuMs;
  }

  private long allocatorCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (allocatorThread == null) {
      allocatorThread = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("allocator")).findFirst().orElse(null);
    }
    if (allocatorThread == null || !threads.isThreadCpuTimeSupported()) {
      return Long.MIN_VALUE;
    }
    return threads.getThreadCpuTime(allocatorThread.getId());
  }

  static long heapUsedMib() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
  }

  @Override
  public void close() {
    allocator.close();
  }
}
