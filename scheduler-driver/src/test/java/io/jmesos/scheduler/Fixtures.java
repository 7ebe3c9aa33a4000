package io.jmesos.scheduler;

import com.google.protobuf.ByteString;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** Messages the tests build again and again. */
final class Fixtures {
  static final String AGENT = "agent-1";

  private Fixtures() {}

  static FrameworkInfo framework() {
    return FrameworkInfo.newBuilder()
        .setUser("alice")
        .setName("test-framework")
        .setFailoverTimeout(3600)
        .addRoles("web")
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .build();
  }

  static Event offers(String... ids) {
    Event.Offers.Builder offers = Event.Offers.newBuilder();
    for (String id : ids) {
      offers.addOffers(Offer.newBuilder()
          .setId(OfferID.newBuilder().setValue(id))
          .setFrameworkId(FrameworkID.newBuilder().setValue(FakeMaster.FRAMEWORK_ID))
          .setAgentId(AgentID.newBuilder().setValue(AGENT))
          .setHostname("host-1")
          .addResources(org.apache.mesos.v1.Protos.Resource.newBuilder()
              .setName("cpus")
              .setType(org.apache.mesos.v1.Protos.Value.Type.SCALAR)
              .setScalar(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(2))));
    }
    return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(offers).build();
  }

  static Event update(String taskId, TaskState state, ByteString uuid) {
    TaskStatus.Builder status = TaskStatus.newBuilder()
        .setTaskId(org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue(taskId))
        .setState(state)
        .setAgentId(AgentID.newBuilder().setValue(AGENT))
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setTimestamp(1.7e9);
    if (uuid != null) {
      status.setUuid(uuid);
    }
    return Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(status)).build();
  }

  static Event heartbeat() {
    return Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
  }

  static TaskInfo task(String id) {
    return TaskInfo.newBuilder()
        .setName(id)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(SlaveID.newBuilder().setValue(AGENT))
        .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
            .setScalar(Value.Scalar.newBuilder().setValue(1)))
        .setCommand(CommandInfo.newBuilder().setValue("sleep 1"))
        .build();
  }
}
