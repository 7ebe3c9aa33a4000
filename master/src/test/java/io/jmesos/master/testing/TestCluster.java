package io.jmesos.master.testing;

import io.jmesos.actor.ManualClock;
import io.jmesos.allocator.Allocator;
import io.jmesos.allocator.SimpleAllocator;
import io.jmesos.master.Master;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.http.SchedulerTap;
import io.jmesos.transport.Limits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An in-process master on loopback with a paused clock, plus fake agents and raw HTTP schedulers. Close it to
 * stop everything it started.
 */
public final class TestCluster implements AutoCloseable {
  public final ManualClock clock = new ManualClock();
  public final SimpleAllocator allocator = new SimpleAllocator(clock);
  public final Master master;
  public final InetSocketAddress address;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /** What the master's fatal hook was called with (a handler failed on its actor); the master keeps running. */
  public final List<Throwable> fatal = new java.util.concurrent.CopyOnWriteArrayList<>();

  public TestCluster() throws Exception {
    this(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory")), Limits.DEFAULT);
  }

  public TestCluster(MasterFlags flags, Limits limits) throws Exception {
    this(flags, limits, UnaryOperator.identity());
  }

  /** A cluster whose master sees the allocator through {@code wrap}, e.g. to inject failures. */
  public TestCluster(MasterFlags flags, Limits limits, UnaryOperator<Allocator> wrap) throws Exception {
    this(flags, limits, wrap, null);
  }

  /** A cluster whose master keeps its registry in {@code store} (e.g. a handle shared with a later master). */
  public TestCluster(MasterFlags flags, io.jmesos.master.registry.RegistryStore store) throws Exception {
    this(flags, Limits.DEFAULT, UnaryOperator.identity(), store, SchedulerTap.NONE);
  }

  /** A cluster whose master passes each scheduler event stream through {@code tap}. */
  public TestCluster(MasterFlags flags, SchedulerTap tap) throws Exception {
    this(flags, Limits.DEFAULT, UnaryOperator.identity(), null, tap);
  }

  private TestCluster(MasterFlags flags, Limits limits, UnaryOperator<Allocator> wrap,
      io.jmesos.master.registry.RegistryStore store) throws Exception {
    this(flags, limits, wrap, store, SchedulerTap.NONE);
  }

  private TestCluster(MasterFlags flags, Limits limits, UnaryOperator<Allocator> wrap,
      io.jmesos.master.registry.RegistryStore store, SchedulerTap tap) throws Exception {
    Master.Builder builder = Master.builder().flags(flags).clock(clock).allocator(wrap.apply(allocator))
        .limits(limits).onFatal(fatal::add).schedulerTap(tap);
    if (store != null) {
      builder.registryStore(store);
    }
    master = builder.build();
    address = master.start();
  }

  public FakeAgent agent(String resources) throws Exception {
    FakeAgent agent = new FakeAgent();
    closeables.add(agent);
    agent.register(address, resources);
    return agent;
  }

  public TestScheduler scheduler(boolean json) {
    TestScheduler scheduler = new TestScheduler(address, json);
    closeables.add(scheduler);
    return scheduler;
  }

  /** The master's {@code /metrics/snapshot}, parsed. */
  public com.fasterxml.jackson.databind.JsonNode metrics() throws Exception {
    try (io.jmesos.http.HttpClient http = new io.jmesos.http.HttpClient("test-metrics")) {
      io.jmesos.http.HttpResponse response = http.get(address, "/metrics/snapshot")
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }
  }

  /** Advances the paused clock, then lets the master and allocator process what fired. */
  public void advance(Duration by) {
    clock.advance(by);
    settle();
  }

  /** Waits until the master's and the allocator's mailboxes are drained (twice, for ping-pong between them). */
  public void settle() {
    for (int i = 0; i < 3; i++) {
      master.settle();
      allocator.settle();
    }
    master.settle();
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("Failed to close " + c, e);
      }
    }
    master.close();
  }
}
