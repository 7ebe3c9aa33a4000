package io.jmesos.resources;

import static io.jmesos.resources.MachineResources.GB;
import static io.jmesos.resources.MachineResources.MB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MachineResourcesTest {

  @Test
  void leavesOneGigabyteOfMemoryAndFiveOfDisk() {
    Resources resources = MachineResources.defaults(8, 16 * GB, 100 * GB);

    assertThat(resources.toString())
        .isEqualTo("cpus:8; mem:15360; disk:97280; ports:[31000-32000]");
  }

  @Test
  void usesHalfOfSmallMachines() {
    Resources resources = MachineResources.defaults(1, 1 * GB, 8 * GB);

    assertThat(resources.scalar("mem")).isEqualTo(512.0);
    assertThat(resources.scalar("disk")).isEqualTo(4096.0);
  }

  @Test
  void thresholdsAreInclusive() {
    Resources resources = MachineResources.defaults(2, 2 * GB, 10 * GB);

    assertThat(resources.scalar("mem")).isEqualTo(1024.0);
    assertThat(resources.scalar("disk")).isEqualTo(5120.0);
  }

  @Test
  void roundsMegabytesToSixSignificantDigitsLikeMesos() {
    Resources resources = MachineResources.defaults(1, 3 * GB + 300 * 1024, 2 * 1024 * 1024 * MB);

    assertThat(resources.scalar("mem")).isEqualTo(2048.29);
    assertThat(resources.scalar("disk")).isEqualTo(2.09203e6);
  }

  @Test
  void parsesMemTotal() {
    assertThat(MachineResources.parseMemTotal(List.of("MemFree: 1 kB", "MemTotal:  16314412 kB")))
        .isEqualTo(16314412L * 1024);
    assertThatThrownBy(() -> MachineResources.parseMemTotal(List.of("MemFree: 1 kB")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void completesOnlyWhatTheFlagLeavesOut() {
    Resources detected = MachineResources.defaults(4, 8 * GB, 50 * GB);

    Resources resources = MachineResources.complete("cpus:1;ports(ops):[80-80]", "*", detected);

    assertThat(resources.toString()).isEqualTo(
        "cpus:1; ports(reservations: [(STATIC,ops)]):[80-80]; mem:7168; disk:46080");
  }

  @Test
  void detectsThisMachine(@TempDir Path dir) {
    Resources resources = MachineResources.detect(dir.resolve("not/yet/created"));

    assertThat(resources.scalar("cpus")).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(resources.scalar("mem")).isPositive();
    assertThat(resources.scalar("disk")).isPositive();
    assertThat(Values.format(resources.ranges("ports"))).isEqualTo("[31000-32000]");
  }
}
