package io.jmesos.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.agent.containers.cgroups.Hierarchy;
import io.jmesos.agent.containers.isolators.CgroupsCpuIsolator;
import io.jmesos.agent.containers.isolators.CgroupsMemIsolator;
import io.jmesos.agent.flags.AgentFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.ContainerID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits Mesos derives from resources, the cgroup layout of both versions, and the refusal of an unusable hierarchy. */
class IsolatorLimitsTest {
  private static final ContainerID ID = ContainerID.newBuilder().setValue("c1").build();

  @TempDir
  Path dir;

  @Test
  void cpuSharesAndQuotaFollowMesosWithTheirMinimums() {
    assertThat(CgroupsCpuIsolator.shares(0.5)).isEqualTo(512);
    assertThat(CgroupsCpuIsolator.shares(2)).isEqualTo(2048);
    assertThat(CgroupsCpuIsolator.shares(0.001)).isEqualTo(2);
    assertThat(CgroupsCpuIsolator.cfsQuotaUs(0.5)).isEqualTo(50_000);
    assertThat(CgroupsCpuIsolator.cfsQuotaUs(1.5)).isEqualTo(150_000);
    assertThat(CgroupsCpuIsolator.cfsQuotaUs(0.001)).isEqualTo(1_000);
  }

  @Test
  void memoryLimitIsAtLeast32Megabytes() {
    assertThat(CgroupsMemIsolator.limitBytes(64)).isEqualTo(64L << 20);
    assertThat(CgroupsMemIsolator.limitBytes(1)).isEqualTo(32L << 20);
    assertThat(CgroupsMemIsolator.limitBytes(0.5 * 1024)).isEqualTo(512L << 20);
  }

  @Test
  void v1HasOneCgroupPerControllerAndV2OneForAll() throws Exception {
    ContainerCgroups v1 = Hierarchy.detect(dir, "mesos").container(ID, List.of("cpu", "memory", "freezer"));
    assertThat(v1.version()).isEqualTo(Hierarchy.Version.V1);
    assertThat(v1.dir("cpu")).isEqualTo(dir.resolve("cpu/mesos/c1"));
    assertThat(v1.dir("memory")).isEqualTo(dir.resolve("memory/mesos/c1"));
    assertThat(v1.procsDir()).isEqualTo(dir.resolve("freezer/mesos/c1"));
    assertThat(v1.procsFiles()).hasSize(3);

    Files.writeString(dir.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    Hierarchy unified = Hierarchy.detect(dir, "mesos");
    assertThat(unified.version()).isEqualTo(Hierarchy.Version.V2);
    assertThat(unified.hasController("cpuacct")).isTrue();
    assertThat(unified.hasController("hugetlb")).isFalse();
    ContainerCgroups v2 = unified.container(ID, List.of("cpu", "memory"));
    assertThat(v2.dirs()).containsExactly(dir.resolve("mesos/c1"));
    assertThat(v2.procsFiles()).containsExactly(dir.resolve("mesos/c1/cgroup.procs"));
  }

  @Test
  void aHierarchyWithoutTheControllersIsFatalAsInMesos() {
    AgentFlags flags = AgentFlags.of(Map.of("master", "127.0.0.1:5050", "work_dir", dir.toString(),
        "isolation", "cgroups/cpu,cgroups/mem,cgroups/pids", "cgroups_hierarchy", dir.toString()));
    assertThatThrownBy(() -> Containerizer.create(flags, new PosixLauncher()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Failed to create a containerizer: cannot use ")
        .hasMessageContaining("for isolation cgroups/cpu,cgroups/mem,cgroups/pids");
  }

  @Test
  void posixIsolationIsTheDefault() {
    AgentFlags flags = AgentFlags.of(Map.of("master", "127.0.0.1:5050", "work_dir", dir.toString()));
    try (Containerizer containerizer = Containerizer.create(flags, new PosixLauncher())) {
      assertThat(containerizer.isolatorNames()).containsExactly("posix/cpu", "posix/mem");
      assertThat(containerizer.hierarchy()).isEmpty();
    }
  }
}
