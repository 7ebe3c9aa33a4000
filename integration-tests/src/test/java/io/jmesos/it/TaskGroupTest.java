package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.dist.LocalCluster;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.master.testing.TestScheduler;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Task groups end to end: a v1 framework speaking the scheduler API over HTTP sends LAUNCH_GROUP with a DEFAULT
 * executor to a real in-process master and agent; the agent's default executor runs each task in a nested
 * container. Also the agent's nested container calls against that executor's container.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@SuppressWarnings("deprecation") // Mesos' deprecated *_NESTED_CONTAINER calls are used as the default executor does.
class TaskGroupTest {
  private static final Set<TaskState> TERMINAL = EnumSet.of(TaskState.TASK_FINISHED, TaskState.TASK_FAILED,
      TaskState.TASK_KILLED, TaskState.TASK_LOST, TaskState.TASK_ERROR, TaskState.TASK_DROPPED, TaskState.TASK_GONE);
  private Path work;
  private LocalCluster cluster;
  private TestScheduler scheduler;
  /** Every state each task went through, in order. */
  private final Map<String, List<TaskState>> states = new LinkedHashMap<>();
  private final Map<String, TaskStatus> last = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "task-group-");
    cluster = LocalCluster.start("127.0.0.1", 0, 1, work, "cpus:4;mem:2048", Map.of());
    scheduler = new TestScheduler(cluster.masterAddress(), true);
    scheduler.subscribe(TestScheduler.frameworkInfo().setUser(System.getProperty("user.name")).build());
  }

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    cluster.close();
  }

  private static List<Resource> resources(Offer offer, double cpus, double mem) {
    return offer.getResourcesList().stream()
        .filter(r -> r.getName().equals("cpus") || r.getName().equals("mem"))
        .map(r -> r.toBuilder().setScalar(r.getScalar().toBuilder()
            .setValue(r.getName().equals("cpus") ? cpus : mem)).build())
        .collect(Collectors.toList());
  }

  private static ExecutorInfo executor(Offer offer, FrameworkID frameworkId) {
    return ExecutorInfo.newBuilder().setType(ExecutorInfo.Type.DEFAULT)
        .setExecutorId(ExecutorID.newBuilder().setValue("default"))
        .setFrameworkId(frameworkId)
        .addAllResources(resources(offer, 0.1, 32))
        .build();
  }

  private static TaskInfo task(Offer offer, String id, String shell) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(offer.getAgentId())
        .addAllResources(resources(offer, 0.1, 32))
        .setCommand(CommandInfo.newBuilder().setValue(shell))
        .build();
  }

  private void launchGroup(Offer offer, ExecutorInfo executor, TaskInfo... tasks) throws Exception {
    HttpResponse accepted = scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept
        .newBuilder().addOfferIds(offer.getId())
        .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH_GROUP)
            .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                .setTaskGroup(TaskGroupInfo.newBuilder().addAllTasks(List.of(tasks)))))));
    assertThat(accepted.status()).isEqualTo(202);
  }

  /** Takes updates (acknowledging each) until every given task satisfies {@code done}. */
  private void awaitTasks(Predicate<TaskStatus> done, String... taskIds) throws Exception {
    while (!List.of(taskIds).stream().allMatch(id -> last.containsKey(id) && done.test(last.get(id)))) {
      TaskStatus status = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
      states.computeIfAbsent(status.getTaskId().getValue(), k -> new ArrayList<>()).add(status.getState());
      last.put(status.getTaskId().getValue(), status);
      if (status.hasUuid()) {
        scheduler.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())));
      }
    }
  }

  private static Predicate<TaskStatus> in(TaskState state) {
    return s -> s.getState() == state;
  }

  @Test
  void twoTasksOfAGroupFinishAndOneFailingKillsTheOther() throws Exception {
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    ExecutorInfo executor = executor(offer, scheduler.frameworkId());
    launchGroup(offer, executor, task(offer, "one", "echo one"), task(offer, "two", "echo two"));

    awaitTasks(s -> TERMINAL.contains(s.getState()), "one", "two");
    assertThat(states.get("one")).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
        TaskState.TASK_FINISHED);
    assertThat(states.get("two")).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
        TaskState.TASK_FINISHED);
    assertThat(Files.readString(taskSandbox("one").resolve("stdout"))).isEqualTo("one\n");

    // The executor is gone with its last task: its resources come back, and a new group gets a new executor.
    Offer next = nextOffer();
    launchGroup(next, executor(next, scheduler.frameworkId()), task(next, "fails", "exit 1"),
        task(next, "sleeps", "sleep 1000"));
    awaitTasks(s -> TERMINAL.contains(s.getState()), "fails", "sleeps");
    assertThat(last.get("fails").getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(last.get("fails").getMessage()).isEqualTo("Command exited with status 1");
    assertThat(last.get("sleeps").getState()).isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  void secondGroupRunsInTheSameExecutorAndNestedContainerCallsReachIt() throws Exception {
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    ExecutorInfo executor = executor(offer, scheduler.frameworkId());
    launchGroup(offer, executor, task(offer, "long", "sleep 1000"));
    awaitTasks(in(TaskState.TASK_RUNNING), "long");

    Offer next = nextOffer();
    launchGroup(next, executor, task(next, "short", "echo short"));
    awaitTasks(in(TaskState.TASK_FINISHED), "short");
    assertThat(taskSandbox("short").getParent().getParent()).isEqualTo(taskSandbox("long").getParent().getParent());

    // The nested container calls, straight to the agent, under the default executor's container.
    InetSocketAddress agent = cluster.agents().get(0).address();
    HttpClient http = new HttpClient("task-group-test");
    try {
      org.apache.mesos.v1.agent.Protos.Response containers = agentCall(http, agent,
          org.apache.mesos.v1.agent.Protos.Call.newBuilder()
              .setType(org.apache.mesos.v1.agent.Protos.Call.Type.GET_CONTAINERS)
              .setGetContainers(org.apache.mesos.v1.agent.Protos.Call.GetContainers.newBuilder().setShowNested(true))
              .build(), 200);
      List<org.apache.mesos.v1.agent.Protos.Response.GetContainers.Container> listed =
          containers.getGetContainers().getContainersList();
      ContainerID parent = listed.stream().filter(c -> !c.getContainerId().hasParent()).findFirst().orElseThrow()
          .getContainerId();
      assertThat(listed).filteredOn(c -> c.getContainerId().hasParent())
          .extracting(c -> c.getContainerId().getParent()).containsExactly(parent);

      ContainerID child = ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).setParent(parent).build();
      agentCall(http, agent, org.apache.mesos.v1.agent.Protos.Call.newBuilder()
          .setType(org.apache.mesos.v1.agent.Protos.Call.Type.LAUNCH_NESTED_CONTAINER)
          .setLaunchNestedContainer(org.apache.mesos.v1.agent.Protos.Call.LaunchNestedContainer.newBuilder()
              .setContainerId(child).setCommand(CommandInfo.newBuilder().setValue("exit 2")))
          .build(), 200);
      org.apache.mesos.v1.agent.Protos.Response waited = agentCall(http, agent,
          org.apache.mesos.v1.agent.Protos.Call.newBuilder()
              .setType(org.apache.mesos.v1.agent.Protos.Call.Type.WAIT_NESTED_CONTAINER)
              .setWaitNestedContainer(org.apache.mesos.v1.agent.Protos.Call.WaitNestedContainer.newBuilder()
                  .setContainerId(child))
              .build(), 200);
      assertThat(waited.getWaitNestedContainer().getExitStatus()).isEqualTo(2 << 8);
      ContainerID unknown = child.toBuilder().setValue(UUID.randomUUID().toString()).build();
      agentCall(http, agent, org.apache.mesos.v1.agent.Protos.Call.newBuilder()
          .setType(org.apache.mesos.v1.agent.Protos.Call.Type.KILL_NESTED_CONTAINER)
          .setKillNestedContainer(org.apache.mesos.v1.agent.Protos.Call.KillNestedContainer.newBuilder()
              .setContainerId(unknown))
          .build(), 404);
      agentCall(http, agent, org.apache.mesos.v1.agent.Protos.Call.newBuilder()
          .setType(org.apache.mesos.v1.agent.Protos.Call.Type.WAIT_NESTED_CONTAINER)
          .setWaitNestedContainer(org.apache.mesos.v1.agent.Protos.Call.WaitNestedContainer.newBuilder()
              .setContainerId(parent))
          .build(), 400);
    } finally {
      http.close();
    }

    // A kill of the remaining task ends it, and the executor with it.
    scheduler.call(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue("long")).setAgentId(offer.getAgentId())));
    awaitTasks(in(TaskState.TASK_KILLED), "long");
  }

  private Offer nextOffer() throws Exception {
    while (true) {
      Event e = scheduler.expect(Event.Type.OFFERS);
      if (e.getOffers().getOffersCount() > 0) {
        return e.getOffers().getOffers(0);
      }
    }
  }

  /** {@code tasks/<id>} under the default executor's sandbox, resolved to the task's nested sandbox. */
  private Path taskSandbox(String taskId) throws Exception {
    try (var files = Files.walk(work)) {
      Path link = files.filter(p -> p.endsWith(Path.of("tasks", taskId))
          && p.toString().contains("/executors/default/runs/")).findFirst().orElseThrow();
      return link.toRealPath();
    }
  }

  private static org.apache.mesos.v1.agent.Protos.Response agentCall(HttpClient http, InetSocketAddress agent,
      org.apache.mesos.v1.agent.Protos.Call call, int status) throws Exception {
    HttpResponse response = http.post(agent, "/api/v1", MediaTypes.JSON, MesosJson.printBytes(call),
        Map.of("Accept", MediaTypes.JSON)).get(30, TimeUnit.SECONDS);
    assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
    return status == 200 && response.body().length > 0
        ? MesosJson.parse(response.body(), org.apache.mesos.v1.agent.Protos.Response.newBuilder()).build()
        : null;
  }
}
