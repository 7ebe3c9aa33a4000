package io.jmesos.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.net.InetSocketAddress;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.SchedulerDriver;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * What the scheduler failover scenarios share: framework infos, a scheduler that counts registrations and
 * waits for errors, real tasks whose processes a test can find, a real custom executor, and the master's
 * views of frameworks, tasks and executors.
 */
final class Failovers {
  private Failovers() {}

  /** A framework as Mesos' tests' {@code DEFAULT_FRAMEWORK_INFO} is (no failover timeout), named. */
  static FrameworkInfo.Builder framework(String name) {
    return FrameworkInfo.newBuilder().setName(name).setUser("");
  }

  /** A framework that survives {@code failoverTimeoutSeconds} of disconnection. */
  static FrameworkInfo framework(String name, double failoverTimeoutSeconds) {
    return framework(name).setFailoverTimeout(failoverTimeoutSeconds).build();
  }

  /** {@code info} for a scheduler failing over to framework {@code id}, under another name. */
  static FrameworkInfo failingOver(FrameworkInfo info, FrameworkID id, String name) {
    return info.toBuilder().setId(id).setName(name).build();
  }

  /**
   * A {@link RecordingScheduler} that also counts {@code registered} callbacks, waits for the first
   * {@code error} and counts the callbacks that came after it (an aborted driver must stay silent).
   */
  static final class FailoverScheduler extends RecordingScheduler {
    private final AtomicInteger registrations = new AtomicInteger();
    private final CompletableFuture<String> error = new CompletableFuture<>();
    private final AtomicInteger afterError = new AtomicInteger();

    int registrations() {
      return registrations.get();
    }

    /** The message of the first {@code error}, waiting up to {@link RecordingScheduler#WAIT}. */
    String awaitError() throws Exception {
      return error.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    CompletableFuture<String> error() {
      return error;
    }

    int callbacksAfterError() {
      return afterError.get();
    }

    private void noteCallback() {
      if (error.isDone()) {
        afterError.incrementAndGet();
      }
    }

    @Override
    public void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo) {
      noteCallback();
      registrations.incrementAndGet();
      super.registered(driver, frameworkId, masterInfo);
    }

    @Override
    public void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {
      noteCallback();
      super.reregistered(driver, masterInfo);
    }

    @Override
    public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
      noteCallback();
      super.resourceOffers(driver, offers);
    }

    @Override
    public void statusUpdate(SchedulerDriver driver, org.apache.mesos.Protos.TaskStatus status) {
      noteCallback();
      super.statusUpdate(driver, status);
    }

    @Override
    public void disconnected(SchedulerDriver driver) {
      noteCallback();
      super.disconnected(driver);
    }

    @Override
    public void error(SchedulerDriver driver, String message) {
      noteCallback();
      super.error(driver, message);
      error.complete(message);
    }
  }

  // ---- Real tasks and executors.

  /**
   * A long command task ({@code sleep 1000}) whose shell carries a unique marker in its command line, so that
   * the test can find its processes and see them end.
   */
  static final class MarkedTask {
    final TaskInfo task;
    final String marker;

    MarkedTask(Offer offer, String id) {
      this.marker = "ft-" + id + "-" + UUID.randomUUID();
      // "; :" keeps the shell (and its command line) alive as the parent of sleep.
      this.task = Scenarios.task(offer, id, "sleep 1000; : " + marker);
    }

    /** The task's live processes (the shell; sleep is its child). */
    List<ProcessHandle> processes() {
      return Failovers.processes(marker);
    }
  }

  /** The live descendants of this JVM whose command line contains {@code marker}. */
  static List<ProcessHandle> processes(String marker) {
    List<ProcessHandle> found = new ArrayList<>();
    ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .forEach(found::add);
    return found;
  }

  /** Waits up to 10 s for each of {@code processes} to end; true if all did. */
  static boolean ended(List<ProcessHandle> processes) throws InterruptedException {
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        return false;
      }
    }
    return true;
  }

  /** {@link StayingExecutor} as a real JVM, its command line carrying {@code marker}. */
  static ExecutorInfo stayingExecutor(String id, String marker) {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String command = "exec '" + java + "' -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dft.marker=" + marker
        + " -cp '" + System.getProperty("java.class.path") + "' " + StayingExecutor.class.getName();
    return ExecutorInfo.newBuilder()
        .setExecutorId(ExecutorID.newBuilder().setValue(id))
        .setName("staying executor")
        .setCommand(CommandInfo.newBuilder().setValue(command).setShell(true))
        .addResources(Scenarios.scalar("cpus", 0.1))
        .addResources(Scenarios.scalar("mem", 64))
        .build();
  }

  /** A task for {@code executor} on {@code offer}: cpus 0.1, mem 32, no command of its own. */
  static TaskInfo executorTask(Offer offer, String id, ExecutorInfo executor) {
    return Scenarios.task(offer, id, "").toBuilder().clearCommand().setExecutor(executor).build();
  }

  // ---- The master's views.

  /** Framework {@code id} in {@code section} ("frameworks" or "completed_frameworks") of /state, or null. */
  static JsonNode framework(JsonNode state, String section, FrameworkID id) {
    for (JsonNode framework : state.path(section)) {
      if (framework.path("id").asText().equals(id.getValue())) {
        return framework;
      }
    }
    return null;
  }

  /** The ids of the frameworks in {@code section} of /state. */
  static List<String> frameworkIds(JsonNode state, String section) {
    List<String> ids = new ArrayList<>();
    state.path(section).forEach(f -> ids.add(f.path("id").asText()));
    return ids;
  }

  /** The master's v1 operator API answer to a call of {@code type} without arguments (protobuf). */
  static Response operator(FaultCluster cluster, Call.Type type) throws Exception {
    String[] hostPort = cluster.masterUrl().split(":");
    InetSocketAddress master = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    try (HttpClient http = new HttpClient("failover-operator")) {
      HttpResponse response = http.post(master, "/api/v1", MediaTypes.PROTOBUF,
          Call.newBuilder().setType(type).build().toByteArray(), Map.of("Accept", MediaTypes.PROTOBUF))
          .get(10, TimeUnit.SECONDS);
      if (response.status() != 200) {
        throw new AssertionError(type + " answered " + response.status() + ": " + response.bodyText());
      }
      return Response.parseFrom(response.body());
    }
  }

  /** Every copy of task {@code id} the master's GET_TASKS lists, with where: "tasks", "completed_tasks", ... */
  static Map<String, List<org.apache.mesos.v1.Protos.Task>> operatorTasks(FaultCluster cluster, String id)
      throws Exception {
    Response.GetTasks tasks = operator(cluster, Call.Type.GET_TASKS).getGetTasks();
    return Map.of(
        "tasks", matching(tasks.getTasksList(), id),
        "unreachable_tasks", matching(tasks.getUnreachableTasksList(), id),
        "completed_tasks", matching(tasks.getCompletedTasksList(), id));
  }

  private static List<org.apache.mesos.v1.Protos.Task> matching(List<org.apache.mesos.v1.Protos.Task> tasks,
      String id) {
    return tasks.stream().filter(t -> t.getTaskId().getValue().equals(id)).toList();
  }
}
