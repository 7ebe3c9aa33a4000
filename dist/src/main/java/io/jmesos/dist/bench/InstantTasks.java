package io.jmesos.dist.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.actor.MessageDispatcher;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.RunTaskGroupMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;

/**
 * The task side of {@link SimulatedAgents}: every task a master launches ({@code RunTaskMessage}, or each task of a
 * {@code RunTaskGroupMessage}) runs at once and finishes at once when the agents finish every task or the task is
 * named {@link SimulatedFrameworks#FINISH}; a task named {@link SimulatedFrameworks#FINISHED_AT_ONCE} has
 * TASK_FINISHED as its only update (as from an executor whose task ended before it was reported running). As a real
 * agent's status update manager does, each task's updates form a stream: TASK_RUNNING is sent ({@code
 * StatusUpdateMessage} with a fresh uuid, source executor) and resent after {@code retryInterval}, doubling up to 10
 * minutes, until the master forwards the framework's acknowledgement ({@code StatusUpdateAcknowledgementMessage}
 * with the same uuid); only then does TASK_FINISHED follow, retried the same way, after which the stream ends.
 *
 * <p>Threading: called on the agents' I/O threads and the timer thread; each stream is guarded by its own monitor, the
 * streams live in a concurrent map and the counters are atomics.
 */
final class InstantTasks {
  private final ScheduledExecutorService timers;
  private static final Duration MAX_RETRY_INTERVAL = Duration.ofMinutes(10);
  private final Duration retryInterval;
  private final boolean finish;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final AtomicLong launched = new AtomicLong();
  private final AtomicLong updatesSent = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private final AtomicLong unknownAcks = new AtomicLong();

  /** The agent a task runs on: its id, its pid and how to send to the master it is registered with. */
  interface Host {
    SlaveID slaveId();

    String pid();

    void send(Envelope envelope);
  }

  InstantTasks(ScheduledExecutorService timers, Duration retryInterval, boolean finish) {
    this.timers = timers;
    this.retryInterval = retryInterval;
    this.finish = finish;
  }

  /** A {@code RunTaskMessage} from the master. */
  void runTask(Host host, Envelope envelope) {
    RunTaskMessage message = parse(envelope, RunTaskMessage::parseFrom);
    TaskInfo task = message.getTask();
    ExecutorID executor = task.hasExecutor() ? task.getExecutor().getExecutorId()
        : ExecutorID.newBuilder().setValue(task.getTaskId().getValue()).build(); // the command executor's id
    start(host, message.getFrameworkId(), executor, task);
  }

  /** A {@code RunTaskGroupMessage}: every task of the group runs. */
  void runTaskGroup(Host host, Envelope envelope) {
    RunTaskGroupMessage message = parse(envelope, RunTaskGroupMessage::parseFrom);
    for (TaskInfo task : message.getTaskGroup().getTasksList()) {
      start(host, message.getFramework().getId(), message.getExecutor().getExecutorId(), task);
    }
  }

  /** A {@code StatusUpdateAcknowledgementMessage}: ends the current update's retries, sends the next one. */
  void acknowledged(Host host, Envelope envelope) {
    StatusUpdateAcknowledgementMessage ack = parse(envelope, StatusUpdateAcknowledgementMessage::parseFrom);
    Stream stream = streams.get(key(host.slaveId(), ack.getFrameworkId(), ack.getTaskId()));
    if (stream == null) {
      unknownAcks.incrementAndGet();
      return;
    }
    synchronized (stream) {
      if (stream.current == null || !stream.current.getUpdate().getUuid().equals(ack.getUuid())) {
        unknownAcks.incrementAndGet();
        return;
      }
      acknowledged.incrementAndGet();
      cancel(stream);
      TaskState state = stream.current.getUpdate().getStatus().getState();
      if (state == TaskState.TASK_RUNNING && stream.finish) {
        send(stream, TaskState.TASK_FINISHED);
        return;
      }
      if (state == TaskState.TASK_FINISHED) {
        finished.incrementAndGet();
      }
      stream.current = null;
      streams.remove(stream.key);
    }
  }

  private void start(Host host, FrameworkID framework, ExecutorID executor, TaskInfo task) {
    launched.incrementAndGet();
    boolean endedAtOnce = task.getName().equals(SimulatedFrameworks.FINISHED_AT_ONCE);
    Stream stream = new Stream(key(host.slaveId(), framework, task.getTaskId()), host, framework, executor,
        task.getTaskId(), finish || task.getName().equals(SimulatedFrameworks.FINISH));
    streams.put(stream.key, stream);
    synchronized (stream) {
      send(stream, endedAtOnce ? TaskState.TASK_FINISHED : TaskState.TASK_RUNNING);
    }
  }

  /** Sends {@code state} as the stream's next update and schedules its retry; under the stream's monitor. */
  private void send(Stream stream, TaskState state) {
    ByteString uuid = uuid();
    double now = System.currentTimeMillis() / 1000.0;
    SlaveID slaveId = stream.host.slaveId();
    TaskStatus status = TaskStatus.newBuilder()
        .setTaskId(stream.task)
        .setState(state)
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setSlaveId(slaveId)
        .setExecutorId(stream.executor)
        .setTimestamp(now)
        .setUuid(uuid)
        .build();
    stream.current = StatusUpdateMessage.newBuilder()
        .setUpdate(StatusUpdate.newBuilder()
            .setFrameworkId(stream.framework)
            .setExecutorId(stream.executor)
            .setSlaveId(slaveId)
            .setStatus(status)
            .setTimestamp(now)
            .setUuid(uuid))
        .setPid(stream.host.pid())
        .build();
    stream.interval = retryInterval;
    transmit(stream, stream.current);
  }

  private void transmit(Stream stream, StatusUpdateMessage update) {
    updatesSent.incrementAndGet();
    stream.host.send(MessageDispatcher.envelope(update));
    try {
      stream.retry = timers.schedule(() -> retry(stream, update), stream.interval.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      stream.retry = null; // the agents are closing
    }
  }

  private void retry(Stream stream, StatusUpdateMessage update) {
    synchronized (stream) {
      if (stream.current != update) {
        return;
      }
      retries.incrementAndGet();
      Duration doubled = stream.interval.multipliedBy(2);
      stream.interval = doubled.compareTo(MAX_RETRY_INTERVAL) < 0 ? doubled : MAX_RETRY_INTERVAL;
      transmit(stream, update);
    }
  }

  private static void cancel(Stream stream) {
    if (stream.retry != null) {
      stream.retry.cancel(false);
      stream.retry = null;
    }
  }

  /** Stops every retry. */
  void close() {
    for (Stream stream : streams.values()) {
      synchronized (stream) {
        cancel(stream);
        stream.current = null;
      }
    }
    streams.clear();
  }

  long launched() {
    return launched.get();
  }

  long updatesSent() {
    return updatesSent.get();
  }

  long retries() {
    return retries.get();
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long finished() {
    return finished.get();
  }

  long unknownAcknowledgements() {
    return unknownAcks.get();
  }

  /** Tasks whose stream has an update not acknowledged yet. */
  int pending() {
    return streams.size();
  }

  /**
   * A random (version 4) UUID's 16 bytes. From {@link ThreadLocalRandom}, not {@code UUID.randomUUID()}'s
   * {@code SecureRandom}: an update's uuid only has to be unique, and the shared secure generator cost the bench's
   * threads a lock per update.
   */
  private static ByteString uuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = random.nextLong() & ~0xF000L | 0x4000L;
    long low = random.nextLong() & ~(0xC000L << 48) | (0x8000L << 48);
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(high).putLong(low);
    return ByteString.copyFrom(bytes.array());
  }

  private static String key(SlaveID agent, FrameworkID framework, TaskID task) {
    return agent.getValue() + '/' + framework.getValue() + '/' + task.getValue();
  }

  private interface Parser<M> {
    M parse(ByteString bytes) throws InvalidProtocolBufferException;
  }

  private static <M> M parse(Envelope envelope, Parser<M> parser) {
    try {
      return parser.parse(envelope.getPayload());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("Bad " + envelope.getType() + " from the master", e);
    }
  }

  /** One task's update stream, guarded by its monitor. */
  private static final class Stream {
    final String key;
    final Host host;
    final FrameworkID framework;
    final ExecutorID executor;
    final TaskID task;
    final boolean finish;
    StatusUpdateMessage current;
    ScheduledFuture<?> retry;
    Duration interval;

    Stream(String key, Host host, FrameworkID framework, ExecutorID executor, TaskID task, boolean finish) {
      this.key = key;
      this.host = host;
      this.framework = framework;
      this.executor = executor;
      this.task = task;
      this.finish = finish;
    }
  }
}
