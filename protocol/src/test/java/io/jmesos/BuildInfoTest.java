package io.jmesos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildInfoTest {
  private final BuildInfo build = BuildInfo.get();

  /** Maven filled in the build's user and date; build_time is the same instant in seconds, as Mesos'. */
  @Test
  void theBuildIsDescribed() {
    assertThat(build.user()).isNotEmpty().doesNotContain("${");
    assertThat(build.date()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    long seconds = LocalDateTime.parse(build.date(), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
        .toEpochSecond(ZoneOffset.UTC);
    assertThat(build.time()).isEqualTo((double) seconds);
    build.gitSha().ifPresent(sha -> assertThat(sha).matches("[0-9a-f]{40}"));
  }

  /** Mesos' /version document: version, the git fields it has, then build_date, build_time, build_user. */
  @Test
  void versionDocumentHasMesosFields() throws Exception {
    JsonNode version = new ObjectMapper().readTree(build.versionJson("1.11.0"));
    List<String> names = new ArrayList<>();
    version.fieldNames().forEachRemaining(names::add);
    assertThat(names.get(0)).isEqualTo("version");
    assertThat(names).endsWith("build_date", "build_time", "build_user");
    assertThat(version.get("version").asText()).isEqualTo("1.11.0");
    assertThat(version.get("build_time").isNumber()).isTrue();
    assertThat(version.has("git_sha")).isEqualTo(build.gitSha().isPresent());
    assertThat(build.versionInfo("1.11.0").getBuildUser()).isEqualTo(build.user());
  }
}
