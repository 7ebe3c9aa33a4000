package io.jmesos.executor.driver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.tls.TlsContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Call;
import org.apache.mesos.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's actor: subscribes with the agent, turns events into executor callbacks, keeps the status
 * updates and tasks the agent has not acknowledged (re-sent in every SUBSCRIBE), and reconnects or shuts the
 * executor down when the connection breaks, as Mesos' executor library does.
 *
 * <p>It speaks the v1 executor API with the wire-identical v0-flavoured messages ({@code
 * org.apache.mesos.executor.Protos} over {@code org.apache.mesos.Protos}), which are also what the {@link
 * Executor} callbacks take: no conversion, and an executor JVM initialises one protobuf descriptor set
 * instead of two (the largest single start-up cost of the command executor).
 *
 * <p>Threading: all state is owned by {@link #actor}; the subscribe stream's reader thread parses events and
 * enqueues them, and calls are POSTed in order by one sender thread. Methods without a leading underscore
 * are the entry points and may be called from any thread.
 */
final class ExecutorProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorProcess.class);
  private static final Duration SENDER_DRAIN = Duration.ofSeconds(5);

  private enum State { DISCONNECTED, SUBSCRIBING, SUBSCRIBED, TERMINATED }

  private final HttpExecutorDriver driver;
  private final ExecutorDriver callbackDriver;
  private final Executor executor;
  private final ExecutorEnvironment env;
  private final Clock clock;
  private final IntConsumer exitHook;
  private final Actor actor;
  private final ExecutorService sender;
  private final AgentClient client;
  private final FrameworkID frameworkId;
  private final ExecutorID executorId;
  private final Map<Event.Type, Consumer<Event>> handlers = new EnumMap<>(Event.Type.class);
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile boolean active = true; // False once aborted or stopped: no more callbacks.

  // Owned by the actor.
  private State state = State.DISCONNECTED;
  private int generation;
  private AgentClient.Subscription subscription;
  private boolean everSubscribed;
  private SlaveID agentId;
  private final Map<ByteString, Call.Update> updates = new LinkedHashMap<>();
  private final Map<TaskID, TaskInfo> tasks = new LinkedHashMap<>();
  private final List<CompletableFuture<Void>> ackWaiters = new ArrayList<>();
  private Clock.Timer recoveryTimer;
  private Clock.Timer retryTimer;
  private boolean shuttingDown;

  ExecutorProcess(HttpExecutorDriver driver, ExecutorDriver callbackDriver, Executor executor,
      ExecutorEnvironment env, Clock clock, IntConsumer exitHook) {
    this.driver = driver;
    this.callbackDriver = callbackDriver;
    this.executor = executor;
    this.env = env;
    this.clock = clock;
    this.exitHook = exitHook;
    this.actor = new Actor("executor-driver", clock);
    this.sender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "executor-driver-calls");
      t.setDaemon(true);
      return t;
    });
    this.client = new AgentClient(env.agent(), env.authenticationToken(), TlsContext.create(env.tls()));
    this.frameworkId = FrameworkID.newBuilder().setValue(env.frameworkId()).build();
    this.executorId = ExecutorID.newBuilder().setValue(env.executorId()).build();
    handlers.put(Event.Type.SUBSCRIBED, this::subscribed);
    handlers.put(Event.Type.LAUNCH, this::launch);
    handlers.put(Event.Type.LAUNCH_GROUP, this::launchGroup);
    handlers.put(Event.Type.KILL, this::kill);
    handlers.put(Event.Type.ACKNOWLEDGED, this::acknowledged);
    handlers.put(Event.Type.MESSAGE, this::message);
    handlers.put(Event.Type.ERROR, this::error);
    handlers.put(Event.Type.SHUTDOWN, e -> shutdown("the agent asked"));
    handlers.put(Event.Type.HEARTBEAT, e -> LOG.debug("Executor {} received a heartbeat", env.executorId()));
  }

  // ---- Entry points (any thread) ----

  void start() {
    actor.execute(this::subscribe);
  }

  boolean inActorThread() {
    return actor.inActorThread();
  }

  void abort() {
    active = false;
    LOG.info("Executor driver for {} aborted", env.executorId());
  }

  /** Closes the connection and the actor once queued work is done; completes when queued calls are sent. */
  CompletableFuture<Void> stop() {
    active = false;
    actor.execute(this::terminate);
    return terminated;
  }

  CompletableFuture<Void> terminated() {
    return terminated;
  }

  void sendStatusUpdate(org.apache.mesos.Protos.TaskStatus status) {
    actor.execute(() -> update(status));
  }

  void sendFrameworkMessage(byte[] data) {
    actor.execute(() -> {
      if (state != State.SUBSCRIBED) {
        LOG.warn("Dropping MESSAGE: executor {} is {}", env.executorId(), state);
        return;
      }
      send(Call.newBuilder().setType(Call.Type.MESSAGE)
          .setMessage(Call.Message.newBuilder().setData(ByteString.copyFrom(data))));
    });
  }

  CompletableFuture<Void> whenAllAcknowledged() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    actor.execute(() -> {
      if (updates.isEmpty()) {
        done.complete(null);
      } else {
        ackWaiters.add(done);
      }
    });
    return done;
  }

  // ---- Subscription (actor) ----

  private void subscribe() {
    actor.assertInActorThread();
    retryTimer = null;
    if (state == State.TERMINATED || state == State.SUBSCRIBING || state == State.SUBSCRIBED) {
      return;
    }
    state = State.SUBSCRIBING;
    int gen = ++generation;
    Call.Subscribe.Builder subscribe = Call.Subscribe.newBuilder()
        .addAllUnacknowledgedTasks(tasks.values())
        .addAllUnacknowledgedUpdates(updates.values());
    Call call = call(Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(subscribe));
    LOG.info("Executor {} of framework {} subscribing to agent {} with {} unacknowledged updates and {} tasks",
        env.executorId(), env.frameworkId(), env.agent(), updates.size(), tasks.size());
    subscription = client.subscribe(call.toByteArray(), new AgentClient.StreamListener() {
      @Override
      public void onRejected(int status, String body) {
        actor.execute(() -> rejected(gen, status, body));
      }

      @Override
      public void onAccepted() {
        LOG.debug("Executor {} subscription accepted by agent {}", env.executorId(), env.agent());
      }

      @Override
      public void onRecord(byte[] record) {
        Event event;
        try {
          event = Event.parseFrom(record);
        } catch (InvalidProtocolBufferException e) {
          actor.execute(() -> {
            if (gen == generation) {
              fatal("Failed to de-serialize event: " + e.getMessage());
            }
          });
          return;
        }
        actor.execute(() -> received(gen, event));
      }

      @Override
      public void onClosed(String reason) {
        actor.execute(() -> disconnected(gen, reason));
      }
    });
  }

  private void rejected(int gen, int status, String body) {
    if (gen != generation || state == State.TERMINATED) {
      return;
    }
    subscription = null;
    state = State.DISCONNECTED;
    if (status == 503 || status == 404) {
      LOG.warn("Executor {} SUBSCRIBE answered '{}' ({}); retrying", env.executorId(), status, body);
      retry();
      return;
    }
    fatal("Received unexpected '" + status + "' (" + body + ") for SUBSCRIBE");
  }

  private void disconnected(int gen, String reason) {
    if (gen != generation || state == State.TERMINATED) {
      return;
    }
    boolean wasSubscribed = state == State.SUBSCRIBED;
    subscription = null;
    state = State.DISCONNECTED;
    LOG.warn("Executor {} disconnected from agent {}: {}", env.executorId(), env.agent(), reason);
    if (!active) {
      return;
    }
    if (!env.checkpoint()) {
      LOG.warn("Executor {} shutting down: framework {} does not checkpoint, so the agent will not recover it",
          env.executorId(), env.frameworkId());
      shutdown("the agent connection was lost");
      return;
    }
    if (wasSubscribed) {
      executor.disconnected(callbackDriver);
    }
    if (recoveryTimer == null) {
      recoveryTimer = actor.delay(env.recoveryTimeout(), this::recoveryTimeout);
    }
    retry();
  }

  private void retry() {
    if (retryTimer != null || state == State.TERMINATED) {
      return;
    }
    long max = env.subscriptionBackoffMax().toNanos();
    Duration backoff = Duration.ofNanos(max <= 0 ? 0 : ThreadLocalRandom.current().nextLong(max + 1));
    LOG.info("Executor {} will retry subscribing with agent {} in {} ms", env.executorId(), env.agent(),
        backoff.toMillis());
    retryTimer = actor.delay(backoff, this::subscribe);
  }

  private void recoveryTimeout() {
    recoveryTimer = null;
    if (state == State.SUBSCRIBED || state == State.TERMINATED) {
      return;
    }
    LOG.warn("Executor {} recovery timeout of {} exceeded; shutting down", env.executorId(), env.recoveryTimeout());
    shutdown("the recovery timeout expired");
  }

  private void received(int gen, Event event) {
    if (gen != generation || state == State.TERMINATED) {
      LOG.debug("Executor {} ignoring {} from a stale stream", env.executorId(), event.getType());
      return;
    }
    if (!active) {
      LOG.debug("Executor {} ignoring {}: driver is not running", env.executorId(), event.getType());
      return;
    }
    Consumer<Event> handler = handlers.get(event.getType());
    if (handler == null) {
      LOG.warn("Executor {} dropping event of unknown type {}", env.executorId(), event.getType());
      return;
    }
    handler.accept(event);
  }

  // ---- Event handlers (actor) ----

  private void subscribed(Event event) {
    Event.Subscribed s = event.getSubscribed();
    state = State.SUBSCRIBED;
    if (recoveryTimer != null) {
      recoveryTimer.cancel();
      recoveryTimer = null;
    }
    SlaveInfo slaveInfo = s.getSlaveInfo();
    agentId = slaveInfo.hasId() ? slaveInfo.getId() : null;
    LOG.info("Executor {} subscribed to agent {}", env.executorId(),
        agentId == null ? env.agent() : agentId.getValue());
    if (!everSubscribed) {
      everSubscribed = true;
      executor.registered(callbackDriver,
          s.getExecutorInfo(),
          s.getFrameworkInfo(),
          slaveInfo);
    } else {
      executor.reregistered(callbackDriver, slaveInfo);
    }
  }

  private void launch(Event event) {
    TaskInfo task = event.getLaunch().getTask();
    tasks.put(task.getTaskId(), task);
    LOG.info("Executor {} asked to run task {}", env.executorId(), task.getTaskId().getValue());
    executor.launchTask(callbackDriver, task);
  }

  private void launchGroup(Event event) {
    LOG.warn("Executor {} ignoring LAUNCH_GROUP of {} tasks: the v0 executor API cannot run task groups",
        env.executorId(), event.getLaunchGroup().getTaskGroup().getTasksCount());
  }

  private void kill(Event event) {
    TaskID taskId = event.getKill().getTaskId();
    LOG.info("Executor {} asked to kill task {}", env.executorId(), taskId.getValue());
    TaskID v0 = taskId;
    if (event.getKill().hasKillPolicy() && executor instanceof KillPolicyAware) {
      ((KillPolicyAware) executor).killTask(callbackDriver, v0,
          event.getKill().getKillPolicy());
    } else {
      executor.killTask(callbackDriver, v0);
    }
  }

  private void acknowledged(Event event) {
    Event.Acknowledged ack = event.getAcknowledged();
    if (updates.remove(ack.getUuid()) == null) {
      LOG.warn("Executor {} received an acknowledgement for unknown status update {} of task {}",
          env.executorId(), uuidText(ack.getUuid()), ack.getTaskId().getValue());
    }
    // The agent knows the task once it has acknowledged any update of it.
    tasks.remove(ack.getTaskId());
    if (updates.isEmpty()) {
      ackWaiters.forEach(w -> w.complete(null));
      ackWaiters.clear();
    }
  }

  private void message(Event event) {
    executor.frameworkMessage(callbackDriver, event.getMessage().getData().toByteArray());
  }

  private void error(Event event) {
    executor.error(callbackDriver, event.getError().getMessage());
  }

  /** Mesos' shutdown: the executor's callback, a suicide timer unless local, then the driver stops. */
  private void shutdown(String why) {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    LOG.info("Executor {} shutting down because {}", env.executorId(), why);
    if (exitHook != null && !env.local()) {
      clock.schedule(env.shutdownGracePeriod(), Runnable::run, () -> exitHook.accept(1));
    }
    if (active) {
      executor.shutdown(callbackDriver);
    }
    driver.stop();
  }

  /** Aborts the driver and reports {@code message} to the executor, as Mesos does for fatal errors. */
  private void fatal(String message) {
    LOG.error("Executor {} driver error: {}", env.executorId(), message);
    if (!active) {
      return;
    }
    driver.abort();
    executor.error(callbackDriver, message);
  }

  // ---- Calls (actor) ----

  /** Runs even after stop() was called: the facade accepted the update while the driver was running. */
  private void update(org.apache.mesos.Protos.TaskStatus v0) {
    if (v0.getState() == org.apache.mesos.Protos.TaskState.TASK_STAGING) {
      LOG.error("Executor {} is not allowed to send TASK_STAGING status updates; aborting", env.executorId());
      driver.abort();
      executor.error(callbackDriver, "Attempted to send TASK_STAGING status update");
      return;
    }
    TaskStatus.Builder status = v0.toBuilder()
        .setUuid(randomUuid())
        .setTimestamp(clock.currentTimeSeconds())
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setExecutorId(executorId);
    if (!status.hasSlaveId() && agentId != null) {
      status.setSlaveId(agentId);
    }
    Call.Update update = Call.Update.newBuilder().setStatus(status).build();
    updates.put(status.getUuid(), update);
    LOG.info("Executor {} sending {} for task {}", env.executorId(), status.getState(),
        status.getTaskId().getValue());
    if (state == State.SUBSCRIBED) {
      send(Call.newBuilder().setType(Call.Type.UPDATE).setUpdate(update));
    }
  }

  private Call call(Call.Builder call) {
    return call.setFrameworkId(frameworkId).setExecutorId(executorId).build();
  }

  private void send(Call.Builder builder) {
    Call call = call(builder);
    byte[] body = call.toByteArray();
    sender.execute(() -> {
      try {
        AgentClient.Response response = client.post(body);
        if (response.status == 202) {
          return;
        }
        if (response.status == 503 || response.status == 404) {
          LOG.warn("Executor {} {} call answered '{}' ({})", env.executorId(), call.getType(), response.status,
              response.body);
          return;
        }
        actor.execute(() -> fatal("Received unexpected '" + response.status + "' (" + response.body + ") for "
            + call.getType()));
      } catch (IOException e) {
        LOG.error("Executor {} request for call type {} failed: {}", env.executorId(), call.getType(), e.toString());
      }
    });
  }

  private void terminate() {
    if (state == State.TERMINATED) {
      return;
    }
    state = State.TERMINATED;
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    cancel(recoveryTimer);
    cancel(retryTimer);
    recoveryTimer = null;
    retryTimer = null;
    actor.close();
    sender.shutdown();
    try {
      if (!sender.awaitTermination(SENDER_DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Executor {} stopped with calls still unsent", env.executorId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("Executor driver for {} stopped", env.executorId());
    terminated.complete(null);
  }

  private static void cancel(Clock.Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
  }

  private static ByteString randomUuid() {
    UUID uuid = UUID.randomUUID();
    return ByteString.copyFrom(ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .array());
  }

  private static String uuidText(ByteString bytes) {
    if (bytes.size() != 16) {
      return bytes.toStringUtf8();
    }
    ByteBuffer b = bytes.asReadOnlyByteBuffer();
    return new UUID(b.getLong(), b.getLong()).toString();
  }
}
