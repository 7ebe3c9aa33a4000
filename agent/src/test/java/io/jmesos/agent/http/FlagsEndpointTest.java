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

/** The agent's {@code /flags}, as Mesos: {@code {"flags": {...}}}, given and default values, under both paths. */
@Timeout(30)
class FlagsEndpointTest {
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
  void flagsListsEveryFlagWithAValue() throws Exception {
    h = new AgentHarness(workDir).start(Map.of("executor_reregistration_timeout", "5secs"));
    JsonNode flags = h.getJson("/flags").get("flags");
    assertThat(flags.get("work_dir").asText()).isEqualTo(workDir.toString());
    assertThat(flags.get("executor_reregistration_timeout").asText()).isEqualTo("5secs");
    assertThat(flags.get("recover").asText()).as("a default").isEqualTo("reconnect");
    assertThat(h.getJson("/slave(1)/flags.json").get("flags")).isEqualTo(flags);
  }
}
