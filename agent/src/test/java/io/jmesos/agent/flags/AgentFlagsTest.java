package io.jmesos.agent.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.flags.FlagsException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentFlagsTest {
  @Test
  void defaultsFollowMesos() {
    AgentFlags flags = AgentFlags.parse(List.of("--master=127.0.0.1:5050", "--work_dir=/tmp/w"), Map.of());
    assertThat(flags.port()).isEqualTo(5051);
    assertThat(flags.executorRegistrationTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(flags.executorShutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(flags.registrationBackoffFactor()).isEqualTo(Duration.ofSeconds(1));
    assertThat(flags.isolation()).isEqualTo("posix/cpu,posix/mem");
    assertThat(flags.cgroupsHierarchy().toString()).isEqualTo("/sys/fs/cgroup");
    assertThat(flags.cgroupsRoot()).isEqualTo("mesos");
    assertThat(flags.cgroupsEnableCfs()).isFalse();
    assertThat(flags.cgroupsLimitSwap()).isFalse();
    assertThat(flags.switchUser()).isTrue();
    assertThat(flags.embeddedCommandExecutor()).isTrue();
    assertThat(flags.resources()).isNull();
    assertThat(flags.ip()).isNull();
    assertThat(flags.asMap()).containsEntry("executor_registration_timeout", "1mins")
        .containsEntry("work_dir", "/tmp/w").doesNotContainKey("resources");
  }

  @Test
  void environmentFillsInAndTheCommandLineWins() {
    AgentFlags flags = AgentFlags.parse(List.of("--master=h:5050", "--port=6000"),
        Map.of("MESOS_WORK_DIR", "/var/w", "MESOS_PORT", "7000", "MESOS_RESOURCES", "cpus:4"));
    assertThat(flags.workDir().toString()).isEqualTo("/var/w");
    assertThat(flags.port()).isEqualTo(6000);
    assertThat(flags.resources()).isEqualTo("cpus:4");
  }

  @Test
  void rejectsUnknownMissingAndInvalidFlags() {
    assertThatThrownBy(() -> AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w", "--bogus=1"), Map.of()))
        .isInstanceOf(FlagsException.class).hasMessageContaining("bogus");
    assertThatThrownBy(() -> AgentFlags.parse(List.of("--master=h:1"), Map.of()))
        .isInstanceOf(FlagsException.class).hasMessageContaining("work_dir");
    assertThatThrownBy(() -> AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w",
        "--executor_registration_timeout=5s"), Map.of())).isInstanceOf(FlagsException.class);
    assertThatThrownBy(() -> AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w",
        "--isolation=cgroups/cpu,cgroups/net_cls"), Map.of())).isInstanceOf(FlagsException.class)
        .hasMessageContaining("unknown isolator 'cgroups/net_cls'");
    assertThatThrownBy(() -> AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w", "--resources=cpus:x"),
        Map.of())).isInstanceOf(FlagsException.class);
  }

  @Test
  void isolationAcceptsMesosIsolatorNames() {
    AgentFlags flags = AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w",
        "--isolation=cgroups/cpu, cgroups/mem,cgroups/pids,cgroups/cpu", "--no-switch_user"), Map.of());
    assertThat(flags.isolators()).containsExactly("cgroups/cpu", "cgroups/mem", "cgroups/pids");
    assertThat(flags.switchUser()).isFalse();
  }

  @Test
  void commandExecutorIsJvmOrEmbedded() {
    AgentFlags flags = AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w", "--command_executor=jvm"),
        Map.of());
    assertThat(flags.embeddedCommandExecutor()).isFalse();
    assertThat(flags.asMap()).containsEntry("command_executor", "jvm");
    assertThat(AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w"), Map.of("MESOS_COMMAND_EXECUTOR", "embedded"))
        .embeddedCommandExecutor()).isTrue();
    assertThatThrownBy(() -> AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w", "--command_executor=docker"),
        Map.of())).isInstanceOf(FlagsException.class).hasMessageContaining("command_executor")
        .hasMessageContaining("must be one of jvm, embedded");
  }

  @Test
  void masterMayBeAZooKeeperUrlDirectlyOrInAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    AgentFlags zk = AgentFlags.parse(List.of("--master=zk://jo:pw@h1:2181,h2:2181/mesos", "--work_dir=/w",
        "--zk_session_timeout=3secs"), Map.of());
    assertThat(zk.masterLocation().zooKeeper()).isPresent();
    assertThat(zk.zkSessionTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w"), Map.of()).zkSessionTimeout())
        .isEqualTo(Duration.ofSeconds(10));
    java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("master"), "zk://h1:2181/mesos\n");
    assertThat(AgentFlags.parse(List.of("--master=file://" + file, "--work_dir=/w"), Map.of()).masterLocation()
        .zooKeeper()).isPresent();
    assertThatThrownBy(() -> AgentFlags.parse(List.of("--master=zk://h1:2181/", "--work_dir=/w"), Map.of()))
        .isInstanceOf(FlagsException.class).hasMessageContaining("Expecting a (chroot) path for ZooKeeper");
    assertThatThrownBy(() -> AgentFlags.parse(List.of("--master=h:1", "--work_dir=/w", "--zk_session_timeout=0secs"),
        Map.of())).isInstanceOf(FlagsException.class).hasMessageContaining("must be positive");
  }

  @Test
  void usageListsEveryFlag() {
    assertThat(AgentFlags.usage()).contains("--master", "--work_dir", "--executor_registration_timeout",
        "--executor_shutdown_grace_period", "--registration_backoff_factor", "--isolation", "--resources",
        "--zk_session_timeout");
  }
}
