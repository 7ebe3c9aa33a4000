package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return AgentMain.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheFlagsAndSucceeds() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--work_dir", "--master");
  }

  @Test
  void cgroupsIsolationOnAHierarchyWithoutTheControllersFailsToStart(@TempDir Path tmp) {
    assertThat(run("--master=127.0.0.1:5050", "--work_dir=" + tmp.resolve("work"), "--isolation=cgroups/mem",
        "--cgroups_hierarchy=" + tmp.resolve("no-cgroups"))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Failed to create a containerizer: cannot use ")
        .contains("isolation cgroups/mem");
  }

  @Test
  void badFlagsFailWithTheReasonAndUsage() {
    assertThat(run("--master=127.0.0.1:5050")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("work_dir").contains("--isolation");
  }
}
