package io.jmesos.agent.checkpoint;

import static io.jmesos.agent.checkpoint.Fixtures.CID;
import static io.jmesos.agent.checkpoint.Fixtures.EID;
import static io.jmesos.agent.checkpoint.Fixtures.FID;
import static io.jmesos.agent.checkpoint.Fixtures.SID;
import static io.jmesos.agent.checkpoint.Fixtures.TID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The layout is Mesos' (src/slave/paths.cpp), relative to the meta directory. */
class MetaPathsTest {
  private final Path work = Path.of("/var/lib/mesos");
  private final MetaPaths paths = new MetaPaths(work);

  private String rel(Path p) {
    return work.relativize(p).toString();
  }

  @Test
  void agentLevelPaths() {
    assertThat(rel(paths.metaDir())).isEqualTo("meta");
    assertThat(rel(paths.bootIdFile())).isEqualTo("meta/boot_id");
    assertThat(rel(paths.resourcesInfo())).isEqualTo("meta/resources/resources.info");
    assertThat(rel(paths.latestSlaveLink())).isEqualTo("meta/slaves/latest");
    assertThat(rel(paths.slaveDir(SID))).isEqualTo("meta/slaves/S-1");
    assertThat(rel(paths.slaveInfo(SID))).isEqualTo("meta/slaves/S-1/slave.info");
  }

  @Test
  void frameworkExecutorRunAndTaskPaths() {
    String f = "meta/slaves/S-1/frameworks/F-1";
    assertThat(rel(paths.frameworkDir(SID, FID))).isEqualTo(f);
    assertThat(rel(paths.frameworkInfo(SID, FID))).isEqualTo(f + "/framework.info");
    assertThat(rel(paths.frameworkPid(SID, FID))).isEqualTo(f + "/framework.pid");
    String e = f + "/executors/E-1";
    assertThat(rel(paths.executorDir(SID, FID, EID))).isEqualTo(e);
    assertThat(rel(paths.executorInfo(SID, FID, EID))).isEqualTo(e + "/executor.info");
    assertThat(rel(paths.generatedForCommandTask(SID, FID, EID)))
        .isEqualTo(e + "/executor_generated_for_command_task");
    assertThat(rel(paths.latestRunLink(SID, FID, EID))).isEqualTo(e + "/runs/latest");
    String r = e + "/runs/C-1";
    assertThat(rel(paths.runDir(SID, FID, EID, CID))).isEqualTo(r);
    assertThat(rel(paths.forkedPid(SID, FID, EID, CID))).isEqualTo(r + "/pids/forked.pid");
    assertThat(rel(paths.libprocessPid(SID, FID, EID, CID))).isEqualTo(r + "/pids/libprocess.pid");
    assertThat(rel(paths.httpMarker(SID, FID, EID, CID))).isEqualTo(r + "/http.marker");
    assertThat(rel(paths.executorSentinel(SID, FID, EID, CID))).isEqualTo(r + "/executor.sentinel");
    assertThat(rel(paths.taskDir(SID, FID, EID, CID, TID))).isEqualTo(r + "/tasks/T-1");
    assertThat(rel(paths.taskInfo(SID, FID, EID, CID, TID))).isEqualTo(r + "/tasks/T-1/task.info");
    assertThat(rel(paths.taskUpdates(SID, FID, EID, CID, TID))).isEqualTo(r + "/tasks/T-1/task.updates");
  }

  @Test
  void anIdThatIsNotOneDirectoryNameIsRejected() {
    for (String bad : new String[] {"", ".", "..", "a/b", "../../etc", "a\0b"}) {
      assertThatThrownBy(() -> paths.frameworkDir(SID, Fixtures.frameworkId(bad)))
          .as("framework id '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(rel(paths.frameworkDir(SID, Fixtures.frameworkId("..a")))).endsWith("frameworks/..a");
  }
}
