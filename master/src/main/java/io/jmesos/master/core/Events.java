package io.jmesos.master.core;

import com.google.protobuf.ByteString;
import io.jmesos.master.state.EncodedEvent;
import io.jmesos.protocol.Evolve;
import java.util.List;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** Builds v1 scheduler {@link Event}s from the master's v0 state. Stateless. */
public final class Events {
  /** Mesos' {@code DEFAULT_HEARTBEAT_INTERVAL}. */
  public static final double HEARTBEAT_INTERVAL_SECONDS = 15;

  private Events() {}

  public static Event subscribed(FrameworkID frameworkId, MasterInfo masterInfo) {
    return Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder()
            .setFrameworkId(Evolve.evolvePartial(frameworkId, org.apache.mesos.v1.Protos.FrameworkID.parser()))
            .setHeartbeatIntervalSeconds(HEARTBEAT_INTERVAL_SECONDS)
            .setMasterInfo(Evolve.evolvePartial(masterInfo, org.apache.mesos.v1.Protos.MasterInfo.parser())))
        .build();
  }

  /** OFFERS, in its wire form (see {@link EncodedEvent}). */
  public static EncodedEvent offers(List<Offer> offers) {
    return EncodedEvent.offers(offers);
  }

  public static Event rescind(OfferID offerId) {
    return Event.newBuilder().setType(Event.Type.RESCIND)
        .setRescind(Event.Rescind.newBuilder()
            .setOfferId(Evolve.evolvePartial(offerId, org.apache.mesos.v1.Protos.OfferID.parser())))
        .build();
  }

  /** UPDATE, in its wire form (see {@link EncodedEvent}). */
  public static EncodedEvent update(TaskStatus status) {
    return EncodedEvent.update(status);
  }

  public static Event message(SlaveID slaveId, ExecutorID executorId, ByteString data) {
    return Event.newBuilder().setType(Event.Type.MESSAGE)
        .setMessage(Event.Message.newBuilder()
            .setAgentId(Evolve.evolvePartial(slaveId, org.apache.mesos.v1.Protos.AgentID.parser()))
            .setExecutorId(Evolve.evolvePartial(executorId, org.apache.mesos.v1.Protos.ExecutorID.parser()))
            .setData(data))
        .build();
  }

  public static Event failure(SlaveID slaveId, ExecutorID executorId, Integer status) {
    Event.Failure.Builder b = Event.Failure.newBuilder()
        .setAgentId(Evolve.evolvePartial(slaveId, org.apache.mesos.v1.Protos.AgentID.parser()));
    if (executorId != null) {
      b.setExecutorId(Evolve.evolvePartial(executorId, org.apache.mesos.v1.Protos.ExecutorID.parser()));
    }
    if (status != null) {
      b.setStatus(status);
    }
    return Event.newBuilder().setType(Event.Type.FAILURE).setFailure(b).build();
  }

  public static Event error(String message) {
    return Event.newBuilder().setType(Event.Type.ERROR)
        .setError(Event.Error.newBuilder().setMessage(message)).build();
  }

  public static Event heartbeat() {
    return Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
  }
}
