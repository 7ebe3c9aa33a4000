package io.jmesos.executor.driver;

import static io.jmesos.executor.FakeAgent.EXECUTOR_ID;
import static io.jmesos.executor.FakeAgent.FRAMEWORK_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.jmesos.actor.ManualClock;
import io.jmesos.executor.FakeAgent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpExecutorDriverTest {
  private final ManualClock clock = new ManualClock();
  private final RecordingExecutor executor = new RecordingExecutor();
  private final AtomicInteger exits = new AtomicInteger();
  private FakeAgent agent;
  private HttpExecutorDriver driver;

  @BeforeEach
  void setUp() throws InterruptedException {
    agent = new FakeAgent();
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.stop();
    }
    agent.close();
  }

  private void start(boolean checkpoint) {
    start(agent.environment(checkpoint));
  }

  private void start(Map<String, String> env) {
    driver = HttpExecutorDriver.builder(executor).environment(env).clock(clock)
        .exitHook(status -> exits.incrementAndGet()).build();
    assertThat(driver.start()).isEqualTo(Status.DRIVER_RUNNING);
    awaitCallback("registered");
  }

  private void awaitCallback(String callback) {
    await().atMost(Duration.ofSeconds(20)).until(() -> executor.callbacks.contains(callback));
  }

  private static TaskStatus status(String taskId, TaskState state) {
    return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId)).setState(state).build();
  }

  @Test
  void subscribesWithItsIdentityAndReportsRegistered() {
    start(false);

    Call subscribe = agent.awaitCall(Call.Type.SUBSCRIBE, 1);
    assertThat(subscribe.getFrameworkId().getValue()).isEqualTo(FRAMEWORK_ID);
    assertThat(subscribe.getExecutorId().getValue()).isEqualTo(EXECUTOR_ID);
    assertThat(subscribe.getSubscribe().getUnacknowledgedUpdatesCount()).isZero();
    assertThat(subscribe.getSubscribe().getUnacknowledgedTasksCount()).isZero();
    assertThat(executor.executorInfo.getExecutorId().getValue()).isEqualTo(EXECUTOR_ID);
    assertThat(executor.frameworkInfo.getId().getValue()).isEqualTo(FRAMEWORK_ID);
    assertThat(executor.slaveInfo.getHostname()).isEqualTo("agent-host");
    assertThat(executor.slaveInfo.getId().getValue()).isEqualTo("agent-S0");
    assertThat(executor.threads).containsOnly("executor-driver");
  }

  @Test
  void launchEventCallsLaunchTask() {
    start(false);

    agent.launch(FakeAgent.task("t1", null));

    awaitCallback("launchTask t1");
  }

  @Test
  void killEventCallsKillTask() {
    start(false);

    agent.kill("t1");

    awaitCallback("killTask t1");
  }

  @Test
  void statusUpdateBecomesAnUpdateCallWithUuidSourceAndTimestamp() {
    start(false);

    assertThat(driver.sendStatusUpdate(status("t1", TaskState.TASK_RUNNING))).isEqualTo(Status.DRIVER_RUNNING);

    Call call = agent.awaitCall(Call.Type.UPDATE, 1);
    org.apache.mesos.v1.Protos.TaskStatus sent = call.getUpdate().getStatus();
    assertThat(call.getFrameworkId().getValue()).isEqualTo(FRAMEWORK_ID);
    assertThat(call.getExecutorId().getValue()).isEqualTo(EXECUTOR_ID);
    assertThat(sent.getTaskId().getValue()).isEqualTo("t1");
    assertThat(sent.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING);
    assertThat(sent.getUuid().size()).isEqualTo(16);
    assertThat(sent.getSource()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(sent.getTimestamp()).isEqualTo(clock.currentTimeSeconds());
    assertThat(sent.getExecutorId().getValue()).isEqualTo(EXECUTOR_ID);
    assertThat(sent.getAgentId().getValue()).isEqualTo("agent-S0");
  }

  @Test
  void acknowledgedUpdatesAndTasksAreNotResentOnResubscribe() {
    agent.autoAcknowledge = false;
    start(true);
    agent.launch(FakeAgent.task("t1", null));
    agent.launch(FakeAgent.task("t2", null));
    awaitCallback("launchTask t2");
    driver.sendStatusUpdate(status("t1", TaskState.TASK_RUNNING));
    driver.sendStatusUpdate(status("t2", TaskState.TASK_RUNNING));
    Call first = agent.awaitCall(Call.Type.UPDATE, 1);
    agent.awaitCall(Call.Type.UPDATE, 2);
    assertThat(first.getUpdate().getStatus().getTaskId().getValue()).isEqualTo("t1");
    agent.acknowledge(first.getUpdate());
    // Events are handled in order: once this message is seen, the acknowledgement has been processed.
    agent.send(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
        .setData(ByteString.copyFromUtf8("sync"))).build());
    awaitCallback("frameworkMessage sync");

    agent.dropStream();
    awaitCallback("disconnected");
    clock.advance(Duration.ofSeconds(2));

    Call resubscribe = agent.awaitCall(Call.Type.SUBSCRIBE, 2);
    List<String> updates = resubscribe.getSubscribe().getUnacknowledgedUpdatesList().stream()
        .map(u -> u.getStatus().getTaskId().getValue()).collect(Collectors.toList());
    List<String> tasks = resubscribe.getSubscribe().getUnacknowledgedTasksList().stream()
        .map(t -> t.getTaskId().getValue()).collect(Collectors.toList());
    assertThat(updates).containsExactly("t2");
    assertThat(tasks).containsExactly("t2");
    awaitCallback("reregistered");
    assertThat(executor.callbacks).containsSubsequence("registered", "disconnected", "reregistered");
  }

  @Test
  void allAcknowledgedCompletesWhenTheAgentAcknowledges() throws Exception {
    start(false);
    driver.sendStatusUpdate(status("t1", TaskState.TASK_FINISHED));

    driver.whenAllAcknowledged().get(20, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(agent.calls(Call.Type.UPDATE)).hasSize(1);
  }

  @Test
  void frameworkMessagesFlowBothWays() {
    start(false);

    agent.send(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
        .setData(ByteString.copyFromUtf8("ping"))).build());
    awaitCallback("frameworkMessage ping");
    driver.sendFrameworkMessage("pong".getBytes(StandardCharsets.UTF_8));

    Call message = agent.awaitCall(Call.Type.MESSAGE, 1);
    assertThat(message.getMessage().getData().toStringUtf8()).isEqualTo("pong");
  }

  @Test
  void shutdownEventCallsShutdownAndStopsTheDriver() {
    start(false);

    agent.shutdown();

    assertThat(driver.join()).isEqualTo(Status.DRIVER_STOPPED);
    assertThat(executor.callbacks).contains("shutdown");
    assertThat(exits).hasValue(0); // MESOS_LOCAL: no suicide timer.
  }

  @Test
  void shutdownArmsTheSuicideTimerOutsideLocalMode() {
    Map<String, String> env = agent.environment(false);
    env.remove("MESOS_LOCAL");
    start(env);

    agent.shutdown();
    assertThat(driver.join()).isEqualTo(Status.DRIVER_STOPPED);
    clock.advance(Duration.ofSeconds(4));
    assertThat(exits).hasValue(0);
    clock.advance(Duration.ofSeconds(1));

    assertThat(exits).hasValue(1);
  }

  @Test
  void stagingUpdateAbortsTheDriverWithAnError() {
    start(false);

    driver.sendStatusUpdate(status("t1", TaskState.TASK_STAGING));

    awaitCallback("error Attempted to send TASK_STAGING status update");
    assertThat(driver.join()).isEqualTo(Status.DRIVER_ABORTED);
    assertThat(driver.sendStatusUpdate(status("t1", TaskState.TASK_RUNNING))).isEqualTo(Status.DRIVER_ABORTED);
    assertThat(agent.calls(Call.Type.UPDATE)).isEmpty();
    assertThat(driver.stop()).isEqualTo(Status.DRIVER_ABORTED);
  }

  @Test
  void lostConnectionWithoutCheckpointingShutsDown() {
    start(false);

    agent.dropStream();

    assertThat(driver.join()).isEqualTo(Status.DRIVER_STOPPED);
    assertThat(executor.callbacks).contains("shutdown").doesNotContain("disconnected");
  }

  @Test
  void lostAgentWithCheckpointingShutsDownAfterTheRecoveryTimeout() {
    start(true);

    agent.close();
    awaitCallback("disconnected");
    clock.advance(Duration.ofSeconds(59));
    assertThat(driver.status()).isEqualTo(Status.DRIVER_RUNNING);
    clock.advance(Duration.ofSeconds(1));

    assertThat(driver.join()).isEqualTo(Status.DRIVER_STOPPED);
    assertThat(executor.callbacks).contains("shutdown");
  }

  @Test
  void stopEndsTheStreamAndFurtherCallsReportStopped() {
    start(false);

    assertThat(driver.stop()).isEqualTo(Status.DRIVER_STOPPED);

    assertThat(driver.join()).isEqualTo(Status.DRIVER_STOPPED);
    assertThat(driver.sendStatusUpdate(status("t1", TaskState.TASK_RUNNING))).isEqualTo(Status.DRIVER_STOPPED);
    assertThat(driver.sendFrameworkMessage(new byte[0])).isEqualTo(Status.DRIVER_STOPPED);
  }

  @Test
  void missingEnvironmentAbortsStart() {
    driver = HttpExecutorDriver.builder(executor).environment(Map.of()).clock(clock).build();

    assertThat(driver.start()).isEqualTo(Status.DRIVER_ABORTED);
    assertThat(driver.join()).isEqualTo(Status.DRIVER_ABORTED);
  }
}
