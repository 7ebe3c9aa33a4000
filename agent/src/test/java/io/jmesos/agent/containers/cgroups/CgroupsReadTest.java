package io.jmesos.agent.containers.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Parsing of flat-keyed control files, as the kernel writes them (no cgroups needed). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CgroupsReadTest {
  @TempDir
  Path dir;

  @Test
  void flatKeyedFilesGiveTheirCountersInOrderAndSkipWhatIsNotOne() throws Exception {
    Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
    assertThat(Cgroups.readKeyed(dir, "memory.oom_control"))
        .containsExactly(java.util.Map.entry("oom_kill_disable", 0L), java.util.Map.entry("under_oom", 0L),
            java.util.Map.entry("oom_kill", 3L));
    assertThat(Cgroups.keyed(dir, "memory.oom_control", "oom_kill")).contains(3L);

    // Tabs, surrounding blanks, a last line without a newline; words, a third field and a lone key are no counters.
    Files.writeString(dir.resolve("cpu.stat"), "nr_periods\t12\n  nr_throttled   4  \nstate FROZEN\n"
        + "a 1 2\nlonely\n\nthrottled_time 9223372036854775807");
    assertThat(Cgroups.readKeyed(dir, "cpu.stat"))
        .containsExactly(java.util.Map.entry("nr_periods", 12L), java.util.Map.entry("nr_throttled", 4L),
            java.util.Map.entry("throttled_time", Long.MAX_VALUE));
    assertThat(Cgroups.keyed(dir, "cpu.stat", "state")).isEmpty();

    Files.writeString(dir.resolve("empty"), "");
    assertThat(Cgroups.readKeyed(dir, "empty")).isEmpty();
  }

  @Test
  void aMissingFileIsAnError() {
    assertThatThrownBy(() -> Cgroups.readKeyed(dir, "memory.events")).isInstanceOf(NoSuchFileException.class);
  }
}
