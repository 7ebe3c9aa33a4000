package io.jmesos.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AttributesTest {

  @Test
  void typesValuesAsMesosDoes() {
    Attributes attributes = Attributes.parse("rack:r1;zone:us-east;level:10;ports:[1-2];os:{a,b}");

    assertThat(attributes.toList()).extracting(Attribute::getType).containsExactly(
        Value.Type.TEXT, Value.Type.TEXT, Value.Type.SCALAR, Value.Type.RANGES, Value.Type.SET);
    assertThat(attributes.get("rack").get().getText().getValue()).isEqualTo("r1");
    assertThat(attributes.get("level").get().getScalar().getValue()).isEqualTo(10.0);
    assertThat(attributes.get("ports").get().getRanges().getRange(0).getEnd()).isEqualTo(2);
    assertThat(attributes.get("os").get().getSet().getItemList()).containsExactly("a", "b");
    assertThat(attributes.get("missing")).isEmpty();
    assertThat(attributes.toString())
        .isEqualTo("rack:r1;zone:us-east;level:10;ports:[1-2];os:{a, b}");
  }

  @Test
  void acceptsNewlinesAndSpaces() {
    Attributes attributes = Attributes.parse(" rack : r1 \n level:1.5;");

    assertThat(attributes.toString()).isEqualTo("rack:r1;level:1.5");
    assertThat(Attributes.parse("").isEmpty()).isTrue();
  }

  @Test
  void rejectsBadEntries() {
    assertThatThrownBy(() -> Attributes.parse("rack"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'rack'");
    assertThatThrownBy(() -> Attributes.parse("a:b:c"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a:b:c'");
    assertThatThrownBy(() -> Attributes.parse("ports:[1-2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ports");
  }
}
