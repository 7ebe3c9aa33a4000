package io.jmesos.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.ReservationInfo;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@SuppressWarnings("deprecation") // Exercises the deprecated role field.
class ResourceValidationTest {

  private static Resource.Builder scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value));
  }

  private static Resource.Builder ranges(long... bounds) {
    Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
    for (int i = 0; i < bounds.length; i += 2) {
      ranges.addRange(Values.range(bounds[i], bounds[i + 1]));
    }
    return Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).setRanges(ranges);
  }

  private static ReservationInfo reservation(ReservationInfo.Type type, String role) {
    return ReservationInfo.newBuilder().setType(type).setRole(role).build();
  }

  @Test
  void acceptsValidResources() {
    assertThat(Resources.validate(scalar("cpus", 1).build())).isEmpty();
    assertThat(Resources.validate(scalar("cpus", 0).build())).as("zero is valid, just empty")
        .isEmpty();
    assertThat(Resources.validate(ranges(1, 2, 4, 8).build())).isEmpty();
    assertThat(Resources.validate(scalar("cpus", 1).setRole("ops").build())).isEmpty();
    assertThat(Resources.validate(scalar("cpus", 1)
        .addReservations(reservation(ReservationInfo.Type.STATIC, "a"))
        .addReservations(reservation(ReservationInfo.Type.DYNAMIC, "a/b")).build())).isEmpty();
  }

  @Test
  void rejectsBadScalars() {
    assertThat(Resources.validate(scalar("cpus", -1).build())).contains(
        "Invalid scalar resource: value <= 0");
    assertThat(Resources.validate(scalar("cpus", 0.0001).build())).isPresent();
    assertThat(Resources.validate(scalar("cpus", Double.NaN).build())).get().asString()
        .contains("NaN");
    assertThat(Resources.validate(scalar("cpus", Double.POSITIVE_INFINITY).build())).isPresent();
    assertThat(Resources.validate(scalar("cpus", 1).setSet(Value.Set.newBuilder()).build()))
        .contains("Invalid scalar resource");
    assertThat(Resources.validate(scalar("", 1).build())).contains("Empty resource name");
  }

  @Test
  void rejectsBadRangesSetsAndTypes() {
    assertThat(Resources.validate(ranges(5, 1).build())).contains(
        "Invalid ranges resource: begin > end");
    assertThat(Resources.validate(ranges(1, 5, 3, 8).build())).contains(
        "Invalid ranges resource: overlapping ranges");
    assertThat(Resources.validate(ranges(3, 8, 1, 5).build())).contains(
        "Invalid ranges resource: overlapping ranges");
    assertThat(Resources.validate(Resource.newBuilder().setName("s").setType(Value.Type.SET)
        .setSet(Value.Set.newBuilder().addItem("a").addItem("a")).build()))
        .contains("Invalid set resource: duplicated elements");
    assertThat(Resources.validate(Resource.newBuilder().setName("t").setType(Value.Type.TEXT)
        .build())).get().asString().contains("Unsupported resource type");
  }

  @Test
  void rejectsBadReservations() {
    assertThat(Resources.validate(scalar("cpus", 1)
        .addReservations(reservation(ReservationInfo.Type.STATIC, "*")).build()))
        .get().asString().contains("cannot be reserved");
    assertThat(Resources.validate(scalar("cpus", 1)
        .addReservations(reservation(ReservationInfo.Type.STATIC, "a"))
        .addReservations(reservation(ReservationInfo.Type.DYNAMIC, "b")).build()))
        .get().asString().contains("not a refinement");
    assertThat(Resources.validate(scalar("cpus", 1)
        .addReservations(reservation(ReservationInfo.Type.STATIC, "a"))
        .addReservations(reservation(ReservationInfo.Type.STATIC, "a/b")).build()))
        .get().asString().contains("cannot be STATIC");
    assertThat(Resources.validate(scalar("cpus", 1).setRole("a")
        .addReservations(reservation(ReservationInfo.Type.STATIC, "b")).build()))
        .get().asString().contains("does not match");
    assertThat(Resources.validate(scalar("cpus", 1).setRole("a b").build())).isPresent();
  }

  @Test
  void rejectsMisplacedDiskAndSharing() {
    assertThat(Resources.validate(scalar("cpus", 1)
        .setDisk(Resource.DiskInfo.getDefaultInstance()).build()))
        .contains("DiskInfo should not be set for cpus resource");
    assertThat(Resources.validate(scalar("disk", 1)
        .setShared(Resource.SharedInfo.getDefaultInstance()).build()))
        .contains("Only persistent volumes can be shared");
  }

  @Test
  void validateListNamesTheBadResource() {
    assertThat(Resources.validate(List.of(scalar("cpus", 1).build(), scalar("mem", -5).build())))
        .contains("Resource 'mem:-5' is invalid: Invalid scalar resource: value <= 0");
  }

  @Test
  void roleNames() {
    assertThat(Roles.validate("*")).isEmpty();
    assertThat(Roles.validate("a/b.c")).isEmpty();
    assertThat(Roles.validate("")).isPresent();
    assertThat(Roles.validate("a//b")).isPresent();
    assertThat(Roles.validate("/a")).isPresent();
    assertThat(Roles.validate("a/..")).isPresent();
    assertThat(Roles.validate("a/*")).isPresent();
    assertThat(Roles.isStrictSubroleOf("a/b", "a")).isTrue();
    assertThat(Roles.isStrictSubroleOf("ab", "a")).isFalse();
    assertThat(Roles.isStrictSubroleOf("a", "a")).isFalse();
  }
}
