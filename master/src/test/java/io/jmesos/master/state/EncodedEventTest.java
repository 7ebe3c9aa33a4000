package io.jmesos.master.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.protocol.Evolve;
import java.util.List;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

class EncodedEventTest {
  private static final SlaveID AGENT = SlaveID.newBuilder().setValue("a-S0").build();

  @Test
  void anUpdateIsTheV1EventAMasterWouldHaveBuiltByConversion() throws Exception {
    TaskStatus status = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1"))
        .setState(TaskState.TASK_RUNNING).setSlaveId(AGENT).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setUuid(com.google.protobuf.ByteString.copyFromUtf8("0123456789abcdef")).setTimestamp(12.5).build();

    EncodedEvent encoded = EncodedEvent.update(status);

    Event expected = Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
        .setStatus(Evolve.evolve(status, org.apache.mesos.v1.Protos.TaskStatus.parser()))).build();
    assertThat(encoded.event()).isEqualTo(expected);
    assertThat(Event.parseFrom(encoded.bytes())).isEqualTo(expected);
    assertThat(encoded.event().getUpdate().getStatus().getAgentId().getValue()).isEqualTo("a-S0");
  }

  @Test
  void offersAreTheV1EventAMasterWouldHaveBuiltByConversion() throws Exception {
    Offer offer = Offer.newBuilder().setId(OfferID.newBuilder().setValue("o-1"))
        .setFrameworkId(FrameworkID.newBuilder().setValue("f-1")).setSlaveId(AGENT).setHostname("h1")
        .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
            .setScalar(Value.Scalar.newBuilder().setValue(2)))
        .build();

    EncodedEvent encoded = EncodedEvent.offers(List.of(offer, offer));

    Event expected = Event.newBuilder().setType(Event.Type.OFFERS).setOffers(Event.Offers.newBuilder()
        .addAllOffers(Evolve.evolveAllPartial(List.of(offer, offer), org.apache.mesos.v1.Protos.Offer.parser())))
        .build();
    assertThat(Event.parseFrom(encoded.bytes())).isEqualTo(expected);
    assertThat(encoded.event().getOffers().getOffers(1).getAgentId().getValue()).isEqualTo("a-S0");
  }
}
