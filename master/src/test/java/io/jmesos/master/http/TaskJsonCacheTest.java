package io.jmesos.master.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Label;
import org.apache.mesos.Protos.Labels;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Documents written with the cache are the documents written without it; tasks are rendered once while unchanged. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskJsonCacheTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void unchangedTasksComeFromTheCacheAndTheBytesAreTheSame() throws Exception {
    TaskJsonCache cache = new TaskJsonCache();
    Task a = task("a", TaskState.TASK_RUNNING);
    Task b = task("b \u00e9\"", TaskState.TASK_FINISHED).toBuilder()
        .setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("k").setValue("v"))).build();
    List<Task> first = List.of(a, b);

    assertThat(write(cache, first)).isEqualTo(write(null, first));
    assertThat(cache.misses()).as("each task rendered once, though written twice").isEqualTo(2);
    assertThat(cache.hits()).isEqualTo(2);

    // a changed state: a new protobuf, rendered again; b is the same task, from the cache.
    Task a2 = task("a", TaskState.TASK_FINISHED);
    List<Task> second = List.of(a2, b, b);
    assertThat(write(cache, second)).isEqualTo(write(null, second));
    assertThat(cache.misses()).isEqualTo(3);
    assertThat(cache.hits()).isEqualTo(2 + 5);

    // The old a is dropped once two documents went without it: seen again, it is rendered again.
    write(cache, List.of(b));
    write(cache, List.of(b));
    assertThat(write(cache, List.of(a))).isEqualTo(write(null, List.of(a)));
    assertThat(cache.misses()).isEqualTo(4);

    // An equal task that is another protobuf is rendered (the cache goes by identity), to the same bytes.
    Task bCopy = Task.parseFrom(b.toByteArray());
    assertThat(write(cache, List.of(bCopy))).isEqualTo(write(null, List.of(b)));
    assertThat(cache.misses()).isEqualTo(5);
  }

  private static String write(TaskJsonCache cache, List<Task> tasks) throws Exception {
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    document.put("before", 1);
    document.putPOJO("tasks", TaskArray.of(tasks.stream()));
    document.putPOJO("again", TaskArray.of(tasks.stream()));
    document.put("after", "x");
    if (cache == null) {
      return MAPPER.writeValueAsString(document);
    }
    cache.beginDocument();
    return new String(MAPPER.writer().withAttribute(TaskJsonCache.class, cache).writeValueAsBytes(document),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Task task(String id, TaskState state) {
    return Task.newBuilder()
        .setName("t")
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
        .setSlaveId(SlaveID.newBuilder().setValue("agent-S0"))
        .setState(state)
        .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
            .setScalar(Value.Scalar.newBuilder().setValue(0.1))
            .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("*")))
        .addStatuses(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(id)).setState(state)
            .setTimestamp(1.7e9))
        .build();
  }
}
