package io.jmesos.master.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.flags.FlagsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.mesos.Protos.RateLimit;
import org.apache.mesos.Protos.RateLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitsFlagTest {
  private static MasterFlags flags(String value) {
    return MasterFlags.parse(new String[] {"--rate_limits=" + value}, Map.of());
  }

  @Test
  void parsesMesosRateLimitsJson() {
    RateLimits limits = flags("{\"limits\": [{\"principal\": \"foo\", \"qps\": 55.5, \"capacity\": 100000}, "
        + "{\"principal\": \"bar\"}], \"aggregate_default_qps\": 333, \"aggregate_default_capacity\": 1000000}")
        .rateLimits().orElseThrow();
    assertThat(limits.getLimitsList()).containsExactly(
        RateLimit.newBuilder().setPrincipal("foo").setQps(55.5).setCapacity(100000).build(),
        RateLimit.newBuilder().setPrincipal("bar").build());
    assertThat(limits.getAggregateDefaultQps()).isEqualTo(333.0);
    assertThat(limits.getAggregateDefaultCapacity()).isEqualTo(1000000L);
    assertThat(MasterFlags.parse(new String[0], Map.of()).rateLimits()).isEmpty();
  }

  @Test
  void readsAFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("limits.json"), "{\"limits\": [{\"principal\": \"foo\", \"qps\": 2}]}");
    assertThat(flags("file://" + file).rateLimits().orElseThrow().getLimits(0).getQps()).isEqualTo(2.0);
    assertThat(flags(file.toString()).rateLimits().orElseThrow().getLimits(0).getPrincipal()).isEqualTo("foo");
  }

  @Test
  void refusesWhatMesosRefusesAtStartUp() {
    assertThatThrownBy(() -> flags("{\"limits\": [")).isInstanceOf(FlagsException.class)
        .hasMessageContaining("Failed to parse rate limits: malformed JSON at line 1");
    assertThatThrownBy(() -> flags("[]")).isInstanceOf(FlagsException.class)
        .hasMessageContaining("Failed to parse rate limits: expecting a JSON object");
    assertThatThrownBy(() -> flags("{\"limits\": [{\"qps\": 1}]}")).isInstanceOf(FlagsException.class)
        .hasMessageContaining("Missing required fields: limits[0].principal");
    assertThatThrownBy(() -> flags("{\"limits\": [{\"principal\": \"a\"}, {\"principal\": \"a\", \"qps\": 1}]}"))
        .isInstanceOf(FlagsException.class)
        .hasMessageContaining("Duplicate principal a found in RateLimits configuration");
    assertThatThrownBy(() -> flags("{\"limits\": [{\"principal\": \"a\", \"qps\": 0}]}"))
        .isInstanceOf(FlagsException.class).hasMessageContaining("Invalid qps: 0.0. It must be a positive number");
    assertThatThrownBy(() -> flags("{\"aggregate_default_qps\": -1}")).isInstanceOf(FlagsException.class)
        .hasMessageContaining("Invalid aggregate_default_qps: -1.0. It must be a positive number");
    assertThatThrownBy(() -> flags("/no/such/limits.json")).isInstanceOf(FlagsException.class)
        .hasMessageContaining("Failed to read rate limits file '/no/such/limits.json': No such file or directory");
  }
}
