package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class StateEndpointsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private TestCluster cluster;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    http = new HttpClient("state-test");
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    cluster.close();
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse r = http.get(cluster.address, path).get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    return MAPPER.readTree(r.body());
  }

  @Test
  void stateAndMetricsDescribeARunningTask() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024;ports:[31000-32000]");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    scheduler.call(V1.launch(offer, V1.commandTask("task-1", offer.getAgentId(), "cpus:0.5;mem:32")));
    RunTaskMessage run = agent.expect(RunTaskMessage.getDefaultInstance());
    ByteString uuid = ByteString.copyFrom(new byte[16]);
    agent.send(StatusUpdateMessage.newBuilder().setUpdate(StatusUpdate.newBuilder()
        .setFrameworkId(run.getFrameworkId()).setSlaveId(agent.id()).setTimestamp(2.0).setUuid(uuid)
        .setStatus(TaskStatus.newBuilder().setTaskId(run.getTask().getTaskId()).setState(TaskState.TASK_RUNNING)
            .setTimestamp(2.0).setUuid(uuid))).build());
    scheduler.expect(Event.Type.UPDATE);

    JsonNode state = get("/master/state");
    assertThat(state.get("version").asText()).isEqualTo("1.11.0");
    assertThat(state.get("id").asText()).isEqualTo(cluster.master.id());
    assertThat(state.get("activated_slaves").asInt()).isEqualTo(1);
    assertThat(state.get("leader_info").get("port").asInt()).isEqualTo(cluster.address.getPort());
    JsonNode slave = state.get("slaves").get(0);
    assertThat(slave.get("id").asText()).isEqualTo(agent.id().getValue());
    assertThat(slave.get("hostname").asText()).isEqualTo("fake-host");
    assertThat(slave.get("resources").get("cpus").asDouble()).isEqualTo(2.0);
    assertThat(slave.get("resources").get("gpus").asDouble()).isEqualTo(0.0);
    assertThat(slave.get("resources").get("ports").asText()).isEqualTo("[31000-32000]");
    assertThat(slave.get("used_resources").get("cpus").asDouble()).isEqualTo(0.5);
    assertThat(slave.get("active").asBoolean()).isTrue();
    JsonNode framework = state.get("frameworks").get(0);
    assertThat(framework.get("id").asText()).isEqualTo(scheduler.frameworkId().getValue());
    assertThat(framework.get("name").asText()).isEqualTo("test-framework");
    assertThat(framework.get("active").asBoolean()).isTrue();
    assertThat(framework.get("connected").asBoolean()).isTrue();
    assertThat(framework.get("used_resources").get("mem").asDouble()).isEqualTo(32.0);
    JsonNode task = framework.get("tasks").get(0);
    assertThat(task.get("id").asText()).isEqualTo("task-1");
    assertThat(task.get("state").asText()).isEqualTo("TASK_RUNNING");
    assertThat(task.get("slave_id").asText()).isEqualTo(agent.id().getValue());
    assertThat(task.get("resources").get("cpus").asDouble()).isEqualTo(0.5);
    assertThat(task.get("statuses").get(0).get("state").asText()).isEqualTo("TASK_RUNNING");
    assertThat(task.get("statuses").get(0).get("timestamp").asDouble()).isEqualTo(2.0);
    assertThat(get("/state").get("id").asText()).isEqualTo(cluster.master.id());

    JsonNode metrics = get("/metrics/snapshot");
    assertThat(metrics.get("master/elected").asDouble()).isEqualTo(1.0);
    assertThat(metrics.get("master/slaves_active").asDouble()).isEqualTo(1.0);
    assertThat(metrics.get("master/slaves_connected").asDouble()).isEqualTo(1.0);
    assertThat(metrics.get("master/frameworks_active").asDouble()).isEqualTo(1.0);
    assertThat(metrics.get("master/tasks_running").asDouble()).isEqualTo(1.0);
    assertThat(metrics.get("master/tasks_staging").asDouble()).isEqualTo(0.0);
    assertThat(metrics.get("master/valid_status_updates").asDouble()).isEqualTo(1.0);
    assertThat(metrics.get("master/cpus_total").asDouble()).isEqualTo(2.0);
    assertThat(metrics.get("master/cpus_used").asDouble()).isEqualTo(0.5);
    assertThat(metrics.get("master/mem_used").asDouble()).isEqualTo(32.0);
    assertThat(metrics.has("master/outstanding_offers")).isTrue();
    assertThat(metrics.has("master/tasks_lost")).isTrue();
  }

  /** Mesos' /state fields beyond the basics: the build, and each framework's custom executors by agent. */
  @Test
  void stateHasBuildFieldsAndCustomExecutors() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    org.apache.mesos.v1.Protos.ExecutorInfo executor = org.apache.mesos.v1.Protos.ExecutorInfo.newBuilder()
        .setExecutorId(org.apache.mesos.v1.Protos.ExecutorID.newBuilder().setValue("custom-executor"))
        .setName("custom")
        .setType(org.apache.mesos.v1.Protos.ExecutorInfo.Type.CUSTOM)
        .setCommand(org.apache.mesos.v1.Protos.CommandInfo.newBuilder().setValue("./executor"))
        .addAllResources(V1.resources("cpus:0.1;mem:32", "*"))
        .build();
    scheduler.call(V1.launch(offer, V1.commandTask("task-1", offer.getAgentId(), "cpus:0.5;mem:32").toBuilder()
        .clearCommand().setExecutor(executor).build()));
    agent.expect(RunTaskMessage.getDefaultInstance());

    JsonNode state = get("/state");
    assertThat(state.get("build_user").asText()).isNotEmpty();
    assertThat(state.get("build_time").asDouble()).isPositive();
    assertThat(state.get("capabilities").isArray()).isTrue();
    JsonNode executors = state.get("frameworks").get(0).get("executors");
    assertThat(executors).hasSize(1);
    JsonNode listed = executors.get(0);
    assertThat(listed.get("executor_id").asText()).isEqualTo("custom-executor");
    assertThat(listed.get("name").asText()).isEqualTo("custom");
    assertThat(listed.get("framework_id").asText()).isEqualTo(scheduler.frameworkId().getValue());
    assertThat(listed.get("slave_id").asText()).isEqualTo(agent.id().getValue());
    assertThat(listed.get("command").get("value").asText()).isEqualTo("./executor");
    assertThat(listed.get("resources").get("mem").asDouble()).isEqualTo(32.0);
    assertThat(listed.get("role").asText()).isEqualTo("*");
    assertThat(listed.get("type").asText()).isEqualTo("CUSTOM");
  }

  @Test
  void healthAndRedirect() throws Exception {
    assertThat(http.get(cluster.address, "/health").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    HttpResponse redirect = http.get(cluster.address, "/redirect").get(10, TimeUnit.SECONDS);
    assertThat(redirect.status()).isEqualTo(307);
    assertThat(redirect.header("Location")).endsWith(":" + cluster.address.getPort());
  }
}
