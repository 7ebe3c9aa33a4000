package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jmesos.agent.status.Tasks;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.recordio.RecordIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/executor} against a real agent: bad input, unknown callers, and a protobuf session. */
@Timeout(60)
class ExecutorApiTest {
  static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("M1-0000").build();
  static final ExecutorID EXECUTOR = ExecutorID.newBuilder().setValue("e1").build();

  @TempDir
  Path workDir;
  AgentHarness h;

  @BeforeEach
  void setUp() throws InterruptedException {
    h = new AgentHarness(workDir).start();
    h.register();
    // An executor that never subscribes by itself: the test plays it.
    h.runTask(AgentHarness.customExecutorTask("t1", "e1", "sleep 30"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.state().get("frameworks").size() == 1);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void rejectsOtherMethodsAndMediaTypes() throws Exception {
    assertThat(request("GET", null, new byte[0]).status()).isEqualTo(405);
    assertThat(request("POST", null, "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
    assertThat(request("POST", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(415);
  }

  @Test
  void rejectsMalformedAndInvalidCalls() throws Exception {
    HttpResponse garbage = request("POST", MediaTypes.JSON, "{not json".getBytes(StandardCharsets.UTF_8));
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.bodyText()).startsWith("Failed to parse body into Call protobuf");

    HttpResponse protobufGarbage = request("POST", MediaTypes.PROTOBUF, new byte[] {(byte) 0xff, 0x01, 0x02});
    assertThat(protobufGarbage.status()).isEqualTo(400);

    HttpResponse incomplete = request("POST", MediaTypes.JSON, "{\"type\":\"SUBSCRIBE\"}".getBytes());
    assertThat(incomplete.status()).isEqualTo(400);
    // As in Mesos, JSON missing required fields fails to parse.
    assertThat(incomplete.bodyText()).contains("executor_id");

    HttpResponse incompleteProtobuf = request("POST", MediaTypes.PROTOBUF,
        Call.newBuilder().setType(Call.Type.SUBSCRIBE).buildPartial().toByteArray());
    assertThat(incompleteProtobuf.status()).isEqualTo(400);
    assertThat(incompleteProtobuf.bodyText()).startsWith("Failed to validate Executor::Call: Not initialized");

    Call noUuid = call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue("t1")).setState(TaskState.TASK_RUNNING))).build();
    HttpResponse missingUuid = post(noUuid);
    assertThat(missingUuid.status()).isEqualTo(400);
    assertThat(missingUuid.bodyText()).contains("'TaskStatus.uuid' must be set");

    HttpResponse staging = post(update("t1", TaskState.TASK_STAGING));
    assertThat(staging.status()).isEqualTo(400);
    assertThat(staging.bodyText()).contains("TASK_STAGING");
  }

  @Test
  void rejectsUnknownFrameworksAndExecutorsAndUnsubscribedCalls() throws Exception {
    Call unknownFramework = Call.newBuilder().setFrameworkId(FrameworkID.newBuilder().setValue("nope"))
        .setExecutorId(EXECUTOR).setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance())
        .build();
    HttpResponse r1 = post(unknownFramework);
    assertThat(r1.status()).isEqualTo(400);
    assertThat(r1.bodyText()).isEqualTo("Framework cannot be found");

    Call unknownExecutor = unknownFramework.toBuilder().setFrameworkId(FRAMEWORK)
        .setExecutorId(ExecutorID.newBuilder().setValue("nope")).build();
    HttpResponse r2 = post(unknownExecutor);
    assertThat(r2.status()).isEqualTo(400);
    assertThat(r2.bodyText()).isEqualTo("Executor cannot be found");

    HttpResponse r3 = post(update("t1", TaskState.TASK_RUNNING));
    assertThat(r3.status()).isEqualTo(403);
    assertThat(r3.bodyText()).isEqualTo("Executor is not subscribed");
  }

  @Test
  void subscribeRefusesAnAcceptHeaderWithoutJsonOrProtobuf() throws Exception {
    HttpResponse r = h.http.post(h.agent.address(), "/api/v1/executor", MediaTypes.JSON,
        io.jmesos.json.MesosJson.printBytes(call(Call.Type.SUBSCRIBE)
            .setSubscribe(Call.Subscribe.getDefaultInstance()).build()),
        Map.of("Accept", "text/html")).get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(406);
  }

  @Test
  void protobufSubscriptionDeliversSubscribedAndQueuedLaunchThenTakesUpdates() throws Exception {
    List<Event> events = new CopyOnWriteArrayList<>();
    AtomicInteger status = new AtomicInteger();
    RecordIO.Decoder decoder = new RecordIO.Decoder(1 << 20);
    HttpClient.Stream stream = h.http.stream(h.agent.address(), "POST", "/api/v1/executor",
        Map.of("Content-Type", MediaTypes.PROTOBUF, "Accept", MediaTypes.PROTOBUF),
        call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build().toByteArray(),
        new HttpClient.StreamListener() {
          @Override
          public void onHeaders(int code, Map<String, String> headers) {
            status.set(code);
          }

          @Override
          public void onData(byte[] chunk) {
            for (byte[] record : decoder.feed(chunk)) {
              try {
                events.add(Event.parseFrom(record));
              } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
              }
            }
          }

          @Override
          public void onClosed(Throwable cause) {}
        });
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
      assertThat(status.get()).isEqualTo(200);
      Event subscribed = events.get(0);
      assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
      assertThat(subscribed.getSubscribed().getAgentInfo().getId().getValue()).isEqualTo("M1-S0");
      assertThat(subscribed.getSubscribed().getExecutorInfo().getExecutorId()).isEqualTo(EXECUTOR);
      assertThat(subscribed.getSubscribed().getFrameworkInfo().getName()).isEqualTo("test framework");
      assertThat(subscribed.getSubscribed().hasContainerId()).isTrue();
      assertThat(events.get(1).getType()).isEqualTo(Event.Type.LAUNCH);
      assertThat(events.get(1).getLaunch().getTask().getTaskId().getValue()).isEqualTo("t1");

      Call running = update("t1", TaskState.TASK_RUNNING);
      assertThat(post(running).status()).isEqualTo(202);
      StatusUpdate forwarded = h.awaitUpdate("t1", org.apache.mesos.Protos.TaskState.TASK_RUNNING);
      assertThat(forwarded.getExecutorId().getValue()).isEqualTo("e1");
      assertThat(forwarded.getUuid()).isEqualTo(running.getUpdate().getStatus().getUuid());

      HttpResponse unknownTask = post(update("nope", TaskState.TASK_RUNNING));
      assertThat(unknownTask.status()).isEqualTo(400);
      assertThat(h.metrics().get("slave/invalid_status_updates").asDouble()).isEqualTo(1.0);
      assertThat(h.metrics().get("slave/tasks_running").asDouble()).isEqualTo(1.0);

      h.acknowledge(forwarded);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 3);
      assertThat(events.get(2).getType()).isEqualTo(Event.Type.ACKNOWLEDGED);
      assertThat(events.get(2).getAcknowledged().getUuid()).isEqualTo(forwarded.getUuid());
    } finally {
      stream.close();
    }
  }

  private static Call.Builder call(Call.Type type) {
    return Call.newBuilder().setFrameworkId(FRAMEWORK).setExecutorId(EXECUTOR).setType(type);
  }

  private static Call update(String taskId, TaskState state) {
    ByteString uuid = Tasks.newUuid();
    return call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(taskId)).setState(state).setUuid(uuid))).build();
  }

  private HttpResponse post(Call call) throws Exception {
    return request("POST", MediaTypes.PROTOBUF, call.toByteArray());
  }

  private HttpResponse request(String method, String contentType, byte[] body) throws Exception {
    Map<String, String> headers = contentType == null ? Map.of() : Map.of("Content-Type", contentType);
    return h.http.request(h.agent.address(), method, "/api/v1/executor", headers, body).get(10, TimeUnit.SECONDS);
  }
}
