package io.jmesos.agent.status;

import com.google.protobuf.ByteString;
import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.protocol.TaskStates;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.TaskID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers status updates reliably and in order, as Mesos' status update manager does: one stream per task;
 * only the head of a stream is in flight; it is re-sent with a doubling interval (10s up to 10 min by
 * default) until the master acknowledges its uuid; then the next update of that task goes out. Duplicate
 * updates (same uuid) are dropped. The forwarded update carries the task's latest known state.
 *
 * <p>Not thread-safe: owned by the agent's actor; timers run there through the actor's clock.
 */
public final class StatusUpdateManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusUpdateManager.class);

  public static final Duration RETRY_INTERVAL_MIN = Duration.ofSeconds(10);
  public static final Duration RETRY_INTERVAL_MAX = Duration.ofMinutes(10);

  private final Actor actor;
  private final Clock clock;
  private final Consumer<StatusUpdate> forwarder;
  private final Duration minInterval;
  private final Duration maxInterval;
  private final Map<Key, Stream> streams = new LinkedHashMap<>();
  private boolean paused;

  /** {@code forwarder} sends one update to the master; it is called on the actor. */
  public StatusUpdateManager(Actor actor, Consumer<StatusUpdate> forwarder) {
    this(actor, forwarder, RETRY_INTERVAL_MIN, RETRY_INTERVAL_MAX);
  }

  public StatusUpdateManager(Actor actor, Consumer<StatusUpdate> forwarder, Duration minInterval,
      Duration maxInterval) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.clock = actor.clock();
    this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
    this.minInterval = minInterval;
    this.maxInterval = maxInterval;
  }

  /**
   * Queues an update; sends it at once if it is the only one of its task. Returns false for a duplicate
   * (uuid seen before) or an update after the task's terminal one.
   */
  public boolean update(StatusUpdate update) {
    actor.assertInActorThread();
    Key key = new Key(update.getFrameworkId(), update.getStatus().getTaskId());
    Stream stream = streams.computeIfAbsent(key, k -> new Stream());
    if (update.hasUuid() && !stream.seen.add(update.getUuid())) {
      LOG.info("Status update {} for task {} is a duplicate; ignoring it", update.getStatus().getState(),
          key.taskId.getValue());
      return false;
    }
    if (stream.terminated) {
      LOG.warn("Status update {} for task {} follows a terminal update; ignoring it",
          update.getStatus().getState(), key.taskId.getValue());
      return false;
    }
    stream.terminated = TaskStates.isTerminal(update.getStatus().getState());
    stream.pending.addLast(update);
    if (stream.pending.size() == 1) {
      send(key, stream);
    }
    return true;
  }

  /**
   * Applies an acknowledgement; returns the acknowledged update when it matches the head of its task's
   * stream, empty when it is unknown or out of order (then nothing changes).
   */
  public Optional<StatusUpdate> acknowledge(FrameworkID frameworkId, TaskID taskId, ByteString uuid) {
    actor.assertInActorThread();
    Key key = new Key(frameworkId, taskId);
    Stream stream = streams.get(key);
    if (stream == null || stream.pending.isEmpty()) {
      LOG.warn("Acknowledgement {} for task {} of framework {} matches no pending status update",
          Tasks.uuidString(uuid), taskId.getValue(), frameworkId.getValue());
      return Optional.empty();
    }
    StatusUpdate head = stream.pending.peekFirst();
    if (!head.getUuid().equals(uuid)) {
      LOG.warn("Acknowledgement {} for task {} does not match the pending status update {}",
          Tasks.uuidString(uuid), taskId.getValue(), Tasks.uuidString(head.getUuid()));
      return Optional.empty();
    }
    stream.pending.pollFirst();
    stream.cancelTimer();
    stream.interval = null;
    if (!stream.pending.isEmpty()) {
      send(key, stream);
    } else if (stream.terminated) {
      streams.remove(key);
    }
    return Optional.of(head);
  }

  /** Stops sending while the master is unreachable; retries resume with {@link #resume()}. */
  public void pause() {
    actor.assertInActorThread();
    paused = true;
  }

  /** Re-sends the head of every stream now, e.g. after (re-)registering with a master. */
  public void resume() {
    actor.assertInActorThread();
    paused = false;
    streams.forEach((key, stream) -> {
      if (!stream.pending.isEmpty()) {
        stream.cancelTimer();
        stream.interval = null;
        send(key, stream);
      }
    });
  }

  /** Updates of a task that are not yet acknowledged, oldest first. */
  public List<StatusUpdate> pending(FrameworkID frameworkId, TaskID taskId) {
    Stream stream = streams.get(new Key(frameworkId, taskId));
    return stream == null ? List.of() : new ArrayList<>(stream.pending);
  }

  /** Total number of unacknowledged updates. */
  public int pendingCount() {
    return streams.values().stream().mapToInt(s -> s.pending.size()).sum();
  }

  /** Forgets every stream of a framework (it was removed). */
  public void cleanup(FrameworkID frameworkId) {
    actor.assertInActorThread();
    streams.entrySet().removeIf(e -> {
      if (e.getKey().frameworkId.equals(frameworkId)) {
        e.getValue().cancelTimer();
        return true;
      }
      return false;
    });
  }

  @Override
  public void close() {
    streams.values().forEach(Stream::cancelTimer);
  }

  private void send(Key key, Stream stream) {
    StatusUpdate head = stream.pending.peekFirst();
    StatusUpdate latest = stream.pending.peekLast();
    StatusUpdate outgoing = head.toBuilder().setLatestState(latest.getStatus().getState()).build();
    if (!paused) {
      LOG.debug("Forwarding status update {} ({}) for task {} of framework {}", head.getStatus().getState(),
          Tasks.uuidString(head.getUuid()), key.taskId.getValue(), key.frameworkId.getValue());
      forwarder.accept(outgoing);
    }
    stream.interval = stream.interval == null ? minInterval : min(stream.interval.multipliedBy(2), maxInterval);
    Duration wait = stream.interval;
    stream.timer = actor.delay(wait, () -> retry(key, stream, head));
  }

  private void retry(Key key, Stream stream, StatusUpdate expected) {
    if (streams.get(key) != stream || stream.pending.peekFirst() != expected) {
      return;
    }
    LOG.info("Retrying status update {} ({}) for task {}", expected.getStatus().getState(),
        Tasks.uuidString(expected.getUuid()), key.taskId.getValue());
    send(key, stream);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private final class Stream {
    final ArrayDeque<StatusUpdate> pending = new ArrayDeque<>();
    final Set<ByteString> seen = new HashSet<>();
    boolean terminated;
    Duration interval;
    Clock.Timer timer;

    void cancelTimer() {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }
  }

  private static final class Key {
    final FrameworkID frameworkId;
    final TaskID taskId;

    Key(FrameworkID frameworkId, TaskID taskId) {
      this.frameworkId = frameworkId;
      this.taskId = taskId;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).frameworkId.equals(frameworkId) && ((Key) o).taskId.equals(taskId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(frameworkId, taskId);
    }
  }
}
