package io.jmesos.scheduler;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;

/**
 * A scheduler that records every callback (name and argument), the threads callbacks ran on, and the
 * largest number of callbacks that ever ran at once. Thread-safe.
 */
class RecordingScheduler implements Scheduler {
  /** One callback and its main argument. */
  static final class Callback {
    final String name;
    final Object value;

    Callback(String name, Object value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  final List<Callback> callbacks = new CopyOnWriteArrayList<>();
  final Set<String> threads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger active = new AtomicInteger();
  final AtomicInteger maxActive = new AtomicInteger();
  volatile Consumer<TaskStatus> onStatus = s -> { };
  volatile Consumer<List<Offer>> onOffers = o -> { };

  private void record(String name, Object value, Runnable body) {
    int now = active.incrementAndGet();
    maxActive.accumulateAndGet(now, Math::max);
    threads.add(Thread.currentThread().getName());
    try {
      callbacks.add(new Callback(name, value));
      body.run();
    } finally {
      active.decrementAndGet();
    }
  }

  List<String> names() {
    return callbacks.stream().map(c -> c.name).collect(Collectors.toList());
  }

  @SuppressWarnings("unchecked")
  <T> List<T> values(String name) {
    return callbacks.stream().filter(c -> c.name.equals(name)).map(c -> (T) c.value).collect(Collectors.toList());
  }

  long count(String name) {
    return callbacks.stream().filter(c -> c.name.equals(name)).count();
  }

  @Override
  public void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo) {
    record("registered", frameworkId, () -> { });
  }

  @Override
  public void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {
    record("reregistered", masterInfo, () -> { });
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    record("resourceOffers", offers, () -> onOffers.accept(offers));
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, OfferID offerId) {
    record("offerRescinded", offerId, () -> { });
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    record("statusUpdate", status, () -> onStatus.accept(status));
  }

  @Override
  public void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, byte[] data) {
    record("frameworkMessage", new String(data, java.nio.charset.StandardCharsets.UTF_8), () -> { });
  }

  @Override
  public void disconnected(SchedulerDriver driver) {
    record("disconnected", null, () -> { });
  }

  @Override
  public void slaveLost(SchedulerDriver driver, SlaveID slaveId) {
    record("slaveLost", slaveId, () -> { });
  }

  @Override
  public void executorLost(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, int status) {
    record("executorLost", status, () -> { });
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    record("error", message, () -> { });
  }
}
