package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.net.InetSocketAddress;
import java.util.List;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.scheduler.Protos.AttributeConstraint;
import org.apache.mesos.scheduler.Protos.OfferConstraints;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

/** The pure mapping from the Java API's v0 arguments to v1 scheduler calls. */
class CallsTest {
  private static final FrameworkID ID = FrameworkID.newBuilder().setValue("fw-1").build();

  @Test
  void subscribeOfANewFrameworkHasNoFrameworkIdAndKeepsEveryField() {
    FrameworkInfo info = Fixtures.framework().toBuilder().setCheckpoint(true).setPrincipal("p").build();
    Call call = Calls.subscribe(info, List.of("web"), OfferConstraints.getDefaultInstance());
    assertThat(call.getType()).isEqualTo(Call.Type.SUBSCRIBE);
    assertThat(call.hasFrameworkId()).isFalse();
    assertThat(call.getSubscribe().getFrameworkInfo().toByteString()).isEqualTo(info.toByteString());
    assertThat(call.getSubscribe().getSuppressedRolesList()).containsExactly("web");
    assertThat(call.getSubscribe().hasOfferConstraints()).isFalse();
  }

  @Test
  void subscribeOfAKnownFrameworkCarriesItsIdAndConstraints() {
    FrameworkInfo info = Fixtures.framework().toBuilder().setId(ID).build();
    OfferConstraints constraints = OfferConstraints.newBuilder()
        .putRoleConstraints("web", OfferConstraints.RoleConstraints.newBuilder()
            .addGroups(OfferConstraints.RoleConstraints.Group.newBuilder()
                .addAttributeConstraints(AttributeConstraint.newBuilder()
                    .setSelector(AttributeConstraint.Selector.newBuilder().setAttributeName("rack"))
                    .setPredicate(AttributeConstraint.Predicate.newBuilder()
                        .setExists(AttributeConstraint.Predicate.Exists.getDefaultInstance()))))
            .build())
        .build();
    Call call = Calls.subscribe(info, List.of(), constraints);
    assertThat(call.getFrameworkId().getValue()).isEqualTo("fw-1");
    assertThat(call.getSubscribe().getOfferConstraints().getRoleConstraintsMap().get("web").getGroups(0)
        .getAttributeConstraints(0).getSelector().getAttributeName()).isEqualTo("rack");
  }

  @Test
  void acceptKeepsOperationsOfferIdsAndFilters() {
    Offer.Operation reserve = Offer.Operation.newBuilder().setType(Offer.Operation.Type.RESERVE)
        .setReserve(Offer.Operation.Reserve.newBuilder().addResources(org.apache.mesos.Protos.Resource.newBuilder()
            .setName("mem").setType(Value.Type.SCALAR).setScalar(Value.Scalar.newBuilder().setValue(64))))
        .build();
    Call call = Calls.accept(ID, List.of(OfferID.newBuilder().setValue("o1").build()),
        List.of(reserve, Calls.launchOperation(List.of(Fixtures.task("t1")))),
        org.apache.mesos.Protos.Filters.newBuilder().setRefuseSeconds(7).build());
    assertThat(call.getAccept().getOperationsList()).extracting(o -> o.getType().name())
        .containsExactly("RESERVE", "LAUNCH");
    assertThat(call.getAccept().getOperations(0).getReserve().getResources(0).getScalar().getValue()).isEqualTo(64.0);
    assertThat(call.getAccept().getFilters().getRefuseSeconds()).isEqualTo(7.0);
  }

  @Test
  void acknowledgeNamesTheAgentTaskAndUuid() {
    Call call = Calls.acknowledge(ID, SlaveID.newBuilder().setValue("a1").build(),
        TaskID.newBuilder().setValue("t1").build(), ByteString.copyFromUtf8("u"));
    assertThat(call.getType()).isEqualTo(Call.Type.ACKNOWLEDGE);
    assertThat(call.getAcknowledge().getAgentId().getValue()).isEqualTo("a1");
    assertThat(call.getAcknowledge().getTaskId().getValue()).isEqualTo("t1");
    assertThat(call.getAcknowledge().getUuid().toStringUtf8()).isEqualTo("u");
  }

  @Test
  void reviveAndSuppressWithoutRolesMeanEveryRole() {
    assertThat(Calls.revive(ID, List.of()).hasRevive()).isFalse();
    assertThat(Calls.suppress(ID, List.of()).hasSuppress()).isFalse();
    assertThat(Calls.revive(ID, List.of("a", "b")).getRevive().getRolesList()).containsExactly("a", "b");
  }

  @Test
  void updateFrameworkCarriesTheWholeFrameworkInfo() {
    FrameworkInfo info = Fixtures.framework().toBuilder().setId(ID).setName("renamed").build();
    Call call = Calls.updateFramework(info, List.of("web"), OfferConstraints.getDefaultInstance());
    assertThat(call.getFrameworkId().getValue()).isEqualTo("fw-1");
    assertThat(call.getUpdateFramework().getFrameworkInfo().getName()).isEqualTo("renamed");
    assertThat(call.getUpdateFramework().getSuppressedRolesList()).containsExactly("web");
  }

  @Test
  void redirectsNameTheLeadingMaster() {
    assertThat(Redirects.leader("//10.0.0.2:5050/master/api/v1/scheduler"))
        .isEqualTo(new InetSocketAddress("10.0.0.2", 5050));
    assertThat(Redirects.leader("http://10.0.0.3:5051/api/v1/scheduler"))
        .isEqualTo(new InetSocketAddress("10.0.0.3", 5051));
    assertThatThrownBy(() -> Redirects.leader("https://10.0.0.3:5051/api/v1/scheduler"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void masterInfoWithoutSubscribedDetailsDescribesTheAddress() {
    org.apache.mesos.Protos.MasterInfo info = EventHandlers.masterInfoOf(new InetSocketAddress("127.0.0.1", 5050));
    assertThat(info.getPort()).isEqualTo(5050);
    assertThat(info.getIp()).isEqualTo(0x0100007f);
    assertThat(info.getAddress().getIp()).isEqualTo("127.0.0.1");
  }
}
