package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.agent.testing.AgentHarness;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent's {@code /state} and {@code /version} fields as Mesos 1.11's agent writes them. */
@Timeout(30)
class StateEndpointTest {
  @TempDir
  Path workDir;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void stateHasBuildAndReservationFields() throws Exception {
    h = new AgentHarness(workDir).start(Map.of("resources", "cpus:2;mem:512;disk(ops):100"));
    JsonNode state = h.getJson("/state");
    assertThat(state.get("version").asText()).isEqualTo("1.11.0");
    assertThat(state.get("build_user").asText()).isNotEmpty();
    assertThat(state.get("build_time").asDouble()).isPositive();
    assertThat(state.get("capabilities").isArray()).isTrue();
    assertThat(state.get("resources").get("cpus").asDouble()).isEqualTo(2.0);
    assertThat(state.get("reserved_resources").get("ops").get("disk").asDouble()).isEqualTo(100.0);
    assertThat(state.get("unreserved_resources").get("cpus").asDouble()).isEqualTo(2.0);
    assertThat(state.get("unreserved_resources").get("disk").asDouble()).isZero();
    JsonNode reservedFull = state.get("reserved_resources_full").get("ops").get(0);
    assertThat(reservedFull.get("name").asText()).isEqualTo("disk");
    assertThat(reservedFull.get("role").asText()).isEqualTo("ops");
    assertThat(reservedFull.get("scalar").get("value").asDouble()).isEqualTo(100.0);
    assertThat(state.get("unreserved_resources_full")).allSatisfy(r -> assertThat(r.get("role").asText())
        .isEqualTo("*"));
    assertThat(state.get("unreserved_resources_allocated").isObject()).isTrue();
    assertThat(state.get("reserved_resources_allocated").isObject()).isTrue();
    assertThat(state.get("resource_providers")).isEmpty();

    JsonNode version = h.getJson("/version");
    assertThat(version.get("version").asText()).isEqualTo("1.11.0");
    assertThat(version.get("build_date").asText()).isEqualTo(state.get("build_date").asText());
  }
}
