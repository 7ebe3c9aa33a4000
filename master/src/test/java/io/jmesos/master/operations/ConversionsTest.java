package io.jmesos.master.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.master.operations.Conversions.ConversionException;
import io.jmesos.resources.Resources;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.Protos.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mesos' {@code getResourceConversions}, {@code Resources::apply} and {@code applyCheckpointedResources}. */
@Timeout(10)
class ConversionsTest {
  private static Resource dynamic(String text, String role) {
    return Resources.parse(text).toList().get(0).toBuilder().addReservations(Resource.ReservationInfo.newBuilder()
        .setType(Resource.ReservationInfo.Type.DYNAMIC).setRole(role).setPrincipal("ops")).build();
  }

  private static Resource volume(String id, double size) {
    Resource disk = dynamic("disk:" + size, "r1");
    return disk.toBuilder().setDisk(Resource.DiskInfo.newBuilder()
        .setPersistence(Resource.DiskInfo.Persistence.newBuilder().setId(id))
        .setVolume(Volume.newBuilder().setContainerPath("data").setMode(Volume.Mode.RW))).build();
  }

  @Test
  void reserveThenCreateThenDestroyThenUnreserveComesBackToTheStart() throws Exception {
    Resources start = Resources.parse("cpus:2;disk:1024");
    Resources reserved = Conversions.apply(start, Conversions.of(Offer.Operation.newBuilder()
        .setType(Offer.Operation.Type.RESERVE)
        .setReserve(Offer.Operation.Reserve.newBuilder().addResources(dynamic("disk:512", "r1"))).build()));
    assertThat(reserved.reserved("r1").scalar("disk")).isEqualTo(512.0);

    Resources created = Conversions.apply(reserved, Conversions.of(Offer.Operation.newBuilder()
        .setType(Offer.Operation.Type.CREATE)
        .setCreate(Offer.Operation.Create.newBuilder().addVolumes(volume("v1", 512))).build()));
    assertThat(created.persistentVolumes().size()).isEqualTo(1);
    assertThat(created.filter(Conversions::needsCheckpointing)).isEqualTo(Resources.of(volume("v1", 512)));

    Resources destroyed = Conversions.apply(created, Conversions.of(Offer.Operation.newBuilder()
        .setType(Offer.Operation.Type.DESTROY)
        .setDestroy(Offer.Operation.Destroy.newBuilder().addVolumes(volume("v1", 512))).build()));
    assertThat(destroyed).isEqualTo(reserved);

    Resources unreserved = Conversions.apply(destroyed, Conversions.of(Offer.Operation.newBuilder()
        .setType(Offer.Operation.Type.UNRESERVE)
        .setUnreserve(Offer.Operation.Unreserve.newBuilder().addResources(dynamic("disk:512", "r1"))).build()));
    assertThat(unreserved).isEqualTo(start);
  }

  @Test
  void growAndShrinkResizeAVolumeFromAndToReservedDisk() throws Exception {
    Resources total = Resources.of(volume("v1", 100), dynamic("disk:50", "r1"));
    Resources grown = Conversions.apply(total, Conversions.of(Offer.Operation.newBuilder()
        .setType(Offer.Operation.Type.GROW_VOLUME).setGrowVolume(Offer.Operation.GrowVolume.newBuilder()
            .setVolume(volume("v1", 100)).setAddition(dynamic("disk:50", "r1"))).build()));
    assertThat(grown).isEqualTo(Resources.of(volume("v1", 150)));

    Resources shrunk = Conversions.apply(grown, Conversions.of(Offer.Operation.newBuilder()
        .setType(Offer.Operation.Type.SHRINK_VOLUME).setShrinkVolume(Offer.Operation.ShrinkVolume.newBuilder()
            .setVolume(volume("v1", 150)).setSubtract(Value.Scalar.newBuilder().setValue(100))).build()));
    assertThat(shrunk).isEqualTo(Resources.of(volume("v1", 50), dynamic("disk:100", "r1")));
  }

  @Test
  void applyingWhatIsNotThereFailsWithMesosMessage() throws Exception {
    var unreserve = Conversions.of(Offer.Operation.newBuilder().setType(Offer.Operation.Type.UNRESERVE)
        .setUnreserve(Offer.Operation.Unreserve.newBuilder().addResources(dynamic("cpus:1", "r1"))).build());
    assertThatThrownBy(() -> Conversions.apply(Resources.parse("cpus:2"), unreserve))
        .isInstanceOf(ConversionException.class).hasMessageContaining("does not contain");
    assertThatThrownBy(() -> Conversions.of(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
        .build())).hasMessage("Operation not supported");
  }

  @Test
  void checkpointedResourcesReplaceWhatTheyWereMadeOf() throws Exception {
    Resources total = Conversions.applyCheckpointed(Resources.parse("cpus:2;disk:1024"),
        Resources.of(dynamic("cpus:1", "r1"), volume("v1", 100)));
    assertThat(total.unreserved()).isEqualTo(Resources.parse("cpus:1;disk:924"));
    assertThat(total.reserved("r1")).isEqualTo(Resources.of(dynamic("cpus:1", "r1"), volume("v1", 100)));

    assertThatThrownBy(() -> Conversions.applyCheckpointed(Resources.parse("cpus:1"),
        Resources.of(dynamic("cpus:2", "r1")))).hasMessageStartingWith("Incompatible agent resources");
    assertThatThrownBy(() -> Conversions.applyCheckpointed(Resources.parse("cpus:1"), Resources.parse("cpus:1")))
        .hasMessageStartingWith("Unexpected checkpointed resources");
  }
}
