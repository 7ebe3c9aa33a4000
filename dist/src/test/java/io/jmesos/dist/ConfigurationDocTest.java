package io.jmesos.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConfigurationDocTest {

  /** The checked-in reference, relative to the dist module's directory (Surefire's working directory). */
  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void docsConfigurationIsGeneratedFromTheFlagDeclarations() throws Exception {
    String expected = ConfigurationDoc.render();
    String actual = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
    assertThat(actual)
        .as("docs/configuration.md is out of date with the flag declarations. Regenerate it from the "
            + "repository root after 'mvn -B -DskipTests package' with: "
            + "bin/jmesos-java io.jmesos.dist.ConfigurationDoc docs/configuration.md")
        .isEqualTo(expected);
  }

  @Test
  void everyProgramHasASectionWithItsFlags() {
    String doc = ConfigurationDoc.render();
    assertThat(doc).contains("## mesos-master", "## mesos-agent", "## mesos-local", "## mesos-execute")
        .contains("`MESOS_NAME`", "`--no-name`")
        .contains("| `--agent_ping_timeout` | duration | `15secs` |")
        .contains("| `--work_dir` | string | required |");
  }
}
