package io.jmesos.scheduler;

import io.jmesos.protocol.Evolve;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch table from v1 scheduler {@link Event} type to handler: each handler converts the event to
 * the v0 types of the Java API and invokes the matching {@link org.apache.mesos.Scheduler} callback, with
 * Mesos' rules (offers, rescinds, updates and failures only while subscribed; an implicit acknowledgement
 * after {@code statusUpdate} returns; ERROR aborts the driver).
 *
 * <p>Threading: runs on the driver's actor only.
 */
final class EventHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(EventHandlers.class);

  private final SchedulerProcess process;
  private final Map<Event.Type, Consumer<Event>> handlers = new EnumMap<>(Event.Type.class);

  EventHandlers(SchedulerProcess process) {
    this.process = process;
    handlers.put(Event.Type.SUBSCRIBED, this::subscribed);
    handlers.put(Event.Type.OFFERS, this::offers);
    handlers.put(Event.Type.RESCIND, this::rescind);
    handlers.put(Event.Type.UPDATE, this::update);
    handlers.put(Event.Type.MESSAGE, this::message);
    handlers.put(Event.Type.FAILURE, this::failure);
    handlers.put(Event.Type.ERROR, this::error);
    handlers.put(Event.Type.HEARTBEAT, e -> LOG.trace("Heartbeat for framework {}", process.frameworkId()));
    // The Java API has no callbacks for these.
    handlers.put(Event.Type.INVERSE_OFFERS, this::ignored);
    handlers.put(Event.Type.RESCIND_INVERSE_OFFER, this::ignored);
    handlers.put(Event.Type.UPDATE_OPERATION_STATUS, this::ignored);
  }

  void handle(Event event) {
    process.actor.assertInActorThread();
    Consumer<Event> handler = handlers.get(event.getType());
    if (handler == null) {
      drop(event, "Unknown event");
      return;
    }
    handler.accept(event);
  }

  private void subscribed(Event event) {
    if (!event.hasSubscribed()) {
      drop(event, "Expecting 'subscribed' to be present");
      return;
    }
    if (process.connected) {
      LOG.debug("Ignoring SUBSCRIBED for framework {}: already subscribed", process.frameworkId());
      return;
    }
    Event.Subscribed subscribed = event.getSubscribed();
    FrameworkID id = Evolve.devolvePartial(subscribed.getFrameworkId(), FrameworkID.parser());
    MasterInfo masterInfo = subscribed.hasMasterInfo()
        ? Evolve.devolvePartial(subscribed.getMasterInfo(), MasterInfo.parser())
        : masterInfoOf(process.master());
    boolean first = process.subscribed(id, subscribed.getHeartbeatIntervalSeconds());
    if (first) {
      process.deliver("registered", () -> process.scheduler.registered(process.driver, id, masterInfo));
    } else {
      process.deliver("reregistered", () -> process.scheduler.reregistered(process.driver, masterInfo));
    }
  }

  private void offers(Event event) {
    if (!event.hasOffers()) {
      drop(event, "Expecting 'offers' to be present");
      return;
    }
    if (!connected(event)) {
      return;
    }
    List<Offer> offers = Evolve.devolveAllPartial(event.getOffers().getOffersList(), Offer.parser());
    if (offers.isEmpty()) {
      return;
    }
    LOG.debug("Framework {} received {} offers", process.frameworkId(), offers.size());
    process.deliver("resourceOffers", () -> process.scheduler.resourceOffers(process.driver, offers));
  }

  private void rescind(Event event) {
    if (!event.hasRescind()) {
      drop(event, "Expecting 'rescind' to be present");
      return;
    }
    if (!connected(event)) {
      return;
    }
    OfferID offerId = Evolve.devolvePartial(event.getRescind().getOfferId(), OfferID.parser());
    process.deliver("offerRescinded", () -> process.scheduler.offerRescinded(process.driver, offerId));
  }

  private void update(Event event) {
    if (!event.hasUpdate()) {
      drop(event, "Expecting 'update' to be present");
      return;
    }
    if (!connected(event)) {
      return;
    }
    TaskStatus status = Evolve.devolvePartial(event.getUpdate().getStatus(), TaskStatus.parser());
    if (status.hasUuid() && status.getUuid().isEmpty()) {
      status = status.toBuilder().clearUuid().build();
    }
    process.calls().statusUpdate(status);
  }

  private void message(Event event) {
    if (!event.hasMessage()) {
      drop(event, "Expecting 'message' to be present");
      return;
    }
    Event.Message m = event.getMessage();
    ExecutorID executorId = Evolve.devolvePartial(m.getExecutorId(), ExecutorID.parser());
    SlaveID slaveId = Evolve.devolvePartial(m.getAgentId(), SlaveID.parser());
    byte[] data = m.getData().toByteArray();
    process.deliver("frameworkMessage",
        () -> process.scheduler.frameworkMessage(process.driver, executorId, slaveId, data));
  }

  private void failure(Event event) {
    if (!event.hasFailure()) {
      drop(event, "Expecting 'failure' to be present");
      return;
    }
    if (!connected(event)) {
      return;
    }
    Event.Failure f = event.getFailure();
    if (f.hasAgentId() && f.hasExecutorId()) {
      SlaveID slaveId = Evolve.devolvePartial(f.getAgentId(), SlaveID.parser());
      ExecutorID executorId = Evolve.devolvePartial(f.getExecutorId(), ExecutorID.parser());
      int status = f.getStatus();
      process.deliver("executorLost",
          () -> process.scheduler.executorLost(process.driver, executorId, slaveId, status));
    } else if (f.hasAgentId()) {
      SlaveID slaveId = Evolve.devolvePartial(f.getAgentId(), SlaveID.parser());
      process.deliver("slaveLost", () -> process.scheduler.slaveLost(process.driver, slaveId));
    } else {
      drop(event, "Expecting 'agent_id' to be present");
    }
  }

  private void error(Event event) {
    if (!event.hasError()) {
      drop(event, "Expecting 'error' to be present");
      return;
    }
    process.error(event.getError().getMessage());
  }

  private void ignored(Event event) {
    LOG.debug("Ignoring {} for framework {}: not part of the Java scheduler API", event.getType(),
        process.frameworkId());
  }

  private boolean connected(Event event) {
    if (!process.connected) {
      LOG.debug("Ignoring {} for framework {}: not subscribed", event.getType(), process.frameworkId());
    }
    return process.connected;
  }

  private void drop(Event event, String reason) {
    LOG.warn("Dropping {} event for framework {}: {}", event.getType(), process.frameworkId(), reason);
  }

  /** The MasterInfo to report when SUBSCRIBED carries none: what the driver knows of the master. */
  static MasterInfo masterInfoOf(InetSocketAddress master) {
    MasterInfo.Builder info = MasterInfo.newBuilder()
        .setId("")
        .setIp(0)
        .setPort(master.getPort())
        .setHostname(master.getHostString());
    InetAddress address = master.getAddress();
    if (address != null && address.getAddress().length == 4) {
      byte[] b = address.getAddress();
      // Mesos stores the IPv4 address as the in-memory value of a network-order in_addr.
      info.setIp((b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24);
    }
    if (address != null) {
      info.setAddress(org.apache.mesos.Protos.Address.newBuilder()
          .setIp(address.getHostAddress())
          .setHostname(master.getHostString())
          .setPort(master.getPort()));
    }
    return info.build();
  }
}
