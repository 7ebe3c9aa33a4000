package io.jmesos.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.jmesos.actor.ManualClock;
import io.jmesos.agent.Agent;
import io.jmesos.agent.AgentBuilder;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.awaitility.Awaitility;

/**
 * One agent against a {@link FakeMaster}, on a {@link ManualClock}, with a temporary work directory and the
 * {@link TestExecutor} standing in for the command executor. Tests drive it through the master's messages
 * and the agent's HTTP endpoints.
 */
public final class AgentHarness implements AutoCloseable {
  public static final SlaveID SLAVE_ID = SlaveID.newBuilder().setValue("M1-S0").build();
  public static final FrameworkID FRAMEWORK_ID = FrameworkID.newBuilder().setValue("M1-0000").build();
  public static final FrameworkInfo FRAMEWORK = FrameworkInfo.newBuilder()
      .setUser(System.getProperty("user.name")).setName("test framework").setId(FRAMEWORK_ID).build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public final ManualClock clock = new ManualClock();
  public final FakeMaster master = new FakeMaster();
  public final HttpClient http = new HttpClient("test");
  public final Path workDir;
  public Agent agent;
  private Map<String, String> lastFlags;
  private List<String> lastCommandExecutor;
  /** The disk usage the agent's disk watch sees (0..1); the real file system's when null. */
  public java.util.function.DoubleSupplier diskUsage;
  /** The launcher of the next agent started, or null for the real one. */
  public io.jmesos.agent.containers.Launcher launcher;

  public AgentHarness(Path workDir) {
    this.workDir = workDir;
  }

  public static List<String> javaCommand(String mainClass) {
    return List.of(System.getProperty("java.home") + "/bin/java", "-cp", System.getProperty("java.class.path"),
        "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", mainClass);
  }

  public AgentHarness start(Map<String, String> extraFlags) throws InterruptedException {
    return start(extraFlags, javaCommand(TestExecutor.class.getName()));
  }

  /** Starts the agent with the given argv for the command executor. */
  public AgentHarness start(Map<String, String> extraFlags, List<String> commandExecutor)
      throws InterruptedException {
    master.start();
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("master", master.hostPort());
    flags.put("ip", "127.0.0.1");
    flags.put("port", "0");
    flags.put("hostname", "test-agent");
    flags.put("work_dir", workDir.toString());
    flags.put("resources", "cpus:2;mem:1024;disk:2048;ports:[31000-32000]");
    flags.put("attributes", "rack:r1");
    // The harness's tests drive a command executor JVM they choose (the argv below); the agent's default,
    // the embedded command executor, is tested by the tests that ask for it.
    flags.put("command_executor", "jvm");
    flags.putAll(extraFlags);
    lastFlags = flags;
    lastCommandExecutor = commandExecutor;
    startAgent(flags, commandExecutor);
    return this;
  }

  /**
   * Starts a new agent on the same work directory and port as the last one, with {@code overrides} on top of its
   * flags (the last one must be stopped: {@link Agent#detach()} leaves its executors for this one to recover).
   * The agent is back once {@code start} returns, i.e. once its recovery is over.
   */
  public AgentHarness restart(Map<String, String> overrides) throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>(lastFlags);
    flags.put("port", String.valueOf(agent.address().getPort()));
    flags.putAll(overrides);
    startAgent(flags, lastCommandExecutor);
    return this;
  }

  private void startAgent(Map<String, String> flags, List<String> commandExecutor) throws InterruptedException {
    AgentBuilder builder = Agent.builder(AgentFlags.of(flags))
        .clock(clock)
        .commandExecutorCommand(commandExecutor);
    if (launcher != null) {
      builder.launcher(launcher);
    }
    if (diskUsage != null) {
      builder.diskUsage(diskUsage);
    }
    agent = builder.build();
    agent.start();
  }

  public AgentHarness start() throws InterruptedException {
    return start(Map.of());
  }

  /** Answers the n-th re-registration attempt (counting from 1) with the harness's agent id. */
  public ReregisterSlaveMessage reregister(int n) {
    ReregisterSlaveMessage message = master.await(ReregisterSlaveMessage.getDefaultInstance(), n);
    master.send(SlaveReregisteredMessage.newBuilder().setSlaveId(SLAVE_ID).build());
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> metrics().get("slave/registered").asDouble() == 1.0);
    return message;
  }

  /** Answers the first registration attempt. */
  public void register() {
    master.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    master.send(SlaveRegisteredMessage.newBuilder().setSlaveId(SLAVE_ID)
        .setPingIntervalSeconds(15).setMaxMissedPings(5).build());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metrics().get("slave/registered").asDouble() == 1.0);
  }

  public static TaskInfo commandTask(String id, String data) {
    return TaskInfo.newBuilder()
        .setName("task " + id)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(SLAVE_ID)
        .setCommand(CommandInfo.newBuilder().setValue("true"))
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }

  /** A task whose executor is the given shell command. */
  public static TaskInfo customExecutorTask(String id, String executorId, String shell) {
    return TaskInfo.newBuilder()
        .setName("task " + id)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(SLAVE_ID)
        .setExecutor(ExecutorInfo.newBuilder()
            .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
            .setCommand(CommandInfo.newBuilder().setValue(shell)))
        .build();
  }

  public void runTask(TaskInfo task) {
    runTask(task, FRAMEWORK);
  }

  public void runTask(TaskInfo task, FrameworkInfo framework) {
    master.send(RunTaskMessage.newBuilder().setFrameworkId(FRAMEWORK_ID).setFramework(framework).setTask(task)
        .build());
  }

  /** Waits for the first status update of the task in the given state. */
  public StatusUpdate awaitUpdate(String taskId, TaskState state) {
    return master.awaitMatching(StatusUpdateMessage.getDefaultInstance(),
        m -> m.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
            && m.getUpdate().getStatus().getState() == state).getUpdate();
  }

  public int updateCount(String taskId, TaskState state) {
    return (int) master.all(StatusUpdateMessage.getDefaultInstance()).stream()
        .filter(m -> m.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
            && m.getUpdate().getStatus().getState() == state)
        .count();
  }

  public void acknowledge(StatusUpdate update) {
    master.send(StatusUpdateAcknowledgementMessage.newBuilder()
        .setSlaveId(SLAVE_ID)
        .setFrameworkId(update.getFrameworkId())
        .setTaskId(update.getStatus().getTaskId())
        .setUuid(update.getUuid())
        .build());
  }

  public JsonNode state() {
    return getJson("/state");
  }

  public JsonNode metrics() {
    return getJson("/metrics/snapshot");
  }

  public JsonNode getJson(String path) {
    try {
      HttpResponse response = http.get(agent.address(), path).get(10, TimeUnit.SECONDS);
      return MAPPER.readTree(response.body());
    } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Waits until everything the agent has sent the master so far has arrived: the agent answers a ping in
   * order on the same connection, so its pong comes after them. Lets tests assert that a message was not sent.
   */
  public void flushToMaster() {
    int pongs = master.count(PongSlaveMessage.getDefaultInstance());
    master.send(PingSlaveMessage.newBuilder().setConnected(true).build());
    master.await(PongSlaveMessage.getDefaultInstance(), pongs + 1);
  }

  /** Waits until the agent's actor has nothing queued. */
  public void settle() {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(agent::isIdle);
  }

  @Override
  public void close() {
    if (agent != null) {
      agent.close();
    }
    killLeftovers();
    http.close();
    master.close();
  }

  /**
   * Kills every container process the containerizer's runtime checkpoint still names: tests that stop an agent
   * without destroying its containers (detach, crash, a failed restart) must not leave them running.
   */
  private void killLeftovers() {
    Path containers = workDir.resolve("runtime/containers");
    if (!java.nio.file.Files.isDirectory(containers)) {
      return;
    }
    try (java.util.stream.Stream<Path> dirs = java.nio.file.Files.list(containers)) {
      for (Path dir : dirs.toList()) {
        Path pidFile = dir.resolve("pid");
        if (!java.nio.file.Files.exists(pidFile)) {
          continue;
        }
        long pid = Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).trim());
        ProcessHandle.of(pid).ifPresent(root -> {
          List<ProcessHandle> tree = new java.util.ArrayList<>(List.of(root));
          root.descendants().forEach(tree::add);
          tree.forEach(ProcessHandle::destroyForcibly);
        });
      }
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("Cannot clean up the containers under " + containers, e);
    }
  }
}
