package io.jmesos.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.dist.LocalCluster;
import io.jmesos.testing.RecordingScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mesos} against an in-process cluster (one master, one agent) running a real command task of a
 * real framework: the tables and the JSON name the agent, the framework and the task, {@code task log} prints
 * what the task wrote to its sandbox, and an unknown id or an unreachable master is one line and exit code 1.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MesosCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String STDOUT_LINE = "hello from the task on stdout";
  private static final String STDERR_LINE = "hello from the task on stderr";

  private Path workDir;
  private LocalCluster cluster;
  private MesosSchedulerDriver driver;
  private final RecordingScheduler scheduler = new RecordingScheduler();
  private String master;
  private String agentId;
  private String frameworkId;
  private final TaskID taskId = TaskID.newBuilder().setValue("cli-test-task").build();

  /** What one CLI run printed and returned. */
  private record Run(int code, String out, String err) {}

  @BeforeAll
  void startClusterWithARunningTask(@TempDir Path dir) throws Exception {
    workDir = dir;
    cluster = LocalCluster.builder(workDir).ip("127.0.0.1").port(0).agents(1).resources("cpus:2;mem:1024")
        .start();
    master = "127.0.0.1:" + cluster.masterAddress().getPort();
    FrameworkInfo framework = FrameworkInfo.newBuilder().setUser(System.getProperty("user.name"))
        .setName("cli-test-framework").build();
    driver = new MesosSchedulerDriver(scheduler, framework, cluster.masterUrl());
    driver.start();
    FrameworkID id = scheduler.registered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    frameworkId = id.getValue();
    Offer offer = scheduler.nextOffers().get(0);
    agentId = offer.getSlaveId().getValue();
    TaskInfo task = TaskInfo.newBuilder().setName("cli-test-task").setTaskId(taskId).setSlaveId(offer.getSlaveId())
        .addAllResources(offer.getResourcesList().stream()
            .filter(r -> r.getName().equals("cpus") || r.getName().equals("mem")).toList())
        .setCommand(CommandInfo.newBuilder().setShell(true)
            .setValue("echo '" + STDOUT_LINE + "'; echo '" + STDERR_LINE + "' >&2; exec sleep 120"))
        .build();
    driver.launchTasks(List.of(offer.getId()), List.of(task));
    scheduler.awaitStatus(taskId, TaskState.TASK_RUNNING);
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private Run mesos(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--master=" + master);
    return run(Map.of(), all.toArray(String[]::new));
  }

  private Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MesosCli.run(args, env, workDir.resolve("home").toString(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void agentListShowsTheAgentAsATableAndAsJson() throws Exception {
    Run table = mesos("agent", "list");
    assertThat(table.code()).as(table.err()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).matches("Agent ID +Hostname +Active +");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).startsWith(agentId + " ").contains("True");

    Run json = mesos("agent", "list", "--json");
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode agents = JSON.readTree(json.out());
    assertThat(agents.isArray()).isTrue();
    assertThat(agents.get(0).path("id").asText()).isEqualTo(agentId);
  }

  @Test
  void frameworkListAndInspectShowTheFramework() throws Exception {
    Run table = mesos("framework", "list");
    assertThat(table.code()).as(table.err()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).matches("ID +Active +Hostname +Name +");
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(frameworkId + " ").contains("True")
        .contains("cli-test-framework"));

    Run json = mesos("--json", "framework", "list");
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(JSON.readTree(json.out()).findValuesAsText("id")).contains(frameworkId);

    Run inspect = mesos("framework", "inspect", frameworkId);
    assertThat(inspect.code()).as(inspect.err()).isZero();
    JsonNode node = JSON.readTree(inspect.out());
    assertThat(node.path("id").asText()).isEqualTo(frameworkId);
    assertThat(node.path("name").asText()).isEqualTo("cli-test-framework");
    assertThat(node.has("tasks")).as("tasks are left out as Mesos does").isFalse();
    assertThat(inspect.out()).contains("\n    \"id\"");
  }

  @Test
  void taskListAndInspectShowTheRunningTask() throws Exception {
    Run table = mesos("task", "list");
    assertThat(table.code()).as(table.err()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).matches("ID +State +Framework ID +Executor ID +");
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(taskId.getValue() + " ")
        .contains("TASK_RUNNING").contains(frameworkId));

    Run all = mesos("task", "list", "--all", "--json");
    assertThat(all.code()).as(all.err()).isZero();
    JsonNode tasks = JSON.readTree(all.out());
    assertThat(tasks.get(0).path("id").asText()).isEqualTo(taskId.getValue());
    assertThat(tasks.get(0).path("slave_id").asText()).isEqualTo(agentId);

    Run inspect = mesos("task", "inspect", taskId.getValue());
    assertThat(inspect.code()).as(inspect.err()).isZero();
    JsonNode task = JSON.readTree(inspect.out());
    assertThat(task.path("id").asText()).isEqualTo(taskId.getValue());
    assertThat(task.path("framework_id").asText()).isEqualTo(frameworkId);
    assertThat(task.path("state").asText()).isEqualTo("TASK_RUNNING");
  }

  @Test
  void taskLogPrintsTheSandboxStdoutAndStderr() {
    await("the task's stdout through 'mesos task log'").atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          Run log = mesos("task", "log", taskId.getValue());
          assertThat(log.code()).as(log.err()).isZero();
          assertThat(log.out()).contains(STDOUT_LINE).doesNotContain(STDERR_LINE);
        });
    Run stderr = mesos("task", "log", taskId.getValue(), "--file=stderr");
    assertThat(stderr.code()).as(stderr.err()).isZero();
    assertThat(stderr.out()).contains(STDERR_LINE).doesNotContain(STDOUT_LINE);
  }

  @Test
  void unknownIdsAreOneLineErrors() {
    for (String[] args : new String[][] {{"task", "inspect", "no-such-task"}, {"task", "log", "no-such-task"},
        {"framework", "inspect", "no-such-framework"}}) {
      Run run = mesos(args);
      assertThat(run.code()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().lines().toList()).hasSize(1);
      assertThat(run.err()).contains("Unable to find").contains(args[2]);
    }
  }

  @Test
  void anUnreachableMasterIsAOneLineError() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Run run = run(Map.of(), "agent", "list", "--master=127.0.0.1:" + closed);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).contains("127.0.0.1:" + closed);
  }

  @Test
  void theMasterComesFromTheEnvironmentOrTheConfigurationFile() throws Exception {
    Run fromEnv = run(Map.of("MESOS_MASTER", master), "agent", "list");
    assertThat(fromEnv.code()).as(fromEnv.err()).isZero();
    assertThat(fromEnv.out()).contains(agentId);

    Path config = workDir.resolve("config.toml");
    Files.writeString(config, "# the CLI's configuration\n[master]\naddress = \"" + master + "\"\n");
    Run fromConfig = run(Map.of("MESOS_CLI_CONFIG", config.toString()), "agent", "list");
    assertThat(fromConfig.code()).as(fromConfig.err()).isZero();
    assertThat(fromConfig.out()).contains(agentId);

    Run show = run(Map.of("MESOS_CLI_CONFIG", config.toString()), "config", "show");
    assertThat(show.code()).isZero();
    assertThat(show.out()).isEqualTo("# the CLI's configuration\n[master]\naddress = \"" + master + "\"\n");

    Run missing = run(Map.of("MESOS_CLI_CONFIG", workDir.resolve("none.toml").toString()), "config", "show");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("does not exist");
  }

  /** Last: it kills the task the others look at. */
  @Test
  @Order(Integer.MAX_VALUE)
  void taskLogFollowsUntilTheTaskIsTerminal() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<Integer> follow = CompletableFuture.supplyAsync(() -> MesosCli.run(
        new String[] {"task", "log", taskId.getValue(), "--follow", "--poll_interval=0.1", "--master=" + master},
        Map.of(), workDir.toString(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
    await("the followed stdout").atMost(WAIT)
        .until(() -> out.toString(StandardCharsets.UTF_8).contains(STDOUT_LINE));
    assertThat(follow).as("still following a running task").isNotDone();
    driver.killTask(taskId);
    assertThat(follow.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
  }
}
