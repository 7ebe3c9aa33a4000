package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/mesos-execute} against {@code bin/mesos-master} and one {@code bin/mesos-agent} started with
 * {@code --command_executor=embedded}: the task runs to TASK_FINISHED with no command executor JVM (whose
 * "Registered executor on" line would be in the sandbox's stderr).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedCommandExecutorIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Processes processes;
  private Path work;
  private int masterPort;

  @BeforeEach
  void startCluster() throws Exception {
    work = Files.createTempDirectory(Paths.get("target"), "embedded-executor-");
    processes = new Processes(work.resolve("logs"));
    masterPort = Processes.freePort();
    processes.start("master", "mesos-master", "--ip=127.0.0.1", "--port=" + masterPort,
        "--work_dir=" + work.resolve("master").toAbsolutePath());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> get("/health").statusCode() == 200);
    processes.start("agent", "mesos-agent", "--master=127.0.0.1:" + masterPort, "--ip=127.0.0.1",
        "--port=" + Processes.freePort(), "--work_dir=" + work.resolve("agent").toAbsolutePath(),
        "--resources=cpus:2;mem:1024;disk:1024", "--command_executor=embedded");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> JSON.readTree(get("/metrics/snapshot").body()).path("master/slaves_active").asInt() == 1);
  }

  @AfterEach
  void stopCluster() throws Exception {
    processes.close();
  }

  @Test
  void mesosExecuteRunsACommandTaskWithoutAnExecutorJvm() throws Exception {
    Process execute = processes.start("execute", "mesos-execute", "--master=127.0.0.1:" + masterPort,
        "--name=embedded-task", "--command=echo embedded-output", "--resources=cpus:0.1;mem:32");
    assertThat(execute.waitFor(120, TimeUnit.SECONDS)).as("mesos-execute finished").isTrue();
    String output = processes.log("execute");
    assertThat(execute.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("Received status update TASK_RUNNING for task 'embedded-task'")
        .contains("Received status update TASK_FINISHED for task 'embedded-task'");

    List<Path> runs;
    try (Stream<Path> files = Files.walk(work)) {
      runs = files.filter(p -> p.getFileName().toString().equals("stdout"))
          .filter(p -> p.toString().contains("/executors/embedded-task/runs/")).map(Path::getParent).toList();
    }
    assertThat(runs).hasSize(1);
    assertThat(Files.readString(runs.get(0).resolve("stdout"))).isEqualTo("embedded-output\n");
    assertThat(Files.readString(runs.get(0).resolve("stderr"))).doesNotContain("Registered executor on");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterPort + path))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
