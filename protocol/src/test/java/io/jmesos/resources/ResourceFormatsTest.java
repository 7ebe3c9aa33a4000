package io.jmesos.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.Protos.Labels;
import org.apache.mesos.Protos.Label;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.ReservationInfo;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.Test;

@SuppressWarnings("deprecation") // The deprecated role and reservation fields are what is tested.
class ResourceFormatsTest {
  private static Resource.Builder cpus() {
    return Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(1));
  }

  @Test
  void postMovesTheDeprecatedFieldsIntoReservations() {
    assertThat(ResourceFormats.post(cpus().setRole("*").build())).isEqualTo(cpus().build());
    assertThat(ResourceFormats.post(cpus().setRole("ops").build())).isEqualTo(cpus().addReservations(
        ReservationInfo.newBuilder().setType(ReservationInfo.Type.STATIC).setRole("ops")).build());
    assertThat(ResourceFormats.post(cpus().setRole("ops").setReservation(ReservationInfo.newBuilder()
        .setPrincipal("p")).build())).isEqualTo(cpus().addReservations(ReservationInfo.newBuilder()
        .setType(ReservationInfo.Type.DYNAMIC).setRole("ops").setPrincipal("p")).build());
  }

  @Test
  void endpointAddsTheDeprecatedRoleToPostFormat() {
    assertThat(ResourceFormats.endpoint(cpus().build())).isEqualTo(cpus().setRole("*").build());

    ReservationInfo statik =
        ReservationInfo.newBuilder().setType(ReservationInfo.Type.STATIC).setRole("ops").build();
    assertThat(ResourceFormats.endpoint(cpus().addReservations(statik).build()))
        .isEqualTo(cpus().addReservations(statik).setRole("ops").build());

    Labels labels = Labels.newBuilder().addLabels(Label.newBuilder().setKey("k").setValue("v")).build();
    ReservationInfo dynamic = ReservationInfo.newBuilder().setType(ReservationInfo.Type.DYNAMIC).setRole("ops")
        .setPrincipal("p").setLabels(labels).build();
    assertThat(ResourceFormats.endpoint(cpus().addReservations(dynamic).build())).isEqualTo(cpus()
        .addReservations(dynamic).setRole("ops")
        .setReservation(ReservationInfo.newBuilder().setPrincipal("p").setLabels(labels)).build());

    Resource refined = cpus().addReservations(statik).addReservations(ReservationInfo.newBuilder()
        .setType(ReservationInfo.Type.DYNAMIC).setRole("ops/web")).build();
    assertThat(ResourceFormats.endpoint(refined)).isEqualTo(refined);
  }
}
