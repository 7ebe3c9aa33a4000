package io.jmesos.dist.bench;

import io.jmesos.actor.ManualClock;
import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.allocator.hierarchical.HierarchicalDRFAllocator;
import io.jmesos.resources.Resources;
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
    clock.advance(INTERVAL);
    allocator.settle();
    Map<String, Double> metrics = allocator.metrics().join();
    return metrics.getOrDefault("allocator/mesos/allocation_run_ms", Double.NaN);
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
