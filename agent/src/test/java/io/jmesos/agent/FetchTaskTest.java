package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.executors.CommandExecutors;
import io.jmesos.agent.fetcher.Archives;
import io.jmesos.agent.fetcher.TestFileServer;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.StatusUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
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

/** Command tasks whose URIs the agent fetches into the sandbox before the executor starts. */
@Timeout(90)
class FetchTaskTest {
  @TempDir
  Path tmp;
  AgentHarness h;
  TestFileServer server;

  @BeforeEach
  void setUp() throws Exception {
    server = new TestFileServer();
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
    server.close();
  }

  private static TaskInfo task(String id, CommandInfo command) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(AgentHarness.SLAVE_ID).setCommand(command).build();
  }

  private Path runDir(String executorId) throws Exception {
    Path runs = h.workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/" + executorId + "/runs");
    try (Stream<Path> list = Files.list(runs)) {
      return list.filter(p -> !p.getFileName().toString().equals("latest")).findFirst().orElseThrow();
    }
  }

  @Test
  void fetchedTarGzIsExtractedAndUsedByTheTask() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("src/app"));
    Files.writeString(app.resolve("hello.sh"), "echo \"fetched script says $1\"\n");
    server.serve("/artifacts/app.tar.gz", Archives.tarGz(app));
    h = new AgentHarness(tmp.resolve("work")).start(Map.of(), CommandExecutors.defaultCommand());
    h.register();

    h.runTask(task("fetch-1", CommandInfo.newBuilder().setValue("sh app/hello.sh hi")
        .addUris(CommandInfo.URI.newBuilder().setValue(server.url("/artifacts/app.tar.gz"))).build()));

    h.acknowledge(h.awaitUpdate("fetch-1", TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate("fetch-1", TaskState.TASK_RUNNING));
    h.acknowledge(h.awaitUpdate("fetch-1", TaskState.TASK_FINISHED));
    Path run = runDir("fetch-1");
    assertThat(run.resolve("app.tar.gz")).exists();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        Files.readString(run.resolve("stdout"), StandardCharsets.UTF_8).contains("fetched script says hi"));
    assertThat(Files.readString(run.resolve("stderr"))).contains("Successfully fetched all URIs");
  }

  @Test
  void failingUriFailsTheTaskWithContainerLaunchFailedAndKeepsTheFetcherLog() throws Exception {
    h = new AgentHarness(tmp.resolve("work")).start();
    h.register();
    String missing = server.url("/nothing-here.tar.gz");

    h.runTask(task("fetch-2", CommandInfo.newBuilder().setValue("true")
        .addUris(CommandInfo.URI.newBuilder().setValue(missing)).build()));

    StatusUpdate failed = h.awaitUpdate("fetch-2", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(failed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
    Path run = runDir("fetch-2");
    assertThat(failed.getStatus().getMessage()).isEqualTo("Failed to launch container: Failed to fetch all URIs "
        + "for container '" + run.getFileName() + "': Failed to fetch '" + missing
        + "': Error downloading resource, received HTTP return code 404");
    assertThat(Files.readString(run.resolve("stderr"))).contains("Failed to fetch '" + missing + "'");
    assertThat(Files.readString(run.resolve("stdout"))).as("no executor ran").isEmpty();
  }
}
