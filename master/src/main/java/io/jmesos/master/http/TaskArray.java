package io.jmesos.master.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.jmesos.json.StateModels;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Task;

/**
 * A task array of a JSON document (a framework's {@code tasks}, {@code unreachable_tasks}, {@code
 * completed_tasks}) that is only a snapshot of the tasks (immutable protobufs) when the document is built on the
 * master's actor, and becomes JSON when the document is written, one task at a time, on whatever thread writes it:
 * with 400,000 tasks in {@code /state}, building a tree node per task on the actor stalled the master for seconds
 * and doubled the document in memory. Immutable.
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
    gen.writeStartArray();
    for (Task task : tasks) {
      StateModels.task(task, list -> shapes.computeIfAbsent(list, l -> StateModels.resources(Resources.of(l))))
          .serialize(gen, serializers);
    }
    gen.writeEndArray();
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
