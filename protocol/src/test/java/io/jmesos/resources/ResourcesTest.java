package io.jmesos.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.ReservationInfo;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@SuppressWarnings("deprecation") // Checks the deprecated role field stays unset.
class ResourcesTest {

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  private static Resource ports(long begin, long end) {
    return Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
        .setRanges(Value.Ranges.newBuilder().addRange(Values.range(begin, end))).build();
  }

  @Test
  void parsesAgentSyntax() {
    Resources resources = Resources.parse("cpus:2;mem:1024;disk:4096;ports:[31000-32000];gpus:0");

    assertThat(resources.scalar("cpus")).isEqualTo(2.0);
    assertThat(resources.scalar("mem")).isEqualTo(1024.0);
    assertThat(resources.scalar("disk")).isEqualTo(4096.0);
    assertThat(resources.ranges("ports").getRangeList())
        .containsExactly(Values.range(31000, 32000));
    assertThat(resources.names()).containsExactly("cpus", "disk", "mem", "ports");
    assertThat(resources.toString())
        .isEqualTo("cpus:2; mem:1024; disk:4096; ports:[31000-32000]");
  }

  @Test
  void parsesStaticReservationsInTheRefinedFormat() {
    Resources resources = Resources.parse("cpus(ops):2; cpus:1\nmem(*):10", "*");

    Resource reserved = resources.reserved("ops").toList().get(0);
    assertThat(reserved.hasRole()).as("deprecated role left unset").isFalse();
    assertThat(reserved.getReservationsList()).containsExactly(ReservationInfo.newBuilder()
        .setType(ReservationInfo.Type.STATIC).setRole("ops").build());
    assertThat(resources.unreserved().scalar("cpus")).isEqualTo(1.0);
    assertThat(resources.scalar("cpus")).isEqualTo(3.0);
    assertThat(resources.toString())
        .isEqualTo("cpus(reservations: [(STATIC,ops)]):2; cpus:1; mem:10");
  }

  @Test
  void defaultRoleReservesUnqualifiedEntries() {
    Resources resources = Resources.parse("cpus:2;mem(*):5", "ops");

    assertThat(resources.reserved("ops").scalar("cpus")).isEqualTo(2.0);
    assertThat(resources.unreserved().scalar("mem")).isEqualTo(5.0);
  }

  @Test
  void parsesSetsAndMultipleRanges() {
    Resources resources = Resources.parse("ports:[1-5, 4-10,20-30];disks:{a,b}");

    assertThat(Values.format(resources.ranges("ports"))).isEqualTo("[1-10, 20-30]");
    assertThat(resources.set("disks").getItemList()).containsExactly("a", "b");
    assertThat(resources.toString()).isEqualTo("ports:[1-10, 20-30]; disks:{a, b}");
  }

  @Test
  void parsesJsonArrayForm() {
    Resources resources = Resources.parse("[{\"name\":\"cpus\",\"type\":\"SCALAR\","
        + "\"scalar\":{\"value\":4}},{\"name\":\"mem\",\"type\":\"SCALAR\","
        + "\"scalar\":{\"value\":64},\"role\":\"ops\"}]", "*");

    assertThat(resources.unreserved().scalar("cpus")).isEqualTo(4.0);
    assertThat(resources.reserved("ops").scalar("mem")).isEqualTo(64.0);
    assertThat(resources.reserved("ops").toList().get(0).hasRole()).isFalse();
  }

  @Test
  void rejectsBadText() {
    assertThatThrownBy(() -> Resources.parse("cpus"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing or extra ':'");
    assertThatThrownBy(() -> Resources.parse("cpus:abc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad type for resource");
    assertThatThrownBy(() -> Resources.parse("ports:[5-1]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("begin > end");
    assertThatThrownBy(() -> Resources.parse("ports:[1-2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Mismatched brackets");
    assertThatThrownBy(() -> Resources.parse("cpus(ops:2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mismatched parenthe");
    assertThatThrownBy(() -> Resources.parse("cpus:-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value <= 0");
    assertThatThrownBy(() -> Resources.parse("cpus:1;cpus:[1-2]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different types");
    assertThatThrownBy(() -> Resources.parse("cpus(-bad):1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-bad");
    assertThatThrownBy(() -> Resources.parse("[{\"name\":\"cpus\"}]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
  }

  @Test
  void scalarArithmeticIsFixedPointToThreeDecimals() {
    Resources sum = Resources.of(scalar("cpus", 0.1)).plus(scalar("cpus", 0.2));

    assertThat(sum.scalar("cpus")).isEqualTo(0.3);
    assertThat(sum.minus(scalar("cpus", 0.3)).isEmpty()).isTrue();
    assertThat(Resources.of(scalar("cpus", 1.23456)).scalar("cpus")).isEqualTo(1.235);
    assertThat(Resources.of(scalar("cpus", 0.0004)).isEmpty()).isTrue();
  }

  @Test
  void plusMergesAddableResourcesOnly() {
    Resources a = Resources.parse("cpus:1;ports:[1-10]");
    Resources b = Resources.parse("cpus:2;cpus(ops):1;ports:[11-20]");

    Resources sum = a.plus(b);

    assertThat(sum.size()).isEqualTo(3);
    assertThat(sum.unreserved().scalar("cpus")).isEqualTo(3.0);
    assertThat(sum.reserved("ops").scalar("cpus")).isEqualTo(1.0);
    assertThat(Values.format(sum.ranges("ports"))).isEqualTo("[1-20]");
  }

  @Test
  void minusSplitsRangesAndDropsWhatIsExhausted() {
    Resources total = Resources.parse("cpus:4;mem:100;ports:[31000-32000]");

    Resources left = total.minus(Resources.parse("cpus:4;mem:30;ports:[31500-31500]"));

    assertThat(left.scalar("cpus")).isZero();
    assertThat(left.names()).doesNotContain("cpus");
    assertThat(left.scalar("mem")).isEqualTo(70.0);
    assertThat(Values.format(left.ranges("ports"))).isEqualTo("[31000-31499, 31501-32000]");
    assertThat(total.minus(Resources.parse("mem:500")).names()).doesNotContain("mem");
  }

  @Test
  void containsHonoursReservationsAndValues() {
    Resources total = Resources.parse("cpus:4;cpus(ops):2;ports:[31000-32000];disks:{a,b}");

    assertThat(total.contains(Resources.parse("cpus:3;ports:[31000-31010];disks:{b}"))).isTrue();
    assertThat(total.contains(Resources.parse("cpus(ops):2"))).isTrue();
    assertThat(total.contains(Resources.parse("cpus(ops):3"))).isFalse();
    assertThat(total.contains(Resources.parse("cpus(dev):1"))).isFalse();
    assertThat(total.contains(Resources.parse("ports:[30999-31000]"))).isFalse();
    assertThat(total.contains(Resources.parse("disks:{c}"))).isFalse();
    assertThat(total.contains(scalar("cpus", 4))).isTrue();
    assertThat(total.contains(scalar("cpus", -1))).as("invalid").isFalse();
  }

  @Test
  void allocationInfoMakesResourcesDistinctUntilStripped() {
    Resources total = Resources.parse("cpus:4;mem:10");

    Resources allocated = total.allocatedTo("ops");

    assertThat(allocated.toList()).allSatisfy(r ->
        assertThat(r.getAllocationInfo().getRole()).isEqualTo("ops"));
    assertThat(total.contains(allocated)).isFalse();
    assertThat(allocated.plus(total).size()).isEqualTo(4);
    assertThat(allocated.stripAllocationInfo()).isEqualTo(total);
    assertThat(allocated.toString()).isEqualTo("cpus(allocated: ops):4; mem(allocated: ops):10");
  }

  @Test
  void allocatedToRetagsAndMergesWhatBecomesAddable() {
    Resources twoRoles = Resources.parse("cpus:1;ports:[1-2]").allocatedTo("a")
        .plus(Resources.parse("cpus:2;ports:[3-4]").allocatedTo("b"));
    assertThat(twoRoles.size()).isEqualTo(4);

    Resources retagged = twoRoles.allocatedTo("c");

    assertThat(retagged.size()).isEqualTo(2);
    assertThat(retagged.scalar("cpus")).isEqualTo(3.0);
    assertThat(retagged.ranges("ports").getRangeList()).hasSize(1);
    assertThat(retagged.toString()).isEqualTo("cpus(allocated: c):3; ports(allocated: c):[1-4]");
    assertThat(Resources.parse("cpus:3;ports:[1-4]").allocatedTo("c")).isEqualTo(retagged);
  }

  @Test
  void stripAllocationInfoMergesWhatOnlyTheRoleKeptApart() {
    Resources plain = Resources.parse("cpus:1;ports:[1-2]");
    assertThat(plain.stripAllocationInfo()).isSameAs(plain);
    Resources oneRole = Resources.parse("cpus:1;mem:8;ports:[1-2]").allocatedTo("a");
    assertThat(oneRole.stripAllocationInfo().toString()).isEqualTo("cpus:1; mem:8; ports:[1-2]");

    Resources twoRoles = oneRole.plus(Resources.parse("cpus:2;ports:[3-4]").allocatedTo("b"));
    Resources mixed = twoRoles.plus(Resources.parse("cpus:4"));

    assertThat(twoRoles.stripAllocationInfo().toString()).isEqualTo("cpus:3; mem:8; ports:[1-4]");
    assertThat(mixed.stripAllocationInfo().toString()).isEqualTo("cpus:7; mem:8; ports:[1-4]");
  }

  @Test
  void upgradesDeprecatedRoleField() {
    Resource old = scalar("cpus", 1).toBuilder().setRole("ops").build();

    Resources resources = Resources.of(old);

    assertThat(resources.reserved("ops").scalar("cpus")).isEqualTo(1.0);
    assertThat(resources.toList().get(0).hasRole()).isFalse();
    assertThat(resources.toList().get(0).getReservations(0).getType())
        .isEqualTo(ReservationInfo.Type.STATIC);
  }

  @Test
  void refinedReservationsAreAllocatableToSubroles() {
    Resources resources = Resources.parse("cpus(a):1;mem(a/b):2;disk:3");

    assertThat(resources.allocatableTo("a/b").names()).containsExactly("cpus", "disk", "mem");
    assertThat(resources.allocatableTo("a").names()).containsExactly("cpus", "disk");
    assertThat(resources.reserved().size()).isEqualTo(2);
    assertThat(resources.toUnreserved().toString()).isEqualTo("cpus:1; mem:2; disk:3");
  }

  @Test
  void equalityIsMutualContainment() {
    assertThat(Resources.parse("ports:[1-2,3-4];cpus:1"))
        .isEqualTo(Resources.parse("cpus:1.0001;ports:[1-4]"))
        .hasSameHashCodeAs(Resources.parse("cpus:1;ports:[1-4]"));
    assertThat(Resources.parse("cpus:1")).isNotEqualTo(Resources.parse("cpus:2"));
    assertThat(Resources.empty().toString()).isEqualTo("{}");
  }

  @Test
  void ofDropsInvalidAndEmptyResources() {
    Resources resources = Resources.of(scalar("cpus", -1), scalar("mem", 0), ports(5, 1),
        scalar("disk", Double.NaN), scalar("gpus", 1));

    assertThat(resources.toString()).isEqualTo("gpus:1");
  }
}
