package io.jmesos.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.resources.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command tasks under {@code --command_executor=embedded} in real cgroup v1 containers: the task's command is
 * the process in the container's cgroups, with the command executor's allowance in its limits, a kill leaves
 * neither process nor cgroup, and a task over its memory limit fails with the memory limitation. Skipped where
 * the hierarchies cannot be written.
 */
@Timeout(120)
class EmbeddedExecutorCgroupsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path workDir;
  AgentHarness h;
  final CgroupsTesting cgroups = new CgroupsTesting();

  @BeforeEach
  void assumeCgroups() {
    CgroupsTesting.assumeWritableV1();
  }

  @AfterEach
  void tearDown() {
    try {
      if (h != null) {
        h.close();
      }
    } finally {
      cgroups.cleanup();
    }
  }

  private void start() throws InterruptedException {
    h = new AgentHarness(workDir).start(Map.of(
        "isolation", "cgroups/cpu,cgroups/mem",
        "cgroups_root", cgroups.root,
        "command_executor", "embedded"), List.of("/bin/false"));
    h.register();
  }

  private static TaskInfo task(String id, String shell, String resources) {
    return TaskInfo.newBuilder()
        .setName("task " + id)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(AgentHarness.SLAVE_ID)
        .setCommand(CommandInfo.newBuilder().setValue(shell))
        .addAllResources(Resources.parse(resources, "*").toList())
        .build();
  }

  @Test
  void theTasksCommandIsTheProcessInTheContainersCgroupsAndAKillLeavesNothing() throws Exception {
    start();
    h.runTask(task("sleeper", "sleep 1003", "cpus:0.5;mem:64"));
    h.acknowledge(h.awaitUpdate("sleeper", TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate("sleeper", TaskState.TASK_RUNNING));
    Awaitility.await().atMost(WAIT).until(() -> cgroups.containers("freezer").size() == 1
        && !CgroupsTesting.pids(cgroups.onlyContainer("freezer")).isEmpty());
    String containerId = cgroups.onlyContainer("freezer").getFileName().toString();
    // The task's resources plus the command executor's allowance (cpus:0.1;mem:32), as for the JVM one.
    Path cpu = cgroups.rootDir("cpu").resolve(containerId);
    Path memory = cgroups.rootDir("memory").resolve(containerId);
    assertThat(CgroupsTesting.read(cpu, "cpu.shares")).isEqualTo("614");
    assertThat(CgroupsTesting.read(memory, "memory.limit_in_bytes")).isEqualTo(String.valueOf(96L << 20));
    // Only the command runs in the container: no executor JVM beside it.
    List<Long> pids = CgroupsTesting.pids(cgroups.rootDir("freezer").resolve(containerId));
    assertThat(pids).isNotEmpty();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse(""))
          .as("process %d", pid).doesNotContain("java").contains("sleep 1003");
    }
    // The memory cgroup holds them all but the supervisor, which the command joins it without.
    List<Long> commands = pids.stream().filter(pid -> !ProcessHandle.of(pid)
        .flatMap(p -> p.info().commandLine()).orElse("").contains("_jm_done")).toList();
    assertThat(commands).hasSize(pids.size() - 1);
    Awaitility.await().atMost(WAIT).until(() -> CgroupsTesting.pids(memory).size() == commands.size());
    assertThat(CgroupsTesting.pids(memory)).containsExactlyInAnyOrderElementsOf(commands);
    long executorPid = h.state().get("frameworks").get(0).get("executors").get(0).path("pid").asLong(-1);
    if (executorPid > 0) {
      assertThat(pids).contains(executorPid);
    }
    Awaitility.await().atMost(WAIT).until(() -> h.getJson("/monitor/statistics").size() == 1);
    assertThat(h.getJson("/monitor/statistics").get(0).get("statistics").get("mem_limit_bytes").asLong())
        .isEqualTo(96L << 20);

    h.master.send(KillTaskMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setTaskId(TaskID.newBuilder().setValue("sleeper")).build());
    StatusUpdate killed = h.awaitUpdate("sleeper", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getMessage()).isEqualTo("Command terminated with signal Terminated");
    h.acknowledge(killed);
    Awaitility.await().atMost(WAIT).until(() -> cgroups.containers("freezer").isEmpty());
    for (String controller : CgroupsTesting.CONTROLLERS) {
      assertThat(cgroups.containers(controller)).as(controller).isEmpty();
    }
    assertThat(pids).noneMatch(CgroupsTesting::alive);
  }

  @Test
  void aTaskOverItsMemoryLimitFailsWithTheMemoryLimitation() throws Exception {
    start();
    // tail keeps the whole newline-free input in memory: 512MB against a 64MB (+32MB executor) limit.
    h.runTask(task("hog", "head -c 512M /dev/zero | tail", "cpus:0.5;mem:64"));
    h.acknowledge(h.awaitUpdate("hog", TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate("hog", TaskState.TASK_RUNNING));
    StatusUpdate failed = h.awaitUpdate("hog", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
    assertThat(failed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
    assertThat(failed.getStatus().getMessage()).startsWith("Memory limit exceeded: Requested: 96MB Maximum Used: ");
    assertThat(failed.getStatus().getLimitation().getResourcesList()).singleElement()
        .satisfies(r -> assertThat(r.getScalar().getValue()).isEqualTo(96.0));
    h.acknowledge(failed);
    h.flushToMaster();
    assertThat(h.updateCount("hog", TaskState.TASK_FAILED)).isEqualTo(1);
    assertThat(h.updateCount("hog", TaskState.TASK_LOST)).isZero();
    Awaitility.await().atMost(WAIT).until(() -> cgroups.containers("memory").isEmpty());
    assertThat(h.metrics().get("slave/tasks_failed").asInt()).isEqualTo(1);
    Awaitility.await().atMost(WAIT).until(() -> h.state().get("completed_frameworks").size() == 1);
  }
}
