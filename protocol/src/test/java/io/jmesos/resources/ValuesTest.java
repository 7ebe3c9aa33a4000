package io.jmesos.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ValuesTest {

  private static Value.Ranges ranges(long... bounds) {
    Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
    for (int i = 0; i < bounds.length; i += 2) {
      ranges.addRange(Values.range(bounds[i], bounds[i + 1]));
    }
    return ranges.build();
  }

  @Test
  void coalescesOverlappingAndAdjacentRanges() {
    assertThat(Values.coalesce(ranges(10, 20, 1, 5, 6, 8, 15, 30, 40, 40).getRangeList()))
        .isEqualTo(ranges(1, 8, 10, 30, 40, 40));
    assertThat(Values.coalesce(ranges(0, -1L, 5, 6).getRangeList())).isEqualTo(ranges(0, -1L));
    assertThat(Values.coalesce(ranges(-2L, -1L, 5, 6).getRangeList()))
        .isEqualTo(ranges(5, 6, -2L, -1L));
  }

  @Test
  void subtractsRanges() {
    assertThat(Values.subtract(ranges(1, 10), ranges(3, 4, 8, 20))).isEqualTo(ranges(1, 2, 5, 7));
    assertThat(Values.subtract(ranges(1, 10), ranges(1, 10))).isEqualTo(ranges());
    assertThat(Values.subtract(ranges(0, -1L), ranges(0, 0, -1L, -1L)))
        .isEqualTo(ranges(1, -2L));
  }

  @Test
  void rangeContainment() {
    assertThat(Values.contains(ranges(1, 5, 6, 10), ranges(4, 7))).isTrue();
    assertThat(Values.contains(ranges(1, 5, 7, 10), ranges(4, 7))).isFalse();
    assertThat(Values.contains(ranges(1, 5), ranges())).isTrue();
  }

  @Test
  void setsKeepOrderAndIgnoreDuplicates() {
    Value.Set ab = Value.Set.newBuilder().addItem("a").addItem("b").build();
    Value.Set bc = Value.Set.newBuilder().addItem("b").addItem("c").build();

    assertThat(Values.add(ab, bc).getItemList()).containsExactly("a", "b", "c");
    assertThat(Values.subtract(ab, bc).getItemList()).containsExactly("a");
    assertThat(Values.contains(Values.add(ab, bc), bc)).isTrue();
    assertThat(Values.format(ab)).isEqualTo("{a, b}");
  }

  @Test
  void scalarsRoundToThreeDecimals() {
    assertThat(Values.toFixed(1.0005)).isEqualTo(1001);
    assertThat(Values.toFixed(-1.0005)).isEqualTo(-1001);
    assertThat(Values.format(Values.scalar(1024))).isEqualTo("1024");
    assertThat(Values.format(Values.scalar(0.12345))).isEqualTo("0.123");
    assertThat(Values.format(Value.Scalar.newBuilder().setValue(2.0).build())).isEqualTo("2");
  }

  @Test
  void parsesTypedValues() {
    assertThat(Values.parse("12.5").getScalar().getValue()).isEqualTo(12.5);
    assertThat(Values.parse("1e3").getType()).isEqualTo(Value.Type.SCALAR);
    assertThat(Values.parse("[1-2, 3-4]").getRanges()).isEqualTo(ranges(1, 4));
    assertThat(Values.parse("{ a , b }").getSet().getItemList()).isEqualTo(List.of("a", "b"));
    assertThat(Values.parse("us-east").getText().getValue()).isEqualTo("us-east");
    assertThat(Values.parse("NaN").getType()).isEqualTo(Value.Type.TEXT);
    assertThatThrownBy(() -> Values.parse(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Values.parse("a[1-2]")).hasMessageContaining("Unexpected '['");
    assertThatThrownBy(() -> Values.parse("[1-x]")).hasMessageContaining("non-negative");
    assertThatThrownBy(() -> Values.parse("[1]")).hasMessageContaining("begin-end");
    assertThatThrownBy(() -> Values.parse("{a}b")).hasMessageContaining("set");
  }
}
