package io.jmesos.scheduler;

import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Mesos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.mesos.v1.scheduler.Scheduler;

/**
 * A v1 scheduler that records its callbacks ({@code connected}, {@code disconnected}, {@code received TYPE}) and
 * the threads they ran on; by default it subscribes {@link #framework} on every {@code connected}. Thread-safe.
 */
class RecordingV1Scheduler implements Scheduler {
  final List<String> callbacks = new CopyOnWriteArrayList<>();
  final List<Event> events = new CopyOnWriteArrayList<>();
  final Set<String> threads = ConcurrentHashMap.newKeySet();
  volatile FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("alice").setName("v1-test").build();
  volatile Consumer<Mesos> onConnected = this::subscribe;
  volatile BiConsumer<Mesos, Event> onEvent = (m, e) -> { };

  @Override
  public void connected(Mesos mesos) {
    threads.add(Thread.currentThread().getName());
    callbacks.add("connected");
    onConnected.accept(mesos);
  }

  @Override
  public void disconnected(Mesos mesos) {
    threads.add(Thread.currentThread().getName());
    callbacks.add("disconnected");
  }

  @Override
  public void received(Mesos mesos, Event event) {
    threads.add(Thread.currentThread().getName());
    callbacks.add("received " + event.getType());
    events.add(event);
    onEvent.accept(mesos, event);
  }

  void subscribe(Mesos mesos) {
    mesos.send(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(framework)).build());
  }

  int count(String callback) {
    return (int) callbacks.stream().filter(callback::equals).count();
  }

  void awaitCount(String callback, int n) {
    await().atMost(FakeMaster.WAIT).until(() -> count(callback) >= n);
  }

  Event awaitEvent(Event.Type type) {
    await().atMost(FakeMaster.WAIT).until(() -> events.stream().anyMatch(e -> e.getType() == type));
    return events.stream().filter(e -> e.getType() == type).findFirst().orElseThrow();
  }

  List<Event> events(Event.Type type) {
    return events.stream().filter(e -> e.getType() == type).collect(Collectors.toList());
  }

  /** The callbacks, without HEARTBEAT events (whose number depends on timing). */
  List<String> withoutHeartbeats() {
    return callbacks.stream().filter(c -> !c.equals("received HEARTBEAT")).collect(Collectors.toList());
  }
}
