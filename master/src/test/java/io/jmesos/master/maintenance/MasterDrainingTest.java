package io.jmesos.master.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.DrainSlaveMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.json.MesosJson;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.master.Protos.Response;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DRAIN_AGENT, after Mesos' {@code master_draining_tests.cpp}: the agent is deactivated and told to drain, is
 * DRAINED once its tasks are gone (or marked gone), cannot be reactivated while DRAINING, and is reactivated
 * after.
 */
@Timeout(60)
class MasterDrainingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestCluster cluster;
  private final HttpClient http = new HttpClient("draining-test");
  private FakeAgent agent;
  private TestScheduler scheduler;
  private RunTaskMessage run;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    agent = cluster.agent("cpus:2;mem:1024");
    scheduler = cluster.scheduler(true);
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  private void runTask() throws Exception {
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(scheduler.call(V1.launch(offer, V1.commandTask("task-1", offer.getAgentId(), "cpus:1;mem:128")))
        .status()).isEqualTo(202);
    run = agent.expect(RunTaskMessage.getDefaultInstance());
    update(TaskState.TASK_RUNNING, 1);
    scheduler.expect(Event.Type.UPDATE);
  }

  private ByteString update(TaskState state, int n) {
    ByteString uuid = ByteString.copyFrom(new byte[] {(byte) n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    TaskStatus status = TaskStatus.newBuilder().setTaskId(run.getTask().getTaskId()).setState(state)
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setSlaveId(agent.id()).setTimestamp(1.0).setUuid(uuid)
        .build();
    agent.send(StatusUpdateMessage.newBuilder().setUpdate(StatusUpdate.newBuilder().setFrameworkId(
        run.getFrameworkId()).setSlaveId(agent.id()).setTimestamp(1.0).setStatus(status).setUuid(uuid)).build());
    return uuid;
  }

  private HttpResponse operator(String call) throws Exception {
    return http.request(cluster.address, "POST", "/api/v1", Map.of("Content-Type", MediaTypes.JSON, "Accept",
        MediaTypes.JSON), call.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  private HttpResponse drain(boolean markGone) throws Exception {
    return operator("{\"type\":\"DRAIN_AGENT\",\"drain_agent\":{\"agent_id\":{\"value\":\"" + agent.id().getValue()
        + "\"},\"max_grace_period\":{\"seconds\":0},\"mark_gone\":" + markGone + "}}");
  }

  private HttpResponse reactivate() throws Exception {
    return operator("{\"type\":\"REACTIVATE_AGENT\",\"reactivate_agent\":{\"agent_id\":{\"value\":\""
        + agent.id().getValue() + "\"}}}");
  }

  private Response.GetAgents agents() throws Exception {
    HttpResponse response = operator("{\"type\":\"GET_AGENTS\"}");
    return MesosJson.parse(response.body(), Response.newBuilder()).build().getGetAgents();
  }

  private JsonNode stateSlave() throws Exception {
    return MAPPER.readTree(http.get(cluster.address, "/state").get(10, TimeUnit.SECONDS).body()).at("/slaves/0");
  }

  @Test
  void drainAgent() throws Exception {
    runTask();
    assertThat(drain(false).status()).isEqualTo(200);
    DrainSlaveMessage message = agent.expect(DrainSlaveMessage.getDefaultInstance());
    assertThat(message.getConfig().getMaxGracePeriod().getNanoseconds()).isZero();
    assertThat(message.getConfig().getMarkGone()).isFalse();
    cluster.settle();

    Response.GetAgents.Agent draining = agents().getAgents(0);
    assertThat(draining.getDeactivated()).isTrue();
    assertThat(draining.getDrainInfo().getState()).hasToString("DRAINING");
    assertThat(draining.getEstimatedDrainStartTime().getNanoseconds()).isPositive();
    assertThat(stateSlave().at("/drain_info/state").asText()).isEqualTo("DRAINING");
    assertThat(stateSlave().get("estimated_drain_start_time_seconds").asDouble()).isPositive();

    // The agent kills the task; once the scheduler acknowledged it, the master knows no task there: DRAINED.
    ByteString killed = update(TaskState.TASK_KILLED, 2);
    Event.Update update = scheduler.expect(Event.Type.UPDATE).getUpdate();
    assertThat(update.getStatus().getState()).hasToString("TASK_KILLED");
    cluster.settle();
    assertThat(agents().getAgents(0).getDrainInfo().getState()).as("not acknowledged yet").hasToString("DRAINING");
    assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(
        Call.Acknowledge.newBuilder().setAgentId(update.getStatus().getAgentId())
            .setTaskId(update.getStatus().getTaskId()).setUuid(killed))).status()).isEqualTo(202);
    cluster.settle();
    Response.GetAgents.Agent drained = agents().getAgents(0);
    assertThat(drained.getDrainInfo().getState()).hasToString("DRAINED");
    assertThat(drained.getDrainInfo().getConfig().getMaxGracePeriod().getNanoseconds()).isZero();
    assertThat(stateSlave().at("/drain_info/state").asText()).isEqualTo("DRAINED");

    // Reactivation ends the drain; the agent is offered again.
    assertThat(reactivate().status()).isEqualTo(200);
    cluster.settle();
    assertThat(agents().getAgents(0).hasDrainInfo()).isFalse();
    assertThat(agents().getAgents(0).getDeactivated()).isFalse();
    cluster.advance(java.time.Duration.ofSeconds(5));
    assertThat(scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0).getAgentId().getValue())
        .isEqualTo(agent.id().getValue());
  }

  @Test
  void drainAgentMarkGone() throws Exception {
    assertThat(drain(true).status()).isEqualTo(200);
    assertThat(agent.expect(DrainSlaveMessage.getDefaultInstance()).getConfig().getMarkGone()).isTrue();
    cluster.settle();
    // No task: drained at once, and so marked gone.
    assertThat(agents().getAgentsCount()).isZero();
    assertThat(drain(false).bodyText()).as("a gone agent is unknown").isEqualTo("Unknown agent");
  }

  @Test
  void disallowReactivationWhileDraining() throws Exception {
    runTask();
    assertThat(drain(false).status()).isEqualTo(200);
    cluster.settle();
    HttpResponse refused = reactivate();
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.bodyText()).isEqualTo("Agent is still in the DRAINING state");
  }

  @Test
  void drainUnknownAgentOrScheduledMachine() throws Exception {
    HttpResponse unknown = operator("{\"type\":\"DRAIN_AGENT\",\"drain_agent\":{\"agent_id\":{\"value\":\"S9\"}}}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.bodyText()).isEqualTo("Unknown agent");

    String machine = "{\"hostname\":\"fake-host\",\"ip\":\"127.0.0.1\"}";
    assertThat(http.request(cluster.address, "POST", "/maintenance/schedule", Map.of("Content-Type",
        MediaTypes.JSON), ("{\"windows\":[{\"machine_ids\":[" + machine + "],\"unavailability\":{\"start\":"
        + "{\"nanoseconds\":1}}}]}").getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS).status())
        .isEqualTo(200);
    HttpResponse scheduled = drain(false);
    assertThat(scheduled.status()).isEqualTo(400);
    assertThat(scheduled.bodyText()).isEqualTo("Agent " + agent.id().getValue()
        + " is part of a maintenance schedule under Machine " + machine);
  }
}
