package io.jmesos.agent.status;

import com.google.protobuf.ByteString;
import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateRecord;
import io.jmesos.protocol.TaskStates;
import java.io.IOException;
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
 * updates (same uuid) and updates already acknowledged are dropped; so is an update that follows the task's
 * terminal one before that is acknowledged (Mesos rejects it in the agent's {@code updateTaskState}); once a
 * terminal update is acknowledged the stream is gone and a later update starts a new one, as in Mesos. The
 * forwarded update carries the task's latest known state.
 *
 * <p>Streams of checkpointing frameworks have a {@link StreamLog}: each update and acknowledgement is appended
 * to it before it takes effect (a failed write changes nothing and throws {@link CheckpointFailedException}),
 * and {@link #recover} rebuilds a stream from its records when the agent restarts.
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

  /** {@link #update(StatusUpdate, StreamLog)} for a stream that is not checkpointed. */
  public boolean update(StatusUpdate update) {
    return update(update, null);
  }

  /**
   * Queues an update; sends it at once if it is the only one of its task. Returns false for a duplicate
   * (uuid seen before), an update already acknowledged, or an update after the task's terminal one.
   *
   * @param log where a new stream is checkpointed (null: not checkpointed); ignored for an existing stream
   * @throws CheckpointFailedException when the update could not be checkpointed (nothing changed)
   */
  public boolean update(StatusUpdate update, StreamLog log) {
    actor.assertInActorThread();
    Key key = new Key(update.getFrameworkId(), update.getStatus().getTaskId());
    Stream stream = streams.get(key);
    if (stream == null) {
      stream = new Stream(log);
      streams.put(key, stream);
    } else if (log != null && log != stream.log) {
      log.close();
    }
    if (update.hasUuid() && stream.acknowledged.contains(update.getUuid())) {
      LOG.warn("Ignoring status update {} for task {} of framework {}: it was acknowledged already",
          update.getStatus().getState(), key.taskId.getValue(), key.frameworkId.getValue());
      return false;
    }
    if (update.hasUuid() && stream.seen.contains(update.getUuid())) {
      LOG.info("Status update {} for task {} is a duplicate; ignoring it", update.getStatus().getState(),
          key.taskId.getValue());
      return false;
    }
    if (stream.terminated) {
      LOG.warn("Status update {} for task {} follows a terminal update; ignoring it",
          update.getStatus().getState(), key.taskId.getValue());
      return false;
    }
    try {
      stream.checkpoint(StatusUpdateRecord.newBuilder().setType(StatusUpdateRecord.Type.UPDATE)
          .setUpdate(update).build(), key);
    } catch (CheckpointFailedException e) {
      if (stream.pending.isEmpty() && stream.seen.isEmpty()) {
        streams.remove(key);
        stream.close();
      }
      throw e;
    }
    if (update.hasUuid()) {
      stream.seen.add(update.getUuid());
    }
    stream.terminated = TaskStates.isTerminal(update.getStatus().getState());
    stream.pending.addLast(update);
    if (stream.pending.size() == 1) {
      send(key, stream);
    }
    return true;
  }

  /**
   * Rebuilds a task's stream from its checkpointed records (the agent restarted): updates received and not
   * acknowledged are pending again, oldest first, and go out once the manager is resumed. A stream whose terminal
   * update was acknowledged is finished and not kept.
   *
   * @param log where the stream goes on being checkpointed; closed when the stream is finished
   * @return the updates still pending, oldest first
   */
  public List<StatusUpdate> recover(FrameworkID frameworkId, TaskID taskId, List<StatusUpdateRecord> records,
      StreamLog log) {
    actor.assertInActorThread();
    Key key = new Key(frameworkId, taskId);
    Stream stream = new Stream(log);
    boolean finished = false;
    for (StatusUpdateRecord record : records) {
      if (record.getType() == StatusUpdateRecord.Type.UPDATE) {
        StatusUpdate update = record.getUpdate();
        if (update.hasUuid() && !stream.seen.add(update.getUuid())) {
          continue;
        }
        stream.pending.addLast(update);
        stream.terminated |= TaskStates.isTerminal(update.getStatus().getState());
      } else {
        StatusUpdate head = stream.pending.peekFirst();
        if (head == null || !head.getUuid().equals(record.getUuid())) {
          LOG.warn("Skipping a checkpointed acknowledgement {} of task {} that matches no pending update",
              Tasks.uuidString(record.getUuid()), taskId.getValue());
          continue;
        }
        stream.pending.pollFirst();
        stream.acknowledged.add(record.getUuid());
        finished |= TaskStates.isTerminal(head.getStatus().getState());
      }
    }
    List<StatusUpdate> pending = new ArrayList<>(stream.pending);
    Stream previous = streams.remove(key);
    if (previous != null) {
      previous.close();
    }
    if (finished || stream.pending.isEmpty() && stream.terminated) {
      stream.close();
      return List.of();
    }
    streams.put(key, stream);
    if (!stream.pending.isEmpty()) {
      send(key, stream);
    }
    return pending;
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
    if (stream.acknowledged.contains(uuid)) {
      LOG.warn("Ignoring a duplicate acknowledgement {} for task {} of framework {}", Tasks.uuidString(uuid),
          taskId.getValue(), frameworkId.getValue());
      return Optional.empty();
    }
    if (!head.getUuid().equals(uuid)) {
      LOG.warn("Acknowledgement {} for task {} does not match the pending status update {}",
          Tasks.uuidString(uuid), taskId.getValue(), Tasks.uuidString(head.getUuid()));
      return Optional.empty();
    }
    stream.checkpoint(StatusUpdateRecord.newBuilder().setType(StatusUpdateRecord.Type.ACK).setUuid(uuid).build(),
        key);
    stream.acknowledged.add(uuid);
    stream.pending.pollFirst();
    stream.cancelTimer();
    stream.interval = null;
    if (!stream.pending.isEmpty()) {
      send(key, stream);
    } else if (stream.terminated) {
      streams.remove(key);
      stream.close();
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

  /** Whether the task has a stream (updates pending, or received and not finished). */
  public boolean hasStream(FrameworkID frameworkId, TaskID taskId) {
    return streams.containsKey(new Key(frameworkId, taskId));
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
        e.getValue().close();
        return true;
      }
      return false;
    });
  }

  /** Stops every retry and closes the streams' logs. */
  @Override
  public void close() {
    streams.values().forEach(Stream::close);
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

  private static final class Stream {
    final ArrayDeque<StatusUpdate> pending = new ArrayDeque<>();
    final Set<ByteString> seen = new HashSet<>();
    final Set<ByteString> acknowledged = new HashSet<>();
    final StreamLog log;
    boolean terminated;
    Duration interval;
    Clock.Timer timer;

    Stream(StreamLog log) {
      this.log = log;
    }

    void checkpoint(StatusUpdateRecord record, Key key) {
      if (log == null) {
        return;
      }
      try {
        log.append(record);
      } catch (IOException e) {
        throw new CheckpointFailedException("Failed to checkpoint " + record.getType() + " for task "
            + key.taskId.getValue() + " of framework " + key.frameworkId.getValue(), e);
      }
    }

    void close() {
      cancelTimer();
      if (log != null) {
        log.close();
      }
    }

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
