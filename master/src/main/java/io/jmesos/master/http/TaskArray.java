package io.jmesos.master.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.jmesos.json.MesosJson;
import io.jmesos.json.StateModels;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskStatus;

/**
 * A task array of a JSON document (a framework's {@code tasks}, {@code unreachable_tasks}, {@code
 * completed_tasks}) that is only a snapshot of the tasks (immutable protobufs) when the document is built on the
 * master's actor, and becomes JSON when the document is written, one task at a time, on whatever thread writes it:
 * with 400,000 tasks in {@code /state}, building a tree node per task on the actor stalled the master for seconds
 * and doubled the document in memory. Each task goes straight to the generator, field by field, as {@link
 * StateModels#task} shapes it (no tree per task: building one took most of the writer's time at 400,000 tasks);
 * only the rare nested messages (labels, discovery, container, a status' container status) go through a tree.
 * When the document is written with a {@link TaskJsonCache} (the serializer attribute of that class), the tasks'
 * JSON comes from it. Immutable.
 */
final class TaskArray implements JsonSerializable {
  private final List<Task> tasks;

  private TaskArray(List<Task> tasks) {
    this.tasks = tasks;
  }

  /** A node of the tree that writes {@code tasks} (taken now) as an array of Mesos' task objects. */
  static POJONode of(Stream<Task> tasks) {
    return new POJONode(new TaskArray(tasks.toList()));
  }

  @Override
  public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
    // Tasks of the same shape share their resources object: converting each task's resources took most of the time.
    Map<List<Resource>, ObjectNode> shapes = new HashMap<>();
    TaskJsonCache cache = (TaskJsonCache) serializers.getAttribute(TaskJsonCache.class);
    gen.writeStartArray();
    for (Task task : tasks) {
      if (cache != null) {
        gen.writeRawValue(cache.json(task, shapes));
      } else {
        write(gen, task, shapes);
      }
    }
    gen.writeEndArray();
  }

  /** Writes {@code task} as {@link StateModels#task(Task)} renders it, its resources object from {@code shapes}. */
  static void write(JsonGenerator gen, Task task, Map<List<Resource>, ObjectNode> shapes) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("id", task.getTaskId().getValue());
    gen.writeStringField("name", task.getName());
    gen.writeStringField("framework_id", task.getFrameworkId().getValue());
    gen.writeStringField("executor_id", task.getExecutorId().getValue());
    gen.writeStringField("slave_id", task.getSlaveId().getValue());
    gen.writeStringField("state", task.getState().name());
    gen.writeFieldName("resources");
    List<Resource> resources = task.getResourcesList();
    ObjectNode shape = shapes.get(resources);
    if (shape == null) {
      shape = StateModels.resources(Resources.of(resources));
      shapes.put(resources, shape);
    }
    gen.writeTree(shape);
    // Mesos forbids mixing roles within a task (MESOS-6636), so the first resource names it.
    if (task.getResourcesCount() > 0 && task.getResources(0).hasAllocationInfo()) {
      gen.writeStringField("role", task.getResources(0).getAllocationInfo().getRole());
    }
    gen.writeArrayFieldStart("statuses");
    for (int i = 0; i < task.getStatusesCount(); i++) {
      TaskStatus status = task.getStatuses(i);
      gen.writeStartObject();
      gen.writeStringField("state", status.getState().name());
      gen.writeNumberField("timestamp", status.getTimestamp());
      if (status.hasHealthy()) {
        gen.writeBooleanField("healthy", status.getHealthy());
      }
      if (status.hasContainerStatus()) {
        gen.writeFieldName("container_status");
        gen.writeTree(MesosJson.toTree(status.getContainerStatus()));
      }
      gen.writeEndObject();
    }
    gen.writeEndArray();
    if (task.hasLabels()) {
      gen.writeFieldName("labels");
      gen.writeTree(MesosJson.toTree(task.getLabels()).get("labels"));
    }
    if (task.hasDiscovery()) {
      gen.writeFieldName("discovery");
      gen.writeTree(MesosJson.toTree(task.getDiscovery()));
    }
    if (task.hasContainer()) {
      gen.writeFieldName("container");
      gen.writeTree(MesosJson.toTree(task.getContainer()));
    }
    if (task.hasUser()) {
      gen.writeStringField("user", task.getUser());
    }
    gen.writeEndObject();
  }

  @Override
  public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
      throws IOException {
    serialize(gen, serializers);
  }

  @Override
  public String toString() {
    return tasks.size() + " tasks";
  }
}
