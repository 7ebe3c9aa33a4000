package io.jmesos.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DurationsAndBytesTest {

  @Test
  void parsesMesosDurations() {
    assertThat(Durations.parse("5secs")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThat(Durations.parse("2mins")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1hrs")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("1days")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("2weeks")).isEqualTo(Duration.ofDays(14));
    assertThat(Durations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(Durations.parse("7ns")).isEqualTo(Duration.ofNanos(7));
    assertThat(Durations.parse("1.5secs")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse(" 0secs ")).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectsOtherDurations() {
    for (String bad : new String[] {"5", "5s", "5 secs", "secs", "5SECS", "", "1.2.3secs"}) {
      assertThatThrownBy(() -> Durations.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid duration");
    }
    assertThatThrownBy(() -> Durations.parse("1e30weeks")).hasMessageContaining("too long");
  }

  @Test
  void formatsInTheLargestUnit() {
    assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5secs");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1.5mins");
    assertThat(Durations.format(Duration.ofMillis(100))).isEqualTo("100ms");
    assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1days");
    assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("1weeks");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ns");
    assertThat(Durations.parse(Durations.format(Duration.ofMillis(123456789))))
        .isEqualTo(Duration.ofMillis(123456789));
  }

  @Test
  void parsesMesosSizes() {
    assertThat(Bytes.parse("512MB")).isEqualTo(512L * 1024 * 1024);
    assertThat(Bytes.parse("1GB")).isEqualTo(1024L * 1024 * 1024);
    assertThat(Bytes.parse("10B")).isEqualTo(10);
    assertThat(Bytes.parse("2KB")).isEqualTo(2048);
    assertThat(Bytes.parse("1TB")).isEqualTo(Bytes.TB);
    assertThat(Bytes.parse("1.5GB")).isEqualTo(1536L * 1024 * 1024);
    for (String bad : new String[] {"512", "512mb", "-1MB", "MB", "1 GB", "1PB"}) {
      assertThatThrownBy(() -> Bytes.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid size");
    }
  }

  @Test
  void formatsSizesWithoutLosingInformation() {
    assertThat(Bytes.format(0)).isEqualTo("0B");
    assertThat(Bytes.format(1023)).isEqualTo("1023B");
    assertThat(Bytes.format(1536L * 1024 * 1024)).isEqualTo("1536MB");
    assertThat(Bytes.format(Bytes.GB)).isEqualTo("1GB");
    assertThat(Bytes.format(3 * Bytes.TB)).isEqualTo("3TB");
  }

  @Test
  @Timeout(5)
  void refusesOrRoundsHugeExponentsWithoutExpandingThem() {
    // Found by FlagsFuzzTest: 1.5e99999999mins took minutes to expand.
    assertThatThrownBy(() -> Durations.parse("1.5e99999999mins")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
    assertThat(Durations.parse("1e-999999999secs")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("0e999999999secs")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("1.5e1mins")).isEqualTo(Duration.ofMinutes(15));
    assertThatThrownBy(() -> Durations.parse("1" + "0".repeat(200) + "secs"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Bytes.parse("1" + "0".repeat(200) + "MB")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
  }
}
