package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real thing: {@code bin/mesos-master} and two {@code bin/mesos-agent} processes on loopback, and
 * {@code bin/mesos-execute} running a command task to TASK_FINISHED.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MultiProcessClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Only reads the daemons' JSON endpoints from the outside, as an operator's tool would.
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Processes processes;
  private Path work;
  private int masterPort;

  @BeforeEach
  void startCluster() throws Exception {
    work = Files.createTempDirectory(Paths.get("target"), "multi-process-");
    processes = new Processes(work.resolve("logs"));
    masterPort = Processes.freePort();
    processes.start("master", "mesos-master", "--ip=127.0.0.1", "--port=" + masterPort,
        "--work_dir=" + work.resolve("master").toAbsolutePath());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> get(masterPort, "/health").statusCode() == 200);
    for (int i = 1; i <= 2; i++) {
      processes.start("agent" + i, "mesos-agent", "--master=127.0.0.1:" + masterPort, "--ip=127.0.0.1",
          "--port=" + Processes.freePort(), "--work_dir=" + work.resolve("agent" + i).toAbsolutePath(),
          "--resources=cpus:2;mem:1024;disk:1024;ports:[31000-31100]");
    }
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> metrics().path("master/slaves_active").asInt() == 2);
  }

  @AfterEach
  void stopCluster() throws Exception {
    processes.close();
  }

  @Test
  void mesosExecuteRunsACommandTaskToFinished() throws Exception {
    Process execute = processes.start("execute", "mesos-execute", "--master=127.0.0.1:" + masterPort,
        "--name=it-task", "--command=echo jmesos-multi-process-output", "--resources=cpus:0.1;mem:32");
    assertThat(execute.waitFor(120, TimeUnit.SECONDS)).as("mesos-execute finished").isTrue();
    String output = processes.log("execute");
    assertThat(execute.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("Subscribed with ID")
        .contains("Received status update TASK_RUNNING for task 'it-task'")
        .contains("Received status update TASK_FINISHED for task 'it-task'");

    List<Path> stdouts = findSandboxFiles("it-task", "stdout");
    assertThat(stdouts).hasSize(1);
    assertThat(Files.readString(stdouts.get(0))).contains("jmesos-multi-process-output");

    JsonNode metrics = metrics();
    assertThat(metrics.path("master/tasks_finished").asInt()).isEqualTo(1);
    assertThat(metrics.path("master/slaves_active").asInt()).isEqualTo(2);
  }

  @Test
  void aFailingCommandMakesMesosExecuteExitNonZero() throws Exception {
    Process execute = processes.start("execute-fail", "mesos-execute", "--master=127.0.0.1:" + masterPort,
        "--name=failing", "--command=exit 3", "--resources=cpus:0.1;mem:32");
    assertThat(execute.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = processes.log("execute-fail");
    assertThat(execute.exitValue()).as(output).isEqualTo(1);
    assertThat(output)
        .contains("Received status update TASK_FAILED for task 'failing'")
        .contains("Command exited with status 3");
  }

  private List<Path> findSandboxFiles(String executorId, String name) throws IOException {
    try (Stream<Path> files = Files.walk(work)) {
      return files.filter(p -> p.getFileName().toString().equals(name))
          .filter(p -> p.toString().contains("/executors/" + executorId + "/runs/"))
          .collect(Collectors.toList());
    }
  }

  private JsonNode metrics() throws Exception {
    return JSON.readTree(get(masterPort, "/metrics/snapshot").body());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
