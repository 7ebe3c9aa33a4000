package io.jmesos.scheduler.v1;

import com.google.protobuf.ByteString;
import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.protocol.Evolve;
import io.jmesos.scheduler.DriverOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.SchedulerDriver;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' {@code V0ToV1Adapter}, behind {@link org.apache.mesos.v1.scheduler.V0Mesos}: a v0
 * {@link org.apache.mesos.Scheduler} of a {@link org.apache.mesos.MesosSchedulerDriver} that turns the driver's
 * callbacks into v1 events, and v1 calls into driver methods ({@link V0Calls}).
 *
 * <p>As Mesos: the driver registers on its own, so registration (and re-registration) makes the scheduler hear
 * {@code connected}, and the SUBSCRIBED event (with a 15 s heartbeat interval) and a HEARTBEAT wait, with every
 * later event, until the scheduler sends SUBSCRIBE; from then on events flow and a HEARTBEAT is made every
 * interval. {@code disconnected} drops the waiting events. A driver error before SUBSCRIBE first makes the scheduler
 * hear {@code connected}, so that it subscribes and receives the ERROR.
 *
 * <p>Threading: the driver's callbacks and {@link #send} only enqueue on the adapter's {@link Actor}, which owns
 * the state; the v1 scheduler's callbacks run on the {@link SchedulerCallbacks} thread.
 */
public final class V0ToV1Adapter implements org.apache.mesos.Scheduler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(V0ToV1Adapter.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** Mesos' {@code DEFAULT_HEARTBEAT_INTERVAL} of the master, announced in SUBSCRIBED and kept locally. */
  static final Duration HEARTBEAT_INTERVAL = DriverOptions.DEFAULT_HEARTBEAT_INTERVAL;

  private final Actor actor;
  private volatile SchedulerCallbacks callbacks;
  private volatile SchedulerDriver driver;

  // Actor-confined state.
  private boolean subscribeCall;
  private final ArrayDeque<Event> pending = new ArrayDeque<>();
  private FrameworkID frameworkId;
  private Clock.Timer heartbeatTimer;

  public V0ToV1Adapter(Clock clock) {
    this.actor = new Actor("scheduler-v0-adapter-" + INSTANCES.incrementAndGet(), clock);
  }

  /** Connects the adapter with its driver (not yet started) and the v1 scheduler's callbacks. Call once. */
  public void attach(SchedulerDriver driver, SchedulerCallbacks callbacks) {
    this.driver = Objects.requireNonNull(driver, "driver");
    this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
  }

  /** The name of the adapter's threads. */
  public String name() {
    return actor.name();
  }

  /** A v1 call from the scheduler, applied to the driver in order. Any thread. */
  public void send(Call call) {
    Objects.requireNonNull(call, "call");
    actor.execute(() -> V0Calls.apply(this, driver, call));
  }

  /** Stops the heartbeats and the callbacks; the driver is its owner's to stop. Idempotent; any thread. */
  @Override
  public void close() {
    SchedulerCallbacks c = callbacks;
    if (c != null) {
      c.close();
    }
    actor.execute(() -> {
      cancelHeartbeat();
      pending.clear();
      actor.close();
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // The v0 driver's callbacks (on the driver's thread): each re-enters the adapter's actor.

  @Override
  public void registered(SchedulerDriver d, FrameworkID id, MasterInfo masterInfo) {
    actor.execute(() -> announce(id, masterInfo));
  }

  @Override
  public void reregistered(SchedulerDriver d, MasterInfo masterInfo) {
    actor.execute(() -> {
      if (frameworkId == null) {
        LOG.error("Re-registered with master {} before registering; ignored", masterInfo.getId());
        return;
      }
      announce(frameworkId, masterInfo);
    });
  }

  @Override
  public void disconnected(SchedulerDriver d) {
    actor.execute(() -> {
      // Offers die with the connection and updates can be reconciled, so the waiting events may go.
      LOG.info("Dropping {} pending event(s) because master disconnected", pending.size());
      pending.clear();
      subscribeCall = false;
      cancelHeartbeat();
      LOG.info("Disconnected with the Mesos master; invoking disconnected callback");
      callbacks.disconnected();
    });
  }

  @Override
  public void resourceOffers(SchedulerDriver d, List<Offer> offers) {
    Event.Offers.Builder event = Event.Offers.newBuilder()
        .addAllOffers(Evolve.evolveAllPartial(offers, org.apache.mesos.v1.Protos.Offer.parser()));
    received(Event.newBuilder().setType(Event.Type.OFFERS).setOffers(event).build());
  }

  @Override
  public void offerRescinded(SchedulerDriver d, OfferID offerId) {
    received(Event.newBuilder().setType(Event.Type.RESCIND).setRescind(Event.Rescind.newBuilder()
        .setOfferId(Evolve.evolvePartial(offerId, org.apache.mesos.v1.Protos.OfferID.parser()))).build());
  }

  @Override
  public void statusUpdate(SchedulerDriver d, TaskStatus status) {
    received(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
        .setStatus(Evolve.evolvePartial(status, org.apache.mesos.v1.Protos.TaskStatus.parser()))).build());
  }

  /** Unlike Mesos' adapter, which cuts the data at its first NUL byte, the whole data is passed on. */
  @Override
  public void frameworkMessage(SchedulerDriver d, ExecutorID executorId, SlaveID slaveId, byte[] data) {
    received(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
        .setAgentId(agent(slaveId))
        .setExecutorId(Evolve.evolvePartial(executorId, org.apache.mesos.v1.Protos.ExecutorID.parser()))
        .setData(ByteString.copyFrom(data))).build());
  }

  @Override
  public void slaveLost(SchedulerDriver d, SlaveID slaveId) {
    received(Event.newBuilder().setType(Event.Type.FAILURE)
        .setFailure(Event.Failure.newBuilder().setAgentId(agent(slaveId))).build());
  }

  @Override
  public void executorLost(SchedulerDriver d, ExecutorID executorId, SlaveID slaveId, int status) {
    received(Event.newBuilder().setType(Event.Type.FAILURE).setFailure(Event.Failure.newBuilder()
        .setAgentId(agent(slaveId))
        .setExecutorId(Evolve.evolvePartial(executorId, org.apache.mesos.v1.Protos.ExecutorID.parser()))
        .setStatus(status)).build());
  }

  @Override
  public void error(SchedulerDriver d, String message) {
    actor.execute(() -> {
      if (!subscribeCall) {
        // Events come only after connected: connect the scheduler, so that it subscribes and hears the error.
        LOG.info("Implicitly connecting the scheduler to send an error");
        callbacks.connected();
      }
      enqueue(Event.newBuilder().setType(Event.Type.ERROR)
          .setError(Event.Error.newBuilder().setMessage(message)).build());
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // On the actor.

  /** (Re-)registered: the scheduler is connected, and SUBSCRIBED waits for its SUBSCRIBE. */
  private void announce(FrameworkID id, MasterInfo masterInfo) {
    LOG.info("Registered with the Mesos master; invoking connected callback");
    callbacks.connected();
    frameworkId = id;
    enqueue(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setFrameworkId(Evolve.evolvePartial(id, org.apache.mesos.v1.Protos.FrameworkID.parser()))
        .setHeartbeatIntervalSeconds(HEARTBEAT_INTERVAL.toSeconds())
        .setMasterInfo(Evolve.evolvePartial(masterInfo, org.apache.mesos.v1.Protos.MasterInfo.parser())))
        .build());
    enqueue(heartbeat());
  }

  /** SUBSCRIBE from the scheduler: the waiting events go out, and heartbeats start. */
  void subscribe() {
    actor.assertInActorThread();
    subscribeCall = true;
    cancelHeartbeat();
    heartbeatTimer = actor.delay(HEARTBEAT_INTERVAL, this::heartbeatTick);
    flush();
  }

  private void heartbeatTick() {
    if (heartbeatTimer == null || !subscribeCall) {
      return; // cancelled on disconnection after it fired
    }
    enqueue(heartbeat());
    heartbeatTimer = actor.delay(HEARTBEAT_INTERVAL, this::heartbeatTick);
  }

  private void cancelHeartbeat() {
    if (heartbeatTimer != null) {
      heartbeatTimer.cancel();
      heartbeatTimer = null;
    }
  }

  private void received(Event event) {
    actor.execute(() -> enqueue(event));
  }

  /** Until the scheduler has sent SUBSCRIBE, events wait. */
  private void enqueue(Event event) {
    pending.addLast(event);
    if (subscribeCall) {
      flush();
    }
  }

  private void flush() {
    while (!pending.isEmpty()) {
      callbacks.received(pending.pollFirst());
    }
  }

  private static Event heartbeat() {
    return Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
  }

  private static AgentID agent(SlaveID slaveId) {
    return Evolve.evolvePartial(slaveId, AgentID.parser());
  }
}
