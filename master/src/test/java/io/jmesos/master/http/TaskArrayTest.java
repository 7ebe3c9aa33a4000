package io.jmesos.master.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jmesos.json.StateModels;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.ContainerInfo;
import org.apache.mesos.Protos.ContainerStatus;
import org.apache.mesos.Protos.DiscoveryInfo;
import org.apache.mesos.Protos.ExecutorID;
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

/** The streamed task array writes, byte for byte, what the tree of {@link StateModels#task} writes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskArrayTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void writesExactlyWhatTheTreeModelWrites() throws Exception {
    Task plain = task("t1").addResources(scalar("cpus", 0.1, "*")).addResources(scalar("mem", 32, "*"))
        .addStatuses(status(TaskState.TASK_RUNNING, 1.7e9 + 0.25)).build();
    Task sameShape = plain.toBuilder().setTaskId(TaskID.newBuilder().setValue("t2")).setState(TaskState.TASK_FINISHED)
        .addStatuses(status(TaskState.TASK_FINISHED, 1.7e9 + 1)).build();
    Task rich = task("t3 \"quoted\" \u00e9")
        .setExecutorId(ExecutorID.newBuilder().setValue("exec-1"))
        .addResources(scalar("cpus", 2, "web"))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(31000).setEnd(31005)))
            .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("web")))
        .addStatuses(status(TaskState.TASK_STARTING, 1.0))
        .addStatuses(status(TaskState.TASK_RUNNING, 2.5).toBuilder().setHealthy(false)
            .setContainerStatus(ContainerStatus.newBuilder().addNetworkInfos(NetworkInfo.newBuilder()
                .addIpAddresses(NetworkInfo.IPAddress.newBuilder().setIpAddress("10.0.0.7")))))
        .setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("tier").setValue("front")))
        .setDiscovery(DiscoveryInfo.newBuilder().setVisibility(DiscoveryInfo.Visibility.FRAMEWORK).setName("web"))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS))
        .setUser("alice")
        .build();
    Task bare = task("t4").addResources(scalar("cpus", 1, "*").toBuilder().clearAllocationInfo())
        .setLabels(Labels.getDefaultInstance()).build();
    List<Task> tasks = List.of(plain, sameShape, rich, bare, plain);

    ArrayNode tree = JsonNodeFactory.instance.arrayNode();
    tasks.forEach(t -> tree.add(StateModels.task(t)));
    String streamed = MAPPER.writeValueAsString(TaskArray.of(tasks.stream()));

    assertThat(streamed).isEqualTo(MAPPER.writeValueAsString(tree));
    assertThat(MAPPER.readTree(streamed).get(2).get("labels").get(0).get("value").asText()).isEqualTo("front");
  }

  @Test
  void writesAnEmptyArray() throws Exception {
    assertThat(MAPPER.writeValueAsString(TaskArray.of(java.util.stream.Stream.empty()))).isEqualTo("[]");
  }

  private static Task.Builder task(String id) {
    return Task.newBuilder()
        .setName("web-1")
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
        .setSlaveId(SlaveID.newBuilder().setValue("agent-S0"))
        .setState(TaskState.TASK_RUNNING);
  }

  private static Resource scalar(String name, double value, String role) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value))
        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role)).build();
  }

  private static TaskStatus status(TaskState state, double timestamp) {
    return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1")).setState(state)
        .setTimestamp(timestamp).build();
  }
}
