package io.jmesos.master.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.ShutdownMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.json.MesosJson;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.registry.InMemoryRegistryStore;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import io.jmesos.transport.Limits;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.master.Protos.Response;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Maintenance, after Mesos' {@code master_maintenance_tests.cpp}: schedules and their validation, machines going
 * DOWN and UP, unavailability in offers, inverse offers and the responses in the status, persistence across a
 * master restart, and the ACLs.
 */
@Timeout(60)
class MasterMaintenanceTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Every FakeAgent runs on this machine: its hostname and the IP of its pid. */
  private static final String MACHINE = "{\"hostname\":\"fake-host\",\"ip\":\"127.0.0.1\"}";
  private static final String OTHER = "{\"hostname\":\"other-host\"}";
  private static final long START_NANOS = 1_000_000_000_000L;

  private TestCluster cluster;
  private final HttpClient http = new HttpClient("maintenance-test");

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  private static String window(String... machines) {
    return "{\"machine_ids\":[" + String.join(",", machines) + "],\"unavailability\":{\"start\":{\"nanoseconds\":"
        + START_NANOS + "},\"duration\":{\"nanoseconds\":3600000000000}}}";
  }

  private static String schedule(String... windows) {
    return "{\"windows\":[" + String.join(",", windows) + "]}";
  }

  private HttpResponse post(String path, String body) throws Exception {
    return request("POST", path, body);
  }

  private HttpResponse request(String method, String path, String body) throws Exception {
    return http.request(cluster.address, method, path, Map.of("Content-Type", MediaTypes.JSON),
        body.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse response = http.get(cluster.address, path).get(10, TimeUnit.SECONDS);
    assertThat(response.status()).as(path).isEqualTo(200);
    return MAPPER.readTree(response.body());
  }

  private Response operator(String call) throws Exception {
    HttpResponse response = http.request(cluster.address, "POST", "/api/v1", Map.of("Content-Type",
        MediaTypes.JSON, "Accept", MediaTypes.JSON), call.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    return MesosJson.parse(response.body(), Response.newBuilder()).build();
  }

  private HttpResponse operatorStatus(String call) throws Exception {
    return http.request(cluster.address, "POST", "/api/v1", Map.of("Content-Type", MediaTypes.JSON),
        call.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void updateSchedule() throws Exception {
    assertThat(get("/maintenance/schedule").size()).as("no schedule yet").isZero();
    assertThat(post("/maintenance/schedule", schedule(window(MACHINE))).status()).isEqualTo(200);
    JsonNode schedule = get("/master/maintenance/schedule");
    assertThat(schedule.at("/windows/0/machine_ids/0/hostname").asText()).isEqualTo("fake-host");
    assertThat(schedule.at("/windows/0/unavailability/start/nanoseconds").asLong()).isEqualTo(START_NANOS);

    // The v1 call reads the same schedule.
    Response response = operator("{\"type\":\"GET_MAINTENANCE_SCHEDULE\"}");
    assertThat(response.getGetMaintenanceSchedule().getSchedule().getWindows(0).getMachineIds(0).getIp())
        .isEqualTo("127.0.0.1");

    // Mesos' validation, with its messages.
    assertRejected(schedule("{\"machine_ids\":[],\"unavailability\":{\"start\":{\"nanoseconds\":1}}}"),
        "List of machines in the maintenance window is empty");
    assertRejected(schedule("{\"machine_ids\":[" + MACHINE + "],\"unavailability\":{\"start\":{\"nanoseconds\":1},"
        + "\"duration\":{\"nanoseconds\":-1}}}"), "Unavailability 'duration' is negative");
    assertRejected(schedule(window(MACHINE), window(MACHINE)),
        "Machine '" + MACHINE + "' appears more than once in the schedule");
    assertRejected(schedule(window("{}")), "Both 'hostname' and 'ip' for a machine are empty");
    assertRejected(schedule(window("{\"ip\":\"not-an-ip\"}")), "Failed to parse IPv4: not-an-ip");
    assertThat(post("/maintenance/schedule", "[]").status()).as("not an object").isEqualTo(400);
    assertThat(request("PUT", "/maintenance/schedule", "{}").status()).isEqualTo(405);

    // A new schedule replaces the old one; an empty one clears it.
    assertThat(post("/maintenance/schedule", schedule(window(OTHER))).status()).isEqualTo(200);
    assertThat(get("/maintenance/schedule").at("/windows/0/machine_ids/0/hostname").asText())
        .isEqualTo("other-host");
    assertThat(post("/maintenance/schedule", schedule()).status()).isEqualTo(200);
    assertThat(get("/maintenance/schedule").size()).isZero();
    assertThat(get("/maintenance/status").size()).as("no machine in maintenance").isZero();
  }

  private void assertRejected(String schedule, String message) throws Exception {
    HttpResponse response = post("/maintenance/schedule", schedule);
    assertThat(response.status()).as(schedule).isEqualTo(400);
    assertThat(response.bodyText()).isEqualTo(message);
  }

  @Test
  void failToUnscheduleDeactivatedMachines() throws Exception {
    assertThat(post("/maintenance/schedule", schedule(window(MACHINE))).status()).isEqualTo(200);
    assertThat(post("/machine/down", "[" + MACHINE + "]").status()).isEqualTo(200);
    HttpResponse response = post("/maintenance/schedule", schedule(window(OTHER)));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).isEqualTo("Machine '" + MACHINE
        + "' is deactivated and cannot be removed from the schedule");
  }

  @Test
  void pendingUnavailabilityTest() throws Exception {
    cluster.agent("cpus:2;mem:1024");
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    Offer before = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(before.hasUnavailability()).isFalse();

    assertThat(post("/maintenance/schedule", schedule(window(MACHINE))).status()).isEqualTo(200);
    assertThat(scheduler.expect(Event.Type.RESCIND).getRescind().getOfferId()).isEqualTo(before.getId());
    cluster.settle();
    Offer after = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(after.getUnavailability().getStart().getNanoseconds()).isEqualTo(START_NANOS);
    assertThat(after.getUnavailability().getDuration().getNanoseconds()).isEqualTo(3_600_000_000_000L);
  }

  /** A running task of the scheduler's on the agent. */
  private void runTask(TestScheduler scheduler, FakeAgent agent) throws Exception {
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(scheduler.call(V1.launch(offer, V1.commandTask("task-1", offer.getAgentId(), "cpus:1;mem:128")))
        .status()).isEqualTo(202);
    RunTaskMessage run = agent.expect(RunTaskMessage.getDefaultInstance());
    TaskStatus status = TaskStatus.newBuilder().setTaskId(run.getTask().getTaskId()).setState(TaskState.TASK_RUNNING)
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setSlaveId(agent.id()).setTimestamp(1.0)
        .setUuid(ByteString.copyFrom(new byte[16])).build();
    agent.send(StatusUpdateMessage.newBuilder().setUpdate(StatusUpdate.newBuilder().setFrameworkId(
        run.getFrameworkId()).setSlaveId(agent.id()).setTimestamp(1.0).setStatus(status)
        .setUuid(status.getUuid())).build());
    scheduler.expect(Event.Type.UPDATE);
  }

  @Test
  void inverseOffers() throws Exception {
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    TestScheduler scheduler = cluster.scheduler(true);
    runTask(scheduler, agent);

    assertThat(post("/maintenance/schedule", schedule(window(MACHINE))).status()).isEqualTo(200);
    InverseOffer inverse = scheduler.expect(Event.Type.INVERSE_OFFERS).getInverseOffers().getInverseOffers(0);
    assertThat(inverse.getAgentId().getValue()).isEqualTo(agent.id().getValue());
    assertThat(inverse.getFrameworkId()).isEqualTo(scheduler.frameworkId());
    assertThat(inverse.getUnavailability().getStart().getNanoseconds()).isEqualTo(START_NANOS);

    // Draining, no response yet.
    JsonNode status = get("/maintenance/status");
    assertThat(status.at("/draining_machines/0/id/hostname").asText()).isEqualTo("fake-host");
    assertThat(status.at("/draining_machines/0/statuses").isMissingNode()).isTrue();

    assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT_INVERSE_OFFERS).setAcceptInverseOffers(
        Call.AcceptInverseOffers.newBuilder().addInverseOfferIds(inverse.getId())
            .setFilters(Filters.newBuilder().setRefuseSeconds(0)))).status()).isEqualTo(202);
    cluster.settle();
    status = get("/maintenance/status");
    assertThat(status.at("/draining_machines/0/statuses/0/status").asText()).isEqualTo("ACCEPT");
    assertThat(status.at("/draining_machines/0/statuses/0/framework_id/value").asText())
        .isEqualTo(scheduler.frameworkId().getValue());

    // A new inverse offer comes at the next allocation once the (zero) filter expired; this one is declined.
    cluster.advance(cluster.master.flags().allocationInterval());
    InverseOffer again = scheduler.expect(Event.Type.INVERSE_OFFERS).getInverseOffers().getInverseOffers(0);
    assertThat(again.getId()).isNotEqualTo(inverse.getId());
    assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.DECLINE_INVERSE_OFFERS).setDeclineInverseOffers(
        Call.DeclineInverseOffers.newBuilder().addInverseOfferIds(again.getId()))).status()).isEqualTo(202);
    cluster.settle();
    Response response = operator("{\"type\":\"GET_MAINTENANCE_STATUS\"}");
    assertThat(response.getGetMaintenanceStatus().getStatus().getDrainingMachines(0).getStatuses(0).getStatus())
        .hasToString("DECLINE");

    // A schedule change rescinds the outstanding inverse offer.
    cluster.advance(java.time.Duration.ofSeconds(5));
    InverseOffer third = scheduler.expect(Event.Type.INVERSE_OFFERS).getInverseOffers().getInverseOffers(0);
    assertThat(post("/maintenance/schedule", schedule()).status()).isEqualTo(200);
    assertThat(scheduler.expect(Event.Type.RESCIND_INVERSE_OFFER).getRescindInverseOffer().getInverseOfferId())
        .isEqualTo(third.getId());
  }

  @Test
  void acceptInvalidInverseOffer() throws Exception {
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    TestScheduler scheduler = cluster.scheduler(false);
    runTask(scheduler, agent);
    assertThat(post("/maintenance/schedule", schedule(window(MACHINE))).status()).isEqualTo(200);
    scheduler.expect(Event.Type.INVERSE_OFFERS);
    assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT_INVERSE_OFFERS).setAcceptInverseOffers(
        Call.AcceptInverseOffers.newBuilder().addInverseOfferIds(org.apache.mesos.v1.Protos.OfferID.newBuilder()
            .setValue("no-such-inverse-offer")))).status()).isEqualTo(202);
    cluster.settle();
    assertThat(get("/maintenance/status").at("/draining_machines/0/statuses").isMissingNode()).isTrue();
  }

  @Test
  void bringDownMachines() throws Exception {
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    TestScheduler scheduler = cluster.scheduler(true);
    runTask(scheduler, agent);

    HttpResponse unscheduled = post("/machine/down", "[" + MACHINE + "]");
    assertThat(unscheduled.status()).isEqualTo(400);
    assertThat(unscheduled.bodyText()).isEqualTo("Machine '" + MACHINE + "' is not part of a maintenance schedule");
    assertThat(post("/machine/down", "[]").bodyText()).isEqualTo("List of machines is empty");
    assertThat(post("/machine/down", "{}").status()).isEqualTo(400);
    assertThat(request("GET", "/machine/down", "").status()).isEqualTo(405);

    assertThat(post("/maintenance/schedule", schedule(window(MACHINE))).status()).isEqualTo(200);
    assertThat(post("/machine/down", "[" + MACHINE + "]").status()).isEqualTo(200);
    assertThat(agent.expect(ShutdownMessage.getDefaultInstance()).getMessage())
        .isEqualTo("Operator initiated 'Machine DOWN'");
    Event lost = scheduler.expect(Event.Type.UPDATE);
    assertThat(lost.getUpdate().getStatus().getState()).hasToString("TASK_LOST");
    cluster.settle();
    assertThat(get("/state").get("slaves").size()).as("the agent is removed").isZero();
    assertThat(get("/maintenance/status").at("/down_machines/0/hostname").asText()).isEqualTo("fake-host");

    // A machine that is DOWN cannot be brought down again, and its agents cannot register.
    assertThat(post("/machine/down", "[" + MACHINE + "]").bodyText()).isEqualTo("Machine '" + MACHINE
        + "' is not in DRAINING mode and cannot be brought down");
    FakeAgent refused = new FakeAgent();
    try {
      refused.connect(cluster.address);
      refused.sendRegistration("cpus:1;mem:128");
      assertThat(refused.expect(ShutdownMessage.getDefaultInstance()).getMessage()).isEqualTo("Machine is `DOWN`");
    } finally {
      refused.close();
    }
  }

  @Test
  void bringUpMachines() throws Exception {
    assertThat(post("/maintenance/schedule", schedule(window(MACHINE, OTHER))).status()).isEqualTo(200);
    HttpResponse draining = post("/machine/up", "[" + MACHINE + "]");
    assertThat(draining.status()).isEqualTo(400);
    assertThat(draining.bodyText()).isEqualTo("Machine '" + MACHINE
        + "' is not in DOWN mode and cannot be brought up");

    assertThat(operatorStatus("{\"type\":\"START_MAINTENANCE\",\"start_maintenance\":{\"machines\":[" + MACHINE
        + "]}}").status()).isEqualTo(200);
    assertThat(operatorStatus("{\"type\":\"STOP_MAINTENANCE\",\"stop_maintenance\":{\"machines\":[" + MACHINE
        + "]}}").status()).isEqualTo(200);
    // The machine left the schedule; the other machine of its window stays.
    JsonNode schedule = get("/maintenance/schedule");
    assertThat(schedule.at("/windows/0/machine_ids").size()).isEqualTo(1);
    assertThat(schedule.at("/windows/0/machine_ids/0/hostname").asText()).isEqualTo("other-host");
    assertThat(get("/maintenance/status").has("down_machines")).isFalse();
    // Its agents may register again.
    cluster.agent("cpus:1;mem:128");
  }

  @Test
  void machineStatus() throws Exception {
    assertThat(post("/maintenance/schedule", schedule(window(MACHINE, OTHER))).status()).isEqualTo(200);
    assertThat(post("/machine/down", "[" + OTHER + "]").status()).isEqualTo(200);
    JsonNode status = get("/maintenance/status");
    assertThat(status.at("/draining_machines").size()).isEqualTo(1);
    assertThat(status.at("/draining_machines/0/id/hostname").asText()).isEqualTo("fake-host");
    assertThat(status.at("/down_machines/0/hostname").asText()).isEqualTo("other-host");
    assertThat(request("POST", "/maintenance/status", "").status()).isEqualTo(405);
  }

  @Test
  void scheduleAndModesSurviveAMasterRestart() throws Exception {
    cluster.close();
    InMemoryRegistryStore registry = new InMemoryRegistryStore();
    MasterFlags flags = MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory"));
    cluster = new TestCluster(flags, registry.handle());
    cluster.settle();
    assertThat(post("/maintenance/schedule", schedule(window(MACHINE, OTHER))).status()).isEqualTo(200);
    assertThat(post("/machine/down", "[" + OTHER + "]").status()).isEqualTo(200);
    cluster.close();

    cluster = new TestCluster(flags, registry.handle());
    cluster.settle();
    assertThat(get("/maintenance/schedule").at("/windows/0/machine_ids").size()).isEqualTo(2);
    JsonNode status = get("/maintenance/status");
    assertThat(status.at("/draining_machines/0/id/hostname").asText()).isEqualTo("fake-host");
    assertThat(status.at("/down_machines/0/hostname").asText()).isEqualTo("other-host");
    assertThat(post("/machine/up", "[" + OTHER + "]").status()).as("still DOWN after the restart").isEqualTo(200);
  }

  @Test
  void aclsRefuseChangesAndHideReads() throws Exception {
    cluster.close();
    Map<String, String> flags = new HashMap<>(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory"));
    flags.put("acls", "{\"update_maintenance_schedules\": [{\"principals\": {\"type\": \"ANY\"}, \"machines\": "
        + "{\"type\": \"NONE\"}}], \"get_maintenance_statuses\": [{\"principals\": {\"type\": \"ANY\"}, "
        + "\"machines\": {\"type\": \"NONE\"}}], \"drain_agents\": [{\"principals\": {\"type\": \"ANY\"}, "
        + "\"agents\": {\"type\": \"NONE\"}}]}");
    cluster = new TestCluster(MasterFlags.of(flags), Limits.DEFAULT);
    assertThat(post("/maintenance/schedule", schedule(window(MACHINE))).status()).isEqualTo(403);
    assertThat(operatorStatus("{\"type\":\"UPDATE_MAINTENANCE_SCHEDULE\",\"update_maintenance_schedule\":"
        + "{\"schedule\":" + schedule(window(MACHINE)) + "}}").status()).isEqualTo(403);
    assertThat(get("/maintenance/status").size()).isZero();
    assertThat(operatorStatus("{\"type\":\"DRAIN_AGENT\",\"drain_agent\":{\"agent_id\":{\"value\":\"S1\"}}}")
        .status()).isEqualTo(403);
  }
}
