package io.jmesos.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.resources.Resources;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.ContainerStatus;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Label;
import org.apache.mesos.Protos.Labels;
import org.apache.mesos.Protos.NetworkInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StateModelsTest {

  private static final Resource.AllocationInfo WEB = Resource.AllocationInfo.newBuilder().setRole("web").build();

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).setAllocationInfo(WEB).build();
  }

  private static Resource ports(long... beginEnd) {
    Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
    for (int i = 0; i < beginEnd.length; i += 2) {
      ranges.addRange(Value.Range.newBuilder().setBegin(beginEnd[i]).setEnd(beginEnd[i + 1]));
    }
    return Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).setRanges(ranges)
        .setAllocationInfo(WEB).build();
  }

  private static TaskStatus status(TaskState state, double timestamp) {
    return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1")).setState(state)
        .setTimestamp(timestamp).build();
  }

  private static Task.Builder task() {
    return Task.newBuilder()
        .setName("web-1")
        .setTaskId(TaskID.newBuilder().setValue("t1"))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
        .setSlaveId(SlaveID.newBuilder().setValue("agent-S0"))
        .setState(TaskState.TASK_RUNNING);
  }

  @Test
  void taskRendersIdsStateResourcesRoleStatusesLabelsAndUser() {
    Task task = task()
        .addResources(scalar("cpus", 0.5))
        .addResources(scalar("mem", 32))
        .addResources(ports(31000, 31005, 32000, 32000))
        .addStatuses(status(TaskState.TASK_STARTING, 1.0))
        .addStatuses(status(TaskState.TASK_RUNNING, 2.5).toBuilder().setHealthy(true)
            .setContainerStatus(ContainerStatus.newBuilder().addNetworkInfos(NetworkInfo.newBuilder()
                .addIpAddresses(NetworkInfo.IPAddress.newBuilder().setIpAddress("10.0.0.7")))))
        .setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("tier").setValue("front")))
        .setUser("alice")
        .build();

    ObjectNode json = StateModels.task(task);

    assertThat(json.get("id").asText()).isEqualTo("t1");
    assertThat(json.get("name").asText()).isEqualTo("web-1");
    assertThat(json.get("framework_id").asText()).isEqualTo("fw-1");
    assertThat(json.get("executor_id").asText()).isEmpty();
    assertThat(json.get("slave_id").asText()).isEqualTo("agent-S0");
    assertThat(json.get("state").asText()).isEqualTo("TASK_RUNNING");
    assertThat(json.get("role").asText()).isEqualTo("web");
    assertThat(json.get("user").asText()).isEqualTo("alice");

    JsonNode resources = json.get("resources");
    assertThat(resources.get("cpus").asDouble()).isEqualTo(0.5);
    assertThat(resources.get("mem").asDouble()).isEqualTo(32.0);
    assertThat(resources.get("disk").asDouble()).isEqualTo(0.0);
    assertThat(resources.get("gpus").asDouble()).isEqualTo(0.0);
    assertThat(resources.get("ports").asText()).isEqualTo("[31000-31005, 32000-32000]");

    JsonNode statuses = json.get("statuses");
    assertThat(statuses).hasSize(2);
    assertThat(statuses.get(0).get("state").asText()).isEqualTo("TASK_STARTING");
    assertThat(statuses.get(0).get("timestamp").asDouble()).isEqualTo(1.0);
    assertThat(statuses.get(0).has("healthy")).isFalse();
    assertThat(statuses.get(0).has("container_status")).isFalse();
    assertThat(statuses.get(1).get("state").asText()).isEqualTo("TASK_RUNNING");
    assertThat(statuses.get(1).get("timestamp").asDouble()).isEqualTo(2.5);
    assertThat(statuses.get(1).get("healthy").asBoolean()).isTrue();
    assertThat(statuses.get(1).at("/container_status/network_infos/0/ip_addresses/0/ip_address").asText())
        .isEqualTo("10.0.0.7");

    JsonNode labels = json.get("labels");
    assertThat(labels.isArray()).isTrue();
    assertThat(labels).hasSize(1);
    assertThat(labels.get(0).get("key").asText()).isEqualTo("tier");
    assertThat(labels.get(0).get("value").asText()).isEqualTo("front");

    assertThat(json.has("discovery")).isFalse();
    assertThat(json.has("container")).isFalse();
  }

  /** Mesos 1.11's {@code json(Task)} also writes the health check, the limits and each status' labels. */
  @Test
  void taskRendersHealthCheckLimitsAndStatusLabelsWhenSet() {
    Task task = task()
        .addResources(scalar("cpus", 0.5))
        .setHealthCheck(org.apache.mesos.Protos.HealthCheck.newBuilder()
            .setType(org.apache.mesos.Protos.HealthCheck.Type.TCP)
            .setTcp(org.apache.mesos.Protos.HealthCheck.TCPCheckInfo.newBuilder().setPort(8080))
            .setIntervalSeconds(5))
        .putLimits("mem", Value.Scalar.newBuilder().setValue(256).build())
        .putLimits("cpus", Value.Scalar.newBuilder().setValue(2).build())
        .addStatuses(status(TaskState.TASK_RUNNING, 3.0).toBuilder()
            .setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("phase").setValue("warm"))))
        .build();

    ObjectNode json = StateModels.task(task);

    assertThat(json.get("health_check").get("type").asText()).isEqualTo("TCP");
    assertThat(json.get("health_check").get("tcp").get("port").asInt()).isEqualTo(8080);
    assertThat(json.get("health_check").get("interval_seconds").asDouble()).isEqualTo(5.0);
    assertThat(json.get("limits").get("cpus").asDouble()).isEqualTo(2.0);
    assertThat(json.get("limits").get("mem").asDouble()).isEqualTo(256.0);
    JsonNode labels = json.get("statuses").get(0).get("labels");
    assertThat(labels).hasSize(1);
    assertThat(labels.get(0).get("key").asText()).isEqualTo("phase");
    assertThat(labels.get(0).get("value").asText()).isEqualTo("warm");

    ObjectNode plain = StateModels.task(task().build());
    assertThat(plain.has("health_check")).isFalse();
    assertThat(plain.has("limits")).isFalse();
  }

  @Test
  void taskWithoutAllocationInfoOrUserOmitsRoleAndUser() {
    Task task = task()
        .addResources(scalar("cpus", 1).toBuilder().clearAllocationInfo())
        .setExecutorId(org.apache.mesos.Protos.ExecutorID.newBuilder().setValue("exec-1"))
        .build();

    ObjectNode json = StateModels.task(task);

    assertThat(json.get("executor_id").asText()).isEqualTo("exec-1");
    assertThat(json.has("role")).isFalse();
    assertThat(json.has("user")).isFalse();
    assertThat(json.has("labels")).isFalse();
    assertThat(json.get("statuses")).isEmpty();
    assertThat(json.get("resources").get("cpus").asDouble()).isEqualTo(1.0);
  }

  @Test
  void resourcesAlwaysShowCpusDiskGpusAndMemAndRenderSetsAndRanges() {
    assertThat(StateModels.resources(Resources.empty()).toString())
        .isEqualTo("{\"cpus\":0.0,\"disk\":0.0,\"gpus\":0.0,\"mem\":0.0}");

    Resources resources = Resources.parse("cpus:2;mem:1024;ports:[31000-32000];zones:{a,b}");
    ObjectNode json = StateModels.resources(resources);

    assertThat(json.get("cpus").asDouble()).isEqualTo(2.0);
    assertThat(json.get("mem").asDouble()).isEqualTo(1024.0);
    assertThat(json.get("disk").asDouble()).isEqualTo(0.0);
    assertThat(json.get("ports").asText()).isEqualTo("[31000-32000]");
    assertThat(json.get("zones").asText()).isEqualTo("{a, b}");
  }

  @Test
  void attributesRenderByType() {
    List<Attribute> attributes = List.of(
        Attribute.newBuilder().setName("rack").setType(Value.Type.TEXT)
            .setText(Value.Text.newBuilder().setValue("r1")).build(),
        Attribute.newBuilder().setName("level").setType(Value.Type.SCALAR)
            .setScalar(Value.Scalar.newBuilder().setValue(3)).build(),
        Attribute.newBuilder().setName("slots").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(1).setEnd(4))).build(),
        Attribute.newBuilder().setName("disks").setType(Value.Type.SET)
            .setSet(Value.Set.newBuilder().addItem("ssd").addItem("hdd")).build());

    ObjectNode json = StateModels.attributes(attributes);

    assertThat(json.get("rack").asText()).isEqualTo("r1");
    assertThat(json.get("level").asDouble()).isEqualTo(3.0);
    assertThat(json.get("slots").asText()).isEqualTo("[1-4]");
    assertThat(json.get("disks").asText()).isEqualTo("{ssd, hdd}");
  }
}
