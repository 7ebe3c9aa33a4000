package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.testing.AgentHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.mesos.Protos.TaskState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Sandboxes of completed executors and frameworks removed by the agent after --gc_delay, and detached. */
@Timeout(60)
class SandboxGcTest {
  private static final String LATEST = "/frameworks/M1-0000/executors/g1/runs/latest";
  @TempDir
  Path tmp;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    h.close();
  }

  private Path finishTask() throws Exception {
    h.register();
    h.runTask(AgentHarness.commandTask("g1", "finish"));
    h.acknowledge(h.awaitUpdate("g1", TaskState.TASK_RUNNING));
    h.acknowledge(h.awaitUpdate("g1", TaskState.TASK_FINISHED));
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> h.state().get("completed_frameworks").size() == 1);
    h.settle();
    Path runs = h.workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/g1/runs");
    try (Stream<Path> list = Files.list(runs)) {
      return list.filter(p -> !Files.isSymbolicLink(p)).findFirst().orElseThrow();
    }
  }

  @Test
  void completedSandboxIsRemovedAfterGcDelayAndDetachedFromFiles() throws Exception {
    h = new AgentHarness(tmp.resolve("work"));
    h.diskUsage = () -> 0.0;
    h.start(Map.of("gc_delay", "2hrs", "disk_watch_interval", "1weeks"));
    Path run = finishTask();
    Path framework = h.workDir.resolve("slaves/M1-S0/frameworks/M1-0000");
    assertThat(h.getJson("/files/debug").has(LATEST)).isTrue();

    h.clock.advance(Duration.ofMinutes(119));
    h.settle();
    assertThat(run).exists();
    // The run, executor and framework directories wait for their delay, as in Mesos.
    assertThat(h.metrics().get("gc/path_removals_pending").asDouble()).isEqualTo(3.0);
    assertThat(h.metrics().get("gc/path_removals_succeeded").asDouble()).isEqualTo(0.0);

    h.clock.advance(Duration.ofMinutes(1));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(framework));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !h.getJson("/files/debug").has(LATEST));
    assertThat(h.getJson("/files/debug").has(run.toString())).isFalse();
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.metrics().get("gc/path_removals_succeeded").asDouble() == 3.0);
    assertThat(h.metrics().get("gc/path_removals_pending").asDouble()).isEqualTo(0.0);
    assertThat(h.metrics().get("gc/path_removals_failed").asDouble()).isEqualTo(0.0);
  }

  @Test
  void fullDiskRemovesCompletedSandboxesAtTheNextDiskCheck() throws Exception {
    AtomicReference<Double> usage = new AtomicReference<>(0.0);
    h = new AgentHarness(tmp.resolve("work"));
    h.diskUsage = usage::get;
    h.start(Map.of("disk_watch_interval", "1mins", "gc_disk_headroom", "0.2"));
    Path run = finishTask();

    h.clock.advance(Duration.ofMinutes(1));
    h.settle();
    assertThat(run).exists();

    usage.set(0.85);
    h.clock.advance(Duration.ofMinutes(1));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(run));
  }
}
