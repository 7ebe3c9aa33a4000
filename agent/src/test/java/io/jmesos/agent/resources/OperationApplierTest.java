package io.jmesos.agent.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.resources.Resources;
import io.jmesos.resources.Values;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.DiskInfo;
import org.apache.mesos.Protos.Resource.ReservationInfo;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.Protos.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mesos' {@code Resources::apply} of RESERVE, UNRESERVE, CREATE, DESTROY, GROW_VOLUME and SHRINK_VOLUME. */
@Timeout(10)
class OperationApplierTest {
  static final Resources TOTAL = Resources.parse("cpus:2;mem:1024;disk:2048");

  static Resource disk(double mb) {
    return Resource.newBuilder().setName("disk").setType(Value.Type.SCALAR).setScalar(Values.scalar(mb)).build();
  }

  static Resource reserved(Resource r, String role) {
    return r.toBuilder().addReservations(ReservationInfo.newBuilder()
        .setType(ReservationInfo.Type.DYNAMIC).setRole(role).setPrincipal("ops-principal")).build();
  }

  static Resource volume(Resource reservedDisk, String id, String containerPath) {
    return reservedDisk.toBuilder().setDisk(DiskInfo.newBuilder()
        .setPersistence(DiskInfo.Persistence.newBuilder().setId(id).setPrincipal("ops-principal"))
        .setVolume(Volume.newBuilder().setContainerPath(containerPath).setMode(Volume.Mode.RW))).build();
  }

  static Offer.Operation reserve(Resource... resources) {
    return Offer.Operation.newBuilder().setType(Offer.Operation.Type.RESERVE)
        .setReserve(Offer.Operation.Reserve.newBuilder().addAllResources(java.util.List.of(resources))).build();
  }

  static Offer.Operation unreserve(Resource... resources) {
    return Offer.Operation.newBuilder().setType(Offer.Operation.Type.UNRESERVE)
        .setUnreserve(Offer.Operation.Unreserve.newBuilder().addAllResources(java.util.List.of(resources))).build();
  }

  static Offer.Operation create(Resource... volumes) {
    return Offer.Operation.newBuilder().setType(Offer.Operation.Type.CREATE)
        .setCreate(Offer.Operation.Create.newBuilder().addAllVolumes(java.util.List.of(volumes))).build();
  }

  static Offer.Operation destroy(Resource... volumes) {
    return Offer.Operation.newBuilder().setType(Offer.Operation.Type.DESTROY)
        .setDestroy(Offer.Operation.Destroy.newBuilder().addAllVolumes(java.util.List.of(volumes))).build();
  }

  private static Resources applied(Resources total, Offer.Operation op) {
    OperationApplier.Outcome outcome = OperationApplier.apply(total, op);
    assertThat(outcome.error()).isEmpty();
    return outcome.total().orElseThrow();
  }

  @Test
  void reserveThenCreateThenDestroyThenUnreserve() {
    Resource reservedDisk = reserved(disk(64), "ops");
    Resource vol = volume(reservedDisk, "id1", "data");

    Resources afterReserve = applied(TOTAL, reserve(reservedDisk));
    assertThat(afterReserve.reserved("ops")).isEqualTo(Resources.of(reservedDisk));
    assertThat(afterReserve.unreserved().scalar("disk")).isEqualTo(1984);

    Resources afterCreate = applied(afterReserve, create(vol));
    assertThat(afterCreate.persistentVolumes()).isEqualTo(Resources.of(vol));
    assertThat(afterCreate.scalar("disk")).isEqualTo(2048);

    Resources afterDestroy = applied(afterCreate, destroy(vol));
    assertThat(afterDestroy.persistentVolumes().isEmpty()).isTrue();
    assertThat(afterDestroy).isEqualTo(afterReserve);

    assertThat(applied(afterDestroy, unreserve(reservedDisk))).isEqualTo(TOTAL);
  }

  @Test
  void reservingMoreThanThereIsFailsWithMesosMessage() {
    OperationApplier.Outcome outcome = OperationApplier.apply(TOTAL, reserve(reserved(disk(4096), "ops")));
    assertThat(outcome.total()).isEmpty();
    assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("does not contain").contains("4096"));
  }

  @Test
  void creatingAVolumeOnUnreservedDiskOrTwiceFails() {
    Resource reservedDisk = reserved(disk(64), "ops");
    assertThat(OperationApplier.apply(TOTAL, create(volume(reservedDisk, "id1", "data"))).error()).isPresent();
    Resources created = applied(applied(TOTAL, reserve(reservedDisk)), create(volume(reservedDisk, "id1", "data")));
    assertThat(OperationApplier.apply(created, create(volume(reservedDisk, "id1", "data"))).error()).isPresent();
  }

  @Test
  void destroyingAnUnknownVolumeFails() {
    Resource reservedDisk = reserved(disk(64), "ops");
    Resources created = applied(applied(TOTAL, reserve(reservedDisk)), create(volume(reservedDisk, "id1", "data")));
    assertThat(OperationApplier.apply(created, destroy(volume(reservedDisk, "id2", "data"))).error()).isPresent();
  }

  @Test
  void growAndShrinkVolume() {
    Resource reservedDisk = reserved(disk(64), "ops");
    Resource vol = volume(reservedDisk, "id1", "data");
    Resources created = applied(applied(TOTAL, reserve(reserved(disk(96), "ops"))), create(vol));
    Offer.Operation grow = Offer.Operation.newBuilder().setType(Offer.Operation.Type.GROW_VOLUME)
        .setGrowVolume(Offer.Operation.GrowVolume.newBuilder().setVolume(vol).setAddition(reserved(disk(32), "ops")))
        .build();
    Resources grown = applied(created, grow);
    Resource big = vol.toBuilder().setScalar(Values.scalar(96)).build();
    assertThat(grown.persistentVolumes()).isEqualTo(Resources.of(big));
    assertThat(grown.scalar("disk")).isEqualTo(2048);

    Offer.Operation shrink = Offer.Operation.newBuilder().setType(Offer.Operation.Type.SHRINK_VOLUME)
        .setShrinkVolume(Offer.Operation.ShrinkVolume.newBuilder().setVolume(big).setSubtract(Values.scalar(16)))
        .build();
    Resources shrunk = applied(grown, shrink);
    assertThat(shrunk.persistentVolumes().scalar("disk")).isEqualTo(80);
    assertThat(shrunk.reserved("ops").filter(r -> !r.getDisk().hasPersistence()).scalar("disk")).isEqualTo(16);
  }

  @Test
  void allocationInfoFromTheOfferIsTakenOff() {
    Resource offered = reserved(disk(64), "ops").toBuilder()
        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("ops")).build();
    Resources afterReserve = applied(TOTAL, reserve(offered));
    assertThat(afterReserve.reserved("ops")).isEqualTo(Resources.of(reserved(disk(64), "ops")));
    assertThat(afterReserve.toList()).noneMatch(Resource::hasAllocationInfo);
  }

  @Test
  void launchIsNotAnOperationOnAgentResources() {
    Offer.Operation launch = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH).build();
    assertThat(OperationApplier.apply(TOTAL, launch).error())
        .contains("Cannot get conversions: Operation not supported");
  }

  @Test
  void checkpointedResourcesFitOnTheCommandLineResources() {
    Resource reservedDisk = reserved(disk(64), "ops");
    Resource vol = volume(reservedDisk, "id1", "data");
    OperationApplier.Outcome fitted = Checkpointed.apply(TOTAL, Resources.of(vol));
    assertThat(fitted.total()).hasValue(applied(applied(TOTAL, reserve(reservedDisk)), create(vol)));
    assertThat(Checkpointed.apply(Resources.parse("cpus:2;mem:1024;disk:32"), Resources.of(vol)).error())
        .hasValueSatisfying(e -> assertThat(e).startsWith("Incompatible agent resources"));
  }
}
