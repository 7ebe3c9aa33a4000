package io.jmesos.executor;

import io.jmesos.http.EventStream;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.recordio.RecordIO;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MesosServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.awaitility.Awaitility;

/**
 * An agent's executor API in a test: {@code POST /api/v1/executor} on a real {@link MesosServer}. SUBSCRIBE
 * gets a RecordIO stream starting with SUBSCRIBED; other calls are recorded and answered 202; UPDATEs are
 * acknowledged unless {@link #autoAcknowledge} is off. Thread-safe.
 */
public final class FakeAgent implements AutoCloseable {
  public static final String FRAMEWORK_ID = "framework-1";
  public static final String EXECUTOR_ID = "executor-1";
  public static final AgentID AGENT_ID = AgentID.newBuilder().setValue("agent-S0").build();

  private final MesosServer server;
  private final InetSocketAddress address;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicReference<EventStream> stream = new AtomicReference<>();
  public volatile boolean autoAcknowledge = true;
  public volatile FrameworkInfo frameworkInfo = FrameworkInfo.newBuilder().setUser("test").setName("test")
      .setId(FrameworkID.newBuilder().setValue(FRAMEWORK_ID)).build();

  public FakeAgent() throws InterruptedException {
    HttpRouter router = new HttpRouter().route((request, responder) -> {
      Call call;
      try {
        call = Call.parseFrom(request.body());
      } catch (Exception e) {
        responder.respond(HttpResponse.text(400, "Failed to parse body into Call: " + e.getMessage()));
        return;
      }
      calls.add(call);
      if (call.getType() == Call.Type.SUBSCRIBE) {
        EventStream s = responder.stream(200, Map.of("Content-Type", "application/x-protobuf"));
        EventStream previous = stream.getAndSet(s);
        if (previous != null) {
          previous.close();
        }
        s.send(RecordIO.encode(subscribed().toByteArray()));
        return;
      }
      responder.respond(HttpResponse.accepted());
      if (call.getType() == Call.Type.UPDATE && autoAcknowledge) {
        acknowledge(call.getUpdate());
      }
    }, "/api/v1/executor");
    server = new MesosServer("fake-agent", new InetSocketAddress("127.0.0.1", 0), router, null, Limits.DEFAULT);
    address = server.start();
  }

  public InetSocketAddress address() {
    return address;
  }

  /** The executor environment an agent would set for {@link #EXECUTOR_ID}. */
  public Map<String, String> environment(boolean checkpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("MESOS_FRAMEWORK_ID", FRAMEWORK_ID);
    env.put("MESOS_EXECUTOR_ID", EXECUTOR_ID);
    env.put("MESOS_AGENT_ENDPOINT", address.getHostString() + ":" + address.getPort());
    env.put("MESOS_CHECKPOINT", checkpoint ? "1" : "0");
    env.put("MESOS_RECOVERY_TIMEOUT", "1mins");
    env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs");
    env.put("MESOS_LOCAL", "1");
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    return env;
  }

  private Event subscribed() {
    return Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setExecutorInfo(ExecutorInfo.newBuilder()
            .setExecutorId(ExecutorID.newBuilder().setValue(EXECUTOR_ID))
            .setFrameworkId(FrameworkID.newBuilder().setValue(FRAMEWORK_ID))
            .setCommand(CommandInfo.newBuilder().setValue("executor")))
        .setFrameworkInfo(frameworkInfo)
        .setAgentInfo(AgentInfo.newBuilder().setHostname("agent-host").setId(AGENT_ID)))
        .build();
  }

  /** Sends an event on the current stream. */
  public void send(Event event) {
    EventStream s = stream.get();
    if (s == null) {
      throw new IllegalStateException("No executor subscribed");
    }
    s.send(RecordIO.encode(event.toByteArray()));
  }

  public void acknowledge(Call.Update update) {
    send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
        .setTaskId(update.getStatus().getTaskId()).setUuid(update.getStatus().getUuid())).build());
  }

  public void launch(TaskInfo task) {
    send(Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder().setTask(task)).build());
  }

  public void kill(String taskId) {
    send(Event.newBuilder().setType(Event.Type.KILL)
        .setKill(Event.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId))).build());
  }

  public void shutdown() {
    send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
  }

  /** Ends the current SUBSCRIBE stream, as an agent restart would. */
  public void dropStream() {
    EventStream s = stream.getAndSet(null);
    if (s != null) {
      s.close();
    }
  }

  public List<Call> calls() {
    return new ArrayList<>(calls);
  }

  public List<Call> calls(Call.Type type) {
    List<Call> result = new ArrayList<>();
    for (Call c : calls) {
      if (c.getType() == type) {
        result.add(c);
      }
    }
    return result;
  }

  /** Waits until at least {@code n} calls of {@code type} arrived and returns the n-th (1-based). */
  public Call awaitCall(Call.Type type, int n) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> calls(type).size() >= n);
    return calls(type).get(n - 1);
  }

  /** Waits until an executor holds a SUBSCRIBE stream. */
  public void awaitSubscribed() {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stream.get() != null);
  }

  public static TaskInfo task(String id, CommandInfo command) {
    TaskInfo.Builder task = TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AGENT_ID);
    if (command != null) {
      task.setCommand(command);
    }
    return task.build();
  }

  @Override
  public void close() {
    dropStream();
    server.close();
  }
}
