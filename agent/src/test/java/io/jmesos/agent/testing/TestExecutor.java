package io.jmesos.agent.testing;

import com.google.protobuf.ByteString;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.recordio.RecordIO;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A tiny executor for the agent's tests, run as a real process. It subscribes over the v1 executor API in
 * JSON and acts on each task's {@code data}: "finish" sends TASK_RUNNING then TASK_FINISHED, "exit3" sends
 * TASK_RUNNING then exits with status 3, "hang" sends TASK_RUNNING and waits for a KILL (then TASK_KILLED).
 * It exits once a terminal update is acknowledged, on SHUTDOWN, or after 60 seconds whatever happens.
 */
public final class TestExecutor {
  private static HttpClient client;
  private static InetSocketAddress agent;
  private static FrameworkID frameworkId;
  private static ExecutorID executorId;
  private static final java.util.Set<ByteString> TERMINAL_UUIDS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private TestExecutor() {}

  public static void main(String[] args) throws Exception {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(9);
    });
    watchdog.setDaemon(true);
    watchdog.start();
    Map<String, String> env = System.getenv();
    System.out.println("test executor starting in " + env.get("MESOS_SANDBOX"));
    System.out.println("MESOS_SLAVE_ID=" + env.get("MESOS_SLAVE_ID"));
    System.out.println("MESOS_EXECUTOR_ID=" + env.get("MESOS_EXECUTOR_ID"));
    System.out.flush();
    String[] endpoint = env.get("MESOS_AGENT_ENDPOINT").split(":");
    agent = new InetSocketAddress(endpoint[0], Integer.parseInt(endpoint[1]));
    frameworkId = FrameworkID.newBuilder().setValue(env.get("MESOS_FRAMEWORK_ID")).build();
    executorId = ExecutorID.newBuilder().setValue(env.get("MESOS_EXECUTOR_ID")).build();
    client = new HttpClient("test-executor");
    CountDownLatch done = new CountDownLatch(1);
    RecordIO.Decoder decoder = new RecordIO.Decoder(16 << 20);
    Call subscribe = Call.newBuilder().setFrameworkId(frameworkId).setExecutorId(executorId)
        .setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build();
    client.stream(agent, "POST", "/api/v1/executor",
        Map.of("Content-Type", MediaTypes.JSON, "Accept", MediaTypes.JSON), MesosJson.printBytes(subscribe),
        new HttpClient.StreamListener() {
          @Override
          public void onHeaders(int status, Map<String, String> headers) {
            if (status != 200) {
              System.err.println("subscribe failed with " + status);
              done.countDown();
            }
          }

          @Override
          public void onData(byte[] chunk) {
            for (byte[] record : decoder.feed(chunk)) {
              Event event = MesosJson.parse(record, Event.newBuilder()).build();
              new Thread(() -> handle(event, done)).start();
            }
          }

          @Override
          public void onClosed(Throwable cause) {
            done.countDown();
          }
        });
    done.await(60, TimeUnit.SECONDS);
    System.out.println("test executor exiting");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static void handle(Event event, CountDownLatch done) {
    try {
      System.out.println("event " + event.getType());
      System.out.flush();
      switch (event.getType()) {
        case LAUNCH: {
          TaskInfo task = event.getLaunch().getTask();
          String mode = task.getData().toStringUtf8();
          update(task.getTaskId(), TaskState.TASK_RUNNING);
          if (mode.equals("finish")) {
            update(task.getTaskId(), TaskState.TASK_FINISHED);
          } else if (mode.equals("exit3")) {
            System.out.flush();
            Runtime.getRuntime().halt(3);
          }
          break;
        }
        case KILL:
          update(event.getKill().getTaskId(), TaskState.TASK_KILLED);
          break;
        case ACKNOWLEDGED:
          if (TERMINAL_UUIDS.contains(event.getAcknowledged().getUuid())) {
            done.countDown();
          }
          break;
        case SHUTDOWN:
          done.countDown();
          break;
        default:
          break;
      }
    } catch (Exception e) {
      e.printStackTrace();
      Runtime.getRuntime().halt(2);
    }
  }

  private static void update(TaskID taskId, TaskState state) throws Exception {
    UUID uuid = UUID.randomUUID();
    ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits());
    Call call = Call.newBuilder().setFrameworkId(frameworkId).setExecutorId(executorId)
        .setType(Call.Type.UPDATE)
        .setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder()
            .setTaskId(taskId).setState(state).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
            .setUuid(ByteString.copyFrom(bytes.array()))))
        .build();
    if (state != TaskState.TASK_RUNNING) {
      TERMINAL_UUIDS.add(call.getUpdate().getStatus().getUuid());
    }
    HttpResponse response = client.post(agent, "/api/v1/executor", MediaTypes.JSON, MesosJson.printBytes(call),
        Map.of()).get(10, TimeUnit.SECONDS);
    System.out.println("update " + state + " -> " + response.status());
    System.out.flush();
  }
}
