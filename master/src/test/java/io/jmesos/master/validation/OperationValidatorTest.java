package io.jmesos.master.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.resources.Resources;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.Protos.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mesos' {@code validation::operation} messages ({@code master_validation_tests.cpp}, OperationValidationTest). */
@Timeout(10)
class OperationValidatorTest {
  private static Resource dynamic(String text, String role, String principal) {
    Resource.ReservationInfo.Builder reservation = Resource.ReservationInfo.newBuilder()
        .setType(Resource.ReservationInfo.Type.DYNAMIC).setRole(role);
    if (principal != null) {
      reservation.setPrincipal(principal);
    }
    return Resources.parse(text).toList().get(0).toBuilder().addReservations(reservation).build();
  }

  private static Resource volume(String id, String principal, double size) {
    Resource.DiskInfo.Persistence.Builder persistence = Resource.DiskInfo.Persistence.newBuilder().setId(id);
    if (principal != null) {
      persistence.setPrincipal(principal);
    }
    return dynamic("disk:" + size, "r1", "ops").toBuilder().setDisk(Resource.DiskInfo.newBuilder()
        .setPersistence(persistence)
        .setVolume(Volume.newBuilder().setContainerPath("data").setMode(Volume.Mode.RW))).build();
  }

  private static Offer.Operation.Reserve reserve(Resource... resources) {
    return Offer.Operation.Reserve.newBuilder().addAllResources(List.of(resources)).build();
  }

  @Test
  void reserveChecksDynamicReservationPrincipalAndAllocation() {
    assertThat(OperationValidator.reserve(reserve(Resources.parse("cpus:1").toList().get(0)), Optional.empty(),
        Optional.empty(), Set.of())).hasValue("Resource cpus:1 is not dynamically reserved");
    assertThat(OperationValidator.reserve(reserve(dynamic("cpus:1", "r1", null)), Optional.of("ops"),
        Optional.empty(), Set.of())).hasValue("A reserve operation was attempted by principal 'ops', but there"
            + " is a reserved resource in the request with no principal set");
    assertThat(OperationValidator.reserve(reserve(dynamic("cpus:1", "r1", "bob")), Optional.of("ops"),
        Optional.empty(), Set.of())).hasValue("A reserve operation was attempted by authenticated principal"
            + " 'ops', which does not match a reserved resource in the request with principal 'bob'");
    Resource allocated = dynamic("cpus:1", "r1", "ops").toBuilder()
        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("r1")).build();
    assertThat(OperationValidator.reserve(reserve(allocated), Optional.empty(), Optional.empty(), Set.of()))
        .hasValue("A reserve operation was attempted with an allocated resource, but the operator API only"
            + " allows reservations to be made to unallocated resources");
    assertThat(OperationValidator.reserve(reserve(dynamic("cpus:1", "r1", "ops")), Optional.of("ops"),
        Optional.empty(), Set.of())).isEmpty();
  }

  @Test
  void createChecksPersistenceIdsAndPrincipals() {
    Offer.Operation.Create create = Offer.Operation.Create.newBuilder().addVolumes(volume("v1", "ops", 10)).build();
    assertThat(OperationValidator.create(create, Resources.of(volume("v1", "ops", 20)), Optional.empty(),
        Optional.empty())).hasValue("Persistence ID 'v1' is not unique");
    assertThat(OperationValidator.create(Offer.Operation.Create.newBuilder()
        .addVolumes(volume("v2", null, 10)).build(), Resources.empty(), Optional.of("ops"), Optional.empty()))
        .hasValue("Create volume operation attempted by principal 'ops', but there is a volume in the operation"
            + " with no principal set in 'disk.persistence'");
    assertThat(OperationValidator.create(Offer.Operation.Create.newBuilder()
        .addVolumes(dynamic("disk:10", "r1", "ops")).build(), Resources.empty(), Optional.empty(),
        Optional.empty())).hasValueSatisfying(e -> assertThat(e).startsWith("Not a persistent volume: "));
    assertThat(OperationValidator.create(create, Resources.empty(), Optional.of("ops"), Optional.empty()))
        .isEmpty();
  }

  @Test
  void destroyChecksTheVolumeExistsAndIsNotInUse() {
    Offer.Operation.Destroy destroy = Offer.Operation.Destroy.newBuilder().addVolumes(volume("v1", "ops", 10))
        .build();
    assertThat(OperationValidator.destroy(destroy, Resources.empty(), List.of()))
        .hasValue("Persistent volumes not found");
    Resources checkpointed = Resources.of(volume("v1", "ops", 10));
    assertThat(OperationValidator.destroy(destroy, checkpointed, List.of(checkpointed)))
        .hasValue("Persistent volumes in use");
    assertThat(OperationValidator.destroy(destroy, checkpointed, List.of())).isEmpty();
  }

  @Test
  void growAndShrinkChecksSizes() {
    assertThat(OperationValidator.grow(Offer.Operation.GrowVolume.newBuilder().setVolume(volume("v1", "ops", 10))
        .setAddition(dynamic("disk:1", "r1", "ops").toBuilder().setScalar(Value.Scalar.newBuilder().setValue(0)))
        .build()))
        .hasValue("The size of 'GrowVolume.addition' field must be greater than zero");
    assertThat(OperationValidator.grow(Offer.Operation.GrowVolume.newBuilder().setVolume(volume("v1", "ops", 10))
        .setAddition(dynamic("disk:5", "r2", "ops")).build()))
        .hasValue("Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields");
    assertThat(OperationValidator.shrink(Offer.Operation.ShrinkVolume.newBuilder()
        .setVolume(volume("v1", "ops", 10)).setSubtract(Value.Scalar.newBuilder().setValue(10)).build()))
        .hasValue("Value of 'ShrinkVolume.subtract' must be smaller than the size of 'ShrinkVolume.volume'");
    assertThat(OperationValidator.shrink(Offer.Operation.ShrinkVolume.newBuilder()
        .setVolume(volume("v1", "ops", 10)).setSubtract(Value.Scalar.newBuilder().setValue(4)).build())).isEmpty();
  }
}
