package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jmesos.http.HttpResponse;
import io.jmesos.internal.Messages.AcknowledgeOperationStatusMessage;
import io.jmesos.internal.Messages.ApplyOperationMessage;
import io.jmesos.internal.Messages.CheckpointResourcesMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.UpdateOperationStatusMessage;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import io.jmesos.protocol.Evolve;
import io.jmesos.resources.Resources;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.apache.mesos.Protos.OperationState;
import org.apache.mesos.Protos.OperationStatus;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OperationID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Volume;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Offer operations through ACCEPT (Mesos' {@code reservation_tests}, {@code persistent_volume_tests} and
 * {@code operation_feedback_tests}): reservations offered back to their role only, volumes created on them and
 * used by a task, Mesos' errors for invalid operations, and operation feedback between agent, master and
 * framework.
 */
@Timeout(60)
class OfferOperationsTest {
  private static final String ROLE = "role1";
  private TestCluster cluster;
  private FakeAgent agent;
  private TestScheduler scheduler;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    agent = cluster.agent("cpus:2;mem:1024;disk:1024");
    scheduler = cluster.scheduler(false);
    scheduler.subscribe(framework(ROLE));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static FrameworkInfo framework(String role) {
    return TestScheduler.frameworkInfo().addRoles(role).setPrincipal("ops")
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .build();
  }

  /** {@code text} dynamically reserved to {@code role} by principal "ops", allocated to {@code role}. */
  private static List<Resource> reserved(String text, String role) {
    return V1.resources(text, role).stream().map(r -> r.toBuilder().addReservations(
        Resource.ReservationInfo.newBuilder().setType(Resource.ReservationInfo.Type.DYNAMIC).setRole(role)
            .setPrincipal("ops")).build()).toList();
  }

  private static Resource volume(String id, String size) {
    Resource disk = reserved("disk:" + size, ROLE).get(0);
    return disk.toBuilder().setDisk(Resource.DiskInfo.newBuilder()
        .setPersistence(Resource.DiskInfo.Persistence.newBuilder().setId(id).setPrincipal("ops"))
        .setVolume(Volume.newBuilder().setContainerPath("data").setMode(Volume.Mode.RW))).build();
  }

  private static Offer.Operation reserve(List<Resource> resources, String id) {
    Offer.Operation.Builder op = Offer.Operation.newBuilder().setType(Offer.Operation.Type.RESERVE)
        .setReserve(Offer.Operation.Reserve.newBuilder().addAllResources(resources));
    if (id != null) {
      op.setId(OperationID.newBuilder().setValue(id));
    }
    return op.build();
  }

  private static Offer.Operation unreserve(List<Resource> resources, String id) {
    Offer.Operation.Builder op = Offer.Operation.newBuilder().setType(Offer.Operation.Type.UNRESERVE)
        .setUnreserve(Offer.Operation.Unreserve.newBuilder().addAllResources(resources));
    if (id != null) {
      op.setId(OperationID.newBuilder().setValue(id));
    }
    return op.build();
  }

  private static Offer.Operation create(Resource volume) {
    return Offer.Operation.newBuilder().setType(Offer.Operation.Type.CREATE)
        .setCreate(Offer.Operation.Create.newBuilder().addVolumes(volume)).build();
  }

  private static Offer.Operation destroy(Resource volume, String id) {
    return Offer.Operation.newBuilder().setType(Offer.Operation.Type.DESTROY)
        .setId(OperationID.newBuilder().setValue(id))
        .setDestroy(Offer.Operation.Destroy.newBuilder().addVolumes(volume)).build();
  }

  private HttpResponse accept(Offer offer, Offer.Operation... operations) throws Exception {
    return scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId()).addAllOperations(List.of(operations))
        .setFilters(Filters.newBuilder().setRefuseSeconds(0))));
  }

  private Offer nextOffer() throws Exception {
    return scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
  }

  private static List<Resource> reservedIn(Offer offer) {
    return offer.getResourcesList().stream().filter(r -> r.getReservationsCount() > 0).toList();
  }

  private static double scalar(Offer offer, String name) {
    return offer.getResourcesList().stream().filter(r -> r.getName().equals(name))
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }

  private static ByteString uuid() {
    UUID u = UUID.randomUUID();
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits()).array());
  }

  @Test
  void reservedResourcesAreOfferedBackToTheirRoleAndUnreserved() throws Exception {
    Offer offer = nextOffer();
    assertThat(accept(offer, reserve(reserved("cpus:1;mem:512", ROLE), null)).status()).isEqualTo(202);

    ApplyOperationMessage apply = agent.expect(ApplyOperationMessage.getDefaultInstance());
    assertThat(apply.getOperationInfo().getType()).isEqualTo(org.apache.mesos.Protos.Offer.Operation.Type.RESERVE);
    assertThat(apply.getFrameworkId().getValue()).isEqualTo(scheduler.frameworkId().getValue());
    assertThat(apply.getOperationUuid().getValue().size()).isEqualTo(16);

    Offer again = nextOffer();
    assertThat(reservedIn(again)).hasSize(2).allSatisfy(r -> {
      assertThat(r.getReservations(0).getRole()).isEqualTo(ROLE);
      assertThat(r.getReservations(0).getType()).isEqualTo(Resource.ReservationInfo.Type.DYNAMIC);
      assertThat(r.getReservations(0).getPrincipal()).isEqualTo("ops");
    });

    // Another role never sees them.
    scheduler.call(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
        .addOfferIds(again.getId()).setFilters(Filters.newBuilder().setRefuseSeconds(3600))));
    TestScheduler other = cluster.scheduler(false);
    other.subscribe(framework("role2"));
    Offer otherOffer = other.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(reservedIn(otherOffer)).isEmpty();
    assertThat(scalar(otherOffer, "cpus")).as("cpus:1 of 2 is reserved to role1").isEqualTo(1.0);
    assertThat(scalar(otherOffer, "mem")).as("mem:512 of 1024 is reserved to role1").isEqualTo(512.0);
  }

  @Test
  void unreserveGivesTheResourcesBackUnreserved() throws Exception {
    Offer offer = nextOffer();
    accept(offer, reserve(reserved("cpus:1", ROLE), null));
    agent.expect(ApplyOperationMessage.getDefaultInstance());
    Offer again = nextOffer();
    List<Resource> reservedCpus = reservedIn(again);
    assertThat(reservedCpus).hasSize(1);

    accept(again, unreserve(reservedCpus, null));
    ApplyOperationMessage apply = agent.expect(ApplyOperationMessage.getDefaultInstance());
    assertThat(apply.getOperationInfo().getType())
        .isEqualTo(org.apache.mesos.Protos.Offer.Operation.Type.UNRESERVE);
    Offer last = nextOffer();
    assertThat(reservedIn(last)).isEmpty();
    assertThat(scalar(last, "cpus")).isEqualTo(2.0);
  }

  @Test
  void reserveForAnotherRoleIsAnOperationError() throws Exception {
    Offer offer = nextOffer();
    List<Resource> wrong = reserved("cpus:1", ROLE).stream().map(r -> r.toBuilder().setReservations(0,
        r.getReservations(0).toBuilder().setRole("other"))).map(Resource.Builder::build).toList();
    accept(offer, reserve(wrong, "op-wrong-role"));

    Event update = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS);
    assertThat(update.getUpdateOperationStatus().getStatus().getState())
        .isEqualTo(org.apache.mesos.v1.Protos.OperationState.OPERATION_ERROR);
    assertThat(update.getUpdateOperationStatus().getStatus().getOperationId().getValue()).isEqualTo("op-wrong-role");
    assertThat(update.getUpdateOperationStatus().getStatus().getMessage())
        .startsWith("A reserve operation was attempted for a resource with role 'other', but the resource was"
            + " allocated to role 'role1'");
    assertThat(agent.hasQueued(ApplyOperationMessage.getDefaultInstance())).isFalse();
  }

  @Test
  void unreserveOfUnreservedResourcesIsAnOperationError() throws Exception {
    Offer offer = nextOffer();
    accept(offer, unreserve(V1.resources("cpus:1", ROLE), "op-unreserve"));
    Event update = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS);
    assertThat(update.getUpdateOperationStatus().getStatus().getMessage())
        .startsWith("Resource cpus(allocated: role1):1 is not dynamically reserved");
  }

  @Test
  void volumeCreatedOnReservedDiskIsUsedByATaskAndCannotBeDestroyedWhileInUse() throws Exception {
    Offer offer = nextOffer();
    Resource volume = volume("vol1", "512");
    TaskInfo task = V1.commandTask("t1", offer.getAgentId(), "cpus:1;mem:128").toBuilder()
        .clearResources().addAllResources(V1.resources("cpus:1;mem:128", ROLE)).addResources(volume).build();
    accept(offer, reserve(reserved("disk:512", ROLE), null), create(volume),
        Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
            .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)).build());

    assertThat(agent.expect(ApplyOperationMessage.getDefaultInstance()).getOperationInfo().getType())
        .isEqualTo(org.apache.mesos.Protos.Offer.Operation.Type.RESERVE);
    assertThat(agent.expect(ApplyOperationMessage.getDefaultInstance()).getOperationInfo().getType())
        .isEqualTo(org.apache.mesos.Protos.Offer.Operation.Type.CREATE);
    RunTaskMessage run = agent.expect(RunTaskMessage.getDefaultInstance());
    assertThat(run.getTask().getResourcesList()).anySatisfy(r ->
        assertThat(r.getDisk().getPersistence().getId()).isEqualTo("vol1"));

    // The same persistence id again: Mesos' error.
    Offer again = nextOffer();
    accept(again, Offer.Operation.newBuilder(create(volume("vol1", "128")))
        .setId(OperationID.newBuilder().setValue("dup")).build());
    Event dup = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS);
    assertThat(dup.getUpdateOperationStatus().getStatus().getMessage()).startsWith("Persistence ID 'vol1' is not"
        + " unique");

    Offer third = nextOffer();
    accept(third, destroy(volume, "destroy-in-use"));
    Event inUse = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS);
    assertThat(inUse.getUpdateOperationStatus().getStatus().getMessage()).startsWith("Persistent volumes in use");
  }

  @Test
  void operationFeedbackIsForwardedAndAcknowledgedByTheFramework() throws Exception {
    Offer offer = nextOffer();
    accept(offer, reserve(reserved("cpus:1", ROLE), "op1"));
    ApplyOperationMessage apply = agent.expect(ApplyOperationMessage.getDefaultInstance());
    assertThat(apply.getOperationInfo().getId().getValue()).isEqualTo("op1");

    ByteString statusUuid = uuid();
    OperationStatus finished = OperationStatus.newBuilder().setState(OperationState.OPERATION_FINISHED)
        .setOperationId(org.apache.mesos.Protos.OperationID.newBuilder().setValue("op1"))
        .setUuid(org.apache.mesos.Protos.UUID.newBuilder().setValue(statusUuid)).setSlaveId(agent.id()).build();
    agent.send(UpdateOperationStatusMessage.newBuilder().setFrameworkId(apply.getFrameworkId())
        .setSlaveId(agent.id()).setStatus(finished).setLatestStatus(finished)
        .setOperationUuid(apply.getOperationUuid()).build());

    Event update = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS);
    var status = update.getUpdateOperationStatus().getStatus();
    assertThat(status.getState()).isEqualTo(org.apache.mesos.v1.Protos.OperationState.OPERATION_FINISHED);
    assertThat(status.getOperationId().getValue()).isEqualTo("op1");
    assertThat(status.getUuid().getValue()).isEqualTo(statusUuid);
    cluster.settle();
    assertThat(agent.hasQueued(AcknowledgeOperationStatusMessage.getDefaultInstance()))
        .as("the master waits for the framework's acknowledgement").isFalse();

    // Explicit reconciliation answers with the latest state, without a uuid.
    scheduler.call(Call.newBuilder().setType(Call.Type.RECONCILE_OPERATIONS).setReconcileOperations(
        Call.ReconcileOperations.newBuilder().addOperations(Call.ReconcileOperations.Operation.newBuilder()
            .setOperationId(OperationID.newBuilder().setValue("op1")))));
    var reconciled = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS).getUpdateOperationStatus().getStatus();
    assertThat(reconciled.getState()).isEqualTo(org.apache.mesos.v1.Protos.OperationState.OPERATION_FINISHED);
    assertThat(reconciled.hasUuid()).isFalse();

    assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE_OPERATION_STATUS)
        .setAcknowledgeOperationStatus(Call.AcknowledgeOperationStatus.newBuilder()
            .setAgentId(Evolve.evolvePartial(agent.id(), org.apache.mesos.v1.Protos.AgentID.parser()))
            .setUuid(statusUuid).setOperationId(OperationID.newBuilder().setValue("op1")))).status())
        .isEqualTo(202);
    AcknowledgeOperationStatusMessage ack = agent.expect(AcknowledgeOperationStatusMessage.getDefaultInstance());
    assertThat(ack.getStatusUuid().getValue()).isEqualTo(statusUuid);
    assertThat(ack.getOperationUuid()).isEqualTo(apply.getOperationUuid());

    // Acknowledged and terminal: forgotten, so reconciliation now reports it unknown.
    scheduler.call(Call.newBuilder().setType(Call.Type.RECONCILE_OPERATIONS).setReconcileOperations(
        Call.ReconcileOperations.newBuilder().addOperations(Call.ReconcileOperations.Operation.newBuilder()
            .setOperationId(OperationID.newBuilder().setValue("op1"))
            .setAgentId(Evolve.evolvePartial(agent.id(), org.apache.mesos.v1.Protos.AgentID.parser())))));
    var unknown = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS).getUpdateOperationStatus().getStatus();
    assertThat(unknown.getState()).isEqualTo(org.apache.mesos.v1.Protos.OperationState.OPERATION_UNKNOWN);
    assertThat(unknown.getMessage()).isEqualTo("Reconciliation: Operation is unknown");
  }

  @Test
  void statusOfAnOperationWithoutIdIsAcknowledgedByTheMasterAtOnce() throws Exception {
    Offer offer = nextOffer();
    accept(offer, reserve(reserved("cpus:1", ROLE), null));
    ApplyOperationMessage apply = agent.expect(ApplyOperationMessage.getDefaultInstance());
    ByteString statusUuid = uuid();
    OperationStatus finished = OperationStatus.newBuilder().setState(OperationState.OPERATION_FINISHED)
        .setUuid(org.apache.mesos.Protos.UUID.newBuilder().setValue(statusUuid)).build();
    agent.send(UpdateOperationStatusMessage.newBuilder().setFrameworkId(apply.getFrameworkId())
        .setSlaveId(agent.id()).setStatus(finished).setLatestStatus(finished)
        .setOperationUuid(apply.getOperationUuid()).build());
    AcknowledgeOperationStatusMessage ack = agent.expect(AcknowledgeOperationStatusMessage.getDefaultInstance());
    assertThat(ack.getStatusUuid().getValue()).isEqualTo(statusUuid);
    assertThat(scheduler.poll(200)).matches(e -> e == null || e.getType() != Event.Type.UPDATE_OPERATION_STATUS);
  }

  @Test
  void knownAgentReregisteringWithoutAReservationIsSentTheMastersCheckpointedResources() throws Exception {
    Offer offer = nextOffer();
    accept(offer, reserve(reserved("cpus:1", ROLE), null));
    ApplyOperationMessage apply = agent.expect(ApplyOperationMessage.getDefaultInstance());
    OperationStatus finished = OperationStatus.newBuilder().setState(OperationState.OPERATION_FINISHED)
        .setUuid(org.apache.mesos.Protos.UUID.newBuilder().setValue(uuid())).build();
    agent.send(UpdateOperationStatusMessage.newBuilder().setFrameworkId(apply.getFrameworkId())
        .setSlaveId(agent.id()).setStatus(finished).setLatestStatus(finished)
        .setOperationUuid(apply.getOperationUuid()).build());
    agent.expect(AcknowledgeOperationStatusMessage.getDefaultInstance());

    agent.disconnect();
    try (FakeAgent again = new FakeAgent()) {
      again.connect(cluster.address);
      again.send(ReregisterSlaveMessage.newBuilder()
          .setSlave(SlaveInfo.newBuilder().setId(agent.id()).setHostname("fake-host")
              .addAllResources(Resources.parse("cpus:2;mem:1024;disk:1024", "*").toList()))
          .setPid("127.0.0.1:5051").setVersion("1.11.0").build());
      again.expect(SlaveReregisteredMessage.getDefaultInstance());
      CheckpointResourcesMessage checkpoint = again.expect(CheckpointResourcesMessage.getDefaultInstance());
      assertThat(checkpoint.getResourcesList()).singleElement().satisfies(r -> {
        assertThat(r.getName()).isEqualTo("cpus");
        assertThat(r.getReservations(0).getRole()).isEqualTo(ROLE);
        assertThat(r.hasAllocationInfo()).isFalse();
      });
    }
  }

  @Test
  void agentRegisteringWithCheckpointedReservationsOffersThemToTheirRole() throws Exception {
    nextOffer();
    org.apache.mesos.Protos.Resource reservedMem = Evolve.devolvePartial(reserved("mem:256", ROLE).get(0),
        org.apache.mesos.Protos.Resource.parser()).toBuilder().clearAllocationInfo().build();
    try (FakeAgent second = new FakeAgent()) {
      second.connect(cluster.address);
      second.send(RegisterSlaveMessage.newBuilder()
          .setSlave(SlaveInfo.newBuilder().setHostname("second-host").setPort(5051).setCheckpoint(true)
              .addAllResources(Resources.parse("cpus:1;mem:512", "*").toList()))
          .addCheckpointedResources(reservedMem)
          .setVersion("1.11.0").setPid("127.0.0.1:5052").build());
      org.apache.mesos.Protos.SlaveID secondId = second.expect(SlaveRegisteredMessage.getDefaultInstance())
          .getSlaveId();
      Offer offer;
      do {
        offer = nextOffer();
      } while (!offer.getAgentId().getValue().equals(secondId.getValue()));
      assertThat(reservedIn(offer)).singleElement().satisfies(r -> {
        assertThat(r.getName()).isEqualTo("mem");
        assertThat(r.getScalar().getValue()).isEqualTo(256.0);
      });
      assertThat(scalar(offer, "mem")).isEqualTo(512.0);
    }
  }

  @Test
  void operationWithInvalidOffersIsAnOperationErrorAndALaunchWithAnIdATaskError() throws Exception {
    Offer offer = nextOffer();
    Offer bogus = offer.toBuilder().setId(org.apache.mesos.v1.Protos.OfferID.newBuilder().setValue("bogus"))
        .build();
    accept(bogus, reserve(reserved("cpus:1", ROLE), "op-bogus"));
    var error = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS).getUpdateOperationStatus().getStatus();
    assertThat(error.getState()).isEqualTo(org.apache.mesos.v1.Protos.OperationState.OPERATION_ERROR);
    assertThat(error.getMessage()).startsWith("Operation attempted with invalid offers: ");

    TaskInfo task = V1.commandTask("t-id", offer.getAgentId(), "cpus:1;mem:128").toBuilder().clearResources()
        .addAllResources(V1.resources("cpus:1;mem:128", ROLE)).build();
    accept(offer, Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
        .setId(OperationID.newBuilder().setValue("launch-id"))
        .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)).build());
    var status = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(status.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_ERROR);
    assertThat(status.getMessage()).isEqualTo("The `id` field cannot be set on LAUNCH operations");
  }

  @Test
  void reserveWithSourceFromAFrameworkIsRefusedAsInMesos() throws Exception {
    Offer offer = nextOffer();
    Offer.Operation withSource = reserve(reserved("cpus:1", ROLE), "op-source").toBuilder()
        .setReserve(Offer.Operation.Reserve.newBuilder().addAllResources(reserved("cpus:1", ROLE))
            .addAllSource(V1.resources("cpus:1", ROLE))).build();
    accept(offer, withSource);
    var error = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS).getUpdateOperationStatus().getStatus();
    assertThat(error.getMessage()).isEqualTo("Operation attempted with invalid resources: Reservation updates are"
        + " not yet implemented for the scheduler API.");
  }
}
