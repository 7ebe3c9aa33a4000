package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.testing.TestScheduler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OperationID;
import org.apache.mesos.v1.Protos.OperationState;
import org.apache.mesos.v1.Protos.OperationStatus;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.Protos.Volume;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15's flows end to end on real {@code bin/mesos-master} and {@code bin/mesos-agent} processes, driven by a
 * v1 framework over the scheduler HTTP API as third-party frameworks do: a dynamic reservation and a persistent
 * volume made in one ACCEPT with operation feedback; a task writes to the volume and a second one reads it; the
 * agent is killed with {@code kill -9} and restarted, and the volume and reservation come back in its offers with
 * the data; DESTROY and UNRESERVE remove them (the volume's directory goes). Then a task group under the default
 * executor where one task fails and the other is killed, and an agent drained by the operator API.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StatefulWorkloadsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE = "db";
  private static final String PRINCIPAL = "db-principal";
  private static final String USER = System.getProperty("user.name");
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(200);
  /** Between two rounds of event handling (each waits up to 500 ms for events itself). */
  private static final Duration PUMP = Duration.ofMillis(1);

  @Test
  void reservationVolumeTaskGroupAndDrainOnRealProcesses() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "stateful-")
        .toAbsolutePath();
    int masterPort = Processes.freePort();
    int agentPort = Processes.freePort();
    InetSocketAddress master = new InetSocketAddress("127.0.0.1", masterPort);
    Path agentWork = work.resolve("agent");
    String[] agentArgs = {"--master=127.0.0.1:" + masterPort, "--ip=127.0.0.1", "--port=" + agentPort,
        "--work_dir=" + agentWork, "--resources=cpus:2;mem:1024;disk:1024", "--command_executor=embedded"};

    try (Processes processes = new Processes(work.resolve("logs"));
        HttpClient http = new HttpClient("stateful-it")) {
      processes.start("master", "mesos-master", "--ip=127.0.0.1", "--port=" + masterPort,
          "--work_dir=" + work.resolve("master"), "--allocation_interval=100ms");
      Process agent = processes.start("agent", "mesos-agent", agentArgs);
      String agentId = Polls.awaitValue("agent registered", WITHIN, POLL, () -> {
        JsonNode slaves = state(http, master).path("slaves");
        return slaves.size() == 1 ? Optional.of(slaves.get(0).path("id").asText()) : Optional.empty();
      });

      try (Framework framework = new Framework(new TestScheduler(master, false))) {
        framework.subscribe();

        // RESERVE, CREATE and a LAUNCH that uses both, in one ACCEPT, with operation ids.
        Offer first = framework.awaitOffer(o -> scalar(o, "disk", false) >= 64);
        Resource volume = volume(reserved("disk", 64));
        framework.accept(first, List.of(
            operation("reserve-1", Offer.Operation.newBuilder().setType(Offer.Operation.Type.RESERVE)
                .setReserve(Offer.Operation.Reserve.newBuilder()
                    .addResources(reserved("cpus", 1)).addResources(reserved("mem", 256))
                    .addResources(reserved("disk", 64)))),
            operation("create-1", Offer.Operation.newBuilder().setType(Offer.Operation.Type.CREATE)
                .setCreate(Offer.Operation.Create.newBuilder().addVolumes(volume))),
            launch(task("writer", first.getAgentId(), "echo persisted > data/file", volume))));
        framework.awaitOperation("reserve-1", OperationState.OPERATION_FINISHED);
        framework.awaitOperation("create-1", OperationState.OPERATION_FINISHED);
        framework.awaitTask("writer", TaskState.TASK_FINISHED);
        Path volumeDir = agentWork.resolve("volumes").resolve("roles").resolve(ROLE).resolve("data");
        assertThat(volumeDir.resolve("file")).hasContent("persisted");

        // The reservation and the volume come back to the role; a second task reads what the first wrote.
        Offer withVolume = framework.awaitOffer(StatefulWorkloadsIT::hasVolume);
        assertThat(scalar(withVolume, "cpus", true)).isPositive();
        framework.accept(withVolume, List.of(launch(task("reader", withVolume.getAgentId(),
            "test \"$(cat data/file)\" = persisted", volume))));
        framework.awaitTask("reader", TaskState.TASK_FINISHED);

        // kill -9 the agent and restart it: resources.info brings the reservation and the volume back.
        Processes.kill9(agent);
        agent = processes.start("agent-2", "mesos-agent", agentArgs);
        Polls.eventually("the agent re-registered", WITHIN, POLL, () -> {
          JsonNode slave = state(http, master).path("slaves").get(0);
          assertThat(slave.has("reregistered_time") && slave.path("active").asBoolean()).isTrue();
        });
        Offer afterRestart = framework.awaitOffer(StatefulWorkloadsIT::hasVolume);
        assertThat(afterRestart.getAgentId().getValue()).isEqualTo(agentId);
        framework.accept(afterRestart, List.of(launch(task("reader-2", afterRestart.getAgentId(),
            "test \"$(cat data/file)\" = persisted", volume))));
        framework.awaitTask("reader-2", TaskState.TASK_FINISHED);

        // DESTROY and UNRESERVE: the directory goes and the resources are offered unreserved.
        // Offers may split the reservation: wait for one that holds all of it (declined offers come back whole).
        Offer toRelease = framework.awaitOffer(o -> hasVolume(o) && scalar(o, "cpus", true) >= 0.999
            && scalar(o, "mem", true) >= 255.999);
        framework.accept(toRelease, List.of(
            operation("destroy-1", Offer.Operation.newBuilder().setType(Offer.Operation.Type.DESTROY)
                .setDestroy(Offer.Operation.Destroy.newBuilder().addVolumes(volume))),
            operation("unreserve-1", Offer.Operation.newBuilder().setType(Offer.Operation.Type.UNRESERVE)
                .setUnreserve(Offer.Operation.Unreserve.newBuilder()
                    .addResources(reserved("cpus", 1)).addResources(reserved("mem", 256))
                    .addResources(reserved("disk", 64))))));
        framework.awaitOperation("destroy-1", OperationState.OPERATION_FINISHED);
        framework.awaitOperation("unreserve-1", OperationState.OPERATION_FINISHED);
        Polls.eventually("the volume's directory is removed", WITHIN, POLL,
            () -> assertThat(volumeDir).doesNotExist());
        Offer released = framework.awaitOffer(o -> scalar(o, "cpus", false) >= 1.999);
        assertThat(scalar(released, "cpus", true) + scalar(released, "disk", true)).isZero();

        // A task group under the default executor: one task fails, the other is killed.
        ExecutorInfo executor = ExecutorInfo.newBuilder().setType(ExecutorInfo.Type.DEFAULT)
            .setExecutorId(ExecutorID.newBuilder().setValue("group-executor"))
            .setFrameworkId(framework.scheduler.frameworkId())
            .addResources(unreserved("cpus", 0.1)).addResources(unreserved("mem", 32))
            .addResources(unreserved("disk", 32))
            .build();
        framework.accept(released, List.of(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH_GROUP)
            .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                .setTaskGroup(TaskGroupInfo.newBuilder()
                    .addTasks(task("sleeper", released.getAgentId(), "sleep 1000"))
                    .addTasks(task("failer", released.getAgentId(), "sleep 1; exit 3"))))
            .build()));
        framework.awaitTask("failer", TaskState.TASK_FAILED);
        framework.awaitTask("sleeper", TaskState.TASK_KILLED);
        assertThat(framework.states("sleeper")).contains(TaskState.TASK_RUNNING);

        // Drain the agent while a task runs: the task is killed and the agent ends DRAINED.
        Offer beforeDrain = framework.awaitOffer(o -> scalar(o, "cpus", false) >= 1);
        framework.accept(beforeDrain, List.of(launch(task("long", beforeDrain.getAgentId(), "sleep 1000"))));
        framework.awaitTask("long", TaskState.TASK_RUNNING);
        HttpResponse drain = operator(http, master, "{\"type\": \"DRAIN_AGENT\", \"drain_agent\": {\"agent_id\": "
            + "{\"value\": \"" + agentId + "\"}, \"max_grace_period\": {\"nanoseconds\": 1000000000}}}");
        assertThat(drain.status()).as(drain.bodyText()).isEqualTo(200);
        framework.awaitTask("long", TaskState.TASK_KILLED);
        Polls.eventually("the agent is drained", WITHIN, POLL, () -> {
          JsonNode slave = state(http, master).path("slaves").get(0);
          assertThat(slave.path("deactivated").asBoolean()).isTrue();
          assertThat(slave.path("drain_info").path("state").asText()).isEqualTo("DRAINED");
        });
        HttpResponse reactivate = operator(http, master, "{\"type\": \"REACTIVATE_AGENT\", \"reactivate_agent\": "
            + "{\"agent_id\": {\"value\": \"" + agentId + "\"}}}");
        assertThat(reactivate.status()).as(reactivate.bodyText()).isEqualTo(200);
        framework.awaitOffer(o -> o.getAgentId().getValue().equals(agentId));
      }
    }
  }

  /** A v1 framework in role {@link #ROLE}: acknowledges every update and records tasks' and operations' states. */
  private static final class Framework implements AutoCloseable {
    private final TestScheduler scheduler;
    private final Map<String, List<TaskState>> tasks = new ConcurrentHashMap<>();
    private final Map<String, List<OperationState>> operations = new ConcurrentHashMap<>();
    private final List<Offer> offers = new ArrayList<>();

    Framework(TestScheduler scheduler) {
      this.scheduler = scheduler;
    }

    void subscribe() throws Exception {
      FrameworkInfo info = TestScheduler.frameworkInfo().setUser(USER).setPrincipal(PRINCIPAL).clearRoles()
          .addRoles(ROLE).clearCapabilities()
          .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
          .addCapabilities(FrameworkInfo.Capability.newBuilder()
              .setType(FrameworkInfo.Capability.Type.RESERVATION_REFINEMENT))
          .build();
      assertThat(scheduler.subscribe(info).getType()).isEqualTo(Event.Type.SUBSCRIBED);
    }

    /** Waits for an offer that matches, declining (for no time) the ones that do not. */
    Offer awaitOffer(Predicate<Offer> wanted) throws Exception {
      return Polls.awaitValue("an offer as wanted; tasks " + tasks, WITHIN, PUMP, () -> {
        pump(500);
        for (Offer offer : List.copyOf(offers)) {
          offers.remove(offer);
          if (wanted.test(offer)) {
            return Optional.of(offer);
          }
          decline(offer);
        }
        return Optional.empty();
      });
    }

    void awaitTask(String id, TaskState state) {
      Polls.eventually("task " + id + " " + state, WITHIN, PUMP, () -> {
        pump(500);
        assertThat(tasks.getOrDefault(id, List.of())).as("tasks " + tasks).contains(state);
      });
    }

    void awaitOperation(String id, OperationState state) {
      Polls.eventually("operation " + id + " " + state, WITHIN, PUMP, () -> {
        pump(500);
        assertThat(operations.getOrDefault(id, List.of())).as("operations " + operations).contains(state);
      });
    }

    List<TaskState> states(String id) {
      return tasks.getOrDefault(id, List.of());
    }

    void accept(Offer offer, List<Offer.Operation> operations) throws Exception {
      HttpResponse response = scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT)
          .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId()).addAllOperations(operations)
              .setFilters(Filters.newBuilder().setRefuseSeconds(0))));
      assertThat(response.status()).as(response.bodyText()).isEqualTo(202);
    }

    private void decline(Offer offer) throws Exception {
      scheduler.call(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
          .addOfferIds(offer.getId()).setFilters(Filters.newBuilder().setRefuseSeconds(0))));
    }

    /** Handles the events that arrive within {@code millis}. */
    private void pump(long millis) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      Event event;
      while ((event = scheduler.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))))
          != null) {
        switch (event.getType()) {
          case OFFERS -> offers.addAll(event.getOffers().getOffersList());
          case RESCIND -> {
            org.apache.mesos.v1.Protos.OfferID rescinded = event.getRescind().getOfferId();
            offers.removeIf(o -> o.getId().equals(rescinded));
          }
          case UPDATE -> {
            TaskStatus status = event.getUpdate().getStatus();
            tasks.computeIfAbsent(status.getTaskId().getValue(), k -> new ArrayList<>()).add(status.getState());
            if (status.hasUuid()) {
              scheduler.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(
                  Call.Acknowledge.newBuilder().setAgentId(status.getAgentId()).setTaskId(status.getTaskId())
                      .setUuid(status.getUuid())));
            }
          }
          case UPDATE_OPERATION_STATUS -> {
            OperationStatus status = event.getUpdateOperationStatus().getStatus();
            operations.computeIfAbsent(status.getOperationId().getValue(), k -> new ArrayList<>())
                .add(status.getState());
            if (status.hasUuid()) {
              scheduler.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE_OPERATION_STATUS)
                  .setAcknowledgeOperationStatus(Call.AcknowledgeOperationStatus.newBuilder()
                      .setAgentId(status.getAgentId()).setUuid(status.getUuid().getValue())
                      .setOperationId(status.getOperationId())));
            }
          }
          default -> { }
        }
      }
    }

    @Override
    public void close() {
      scheduler.close();
    }
  }

  private static Offer.Operation operation(String id, Offer.Operation.Builder operation) {
    return operation.setId(OperationID.newBuilder().setValue(id)).build();
  }

  private static Offer.Operation launch(TaskInfo task) {
    return Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
        .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)).build();
  }

  private static TaskInfo task(String id, AgentID agent, String command, Resource... extra) {
    boolean onVolume = extra.length > 0;
    TaskInfo.Builder task = TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(agent).setCommand(CommandInfo.newBuilder().setShell(true).setValue(command))
        .addResources(onVolume ? reserved("cpus", 0.2) : unreserved("cpus", 0.2))
        .addResources(onVolume ? reserved("mem", 32) : unreserved("mem", 32));
    for (Resource resource : extra) {
      task.addResources(resource);
    }
    return task.build();
  }

  private static Resource unreserved(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value))
        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(ROLE)).build();
  }

  private static Resource reserved(String name, double value) {
    return unreserved(name, value).toBuilder().addReservations(Resource.ReservationInfo.newBuilder()
        .setType(Resource.ReservationInfo.Type.DYNAMIC).setRole(ROLE).setPrincipal(PRINCIPAL)).build();
  }

  private static Resource volume(Resource disk) {
    return disk.toBuilder().setDisk(Resource.DiskInfo.newBuilder()
        .setPersistence(Resource.DiskInfo.Persistence.newBuilder().setId("data").setPrincipal(PRINCIPAL))
        .setVolume(Volume.newBuilder().setContainerPath("data").setMode(Volume.Mode.RW))).build();
  }

  private static boolean hasVolume(Offer offer) {
    return offer.getResourcesList().stream().anyMatch(r -> r.getName().equals("disk") && r.hasDisk()
        && r.getDisk().getPersistence().getId().equals("data"));
  }

  /** The offer's total of a scalar, reserved (to any role) or not. */
  private static double scalar(Offer offer, String name, boolean reserved) {
    return offer.getResourcesList().stream()
        .filter(r -> r.getName().equals(name) && (r.getReservationsCount() > 0) == reserved)
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }

  private static JsonNode state(HttpClient http, InetSocketAddress master) throws Exception {
    try {
      return JSON.readTree(http.get(master, "/state").get(20, TimeUnit.SECONDS).bodyText());
    } catch (java.util.concurrent.ExecutionException e) {
      // Not listening yet: "not yet" to the polls.
      throw new java.io.IOException(e.getCause());
    }
  }

  private static HttpResponse operator(HttpClient http, InetSocketAddress master, String json) throws Exception {
    return http.post(master, "/api/v1", "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of())
        .get(20, TimeUnit.SECONDS);
  }
}
