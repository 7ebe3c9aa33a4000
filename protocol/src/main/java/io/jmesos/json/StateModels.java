package io.jmesos.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Values;
import java.util.List;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskStatus;

/**
 * The hand-written JSON models that the master's and the agent's classic {@code /state} endpoints share, as
 * Mesos' {@code common/http.cpp} {@code model(const Resources&)}, {@code model(const Attributes&)} and
 * {@code json(JSON::ObjectWriter*, const Task&)}: resources and attributes as flat name-to-value objects,
 * tasks with their statuses. Pure functions; thread-safe.
 */
public final class StateModels {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> ALWAYS_PRESENT = List.of("cpus", "disk", "gpus", "mem");

  private StateModels() {}

  /**
   * {@code {"cpus":0.5,"disk":0.0,"gpus":0.0,"mem":32.0,"ports":"[31000-32000]"}}: scalars as numbers,
   * ranges as {@code [a-b, c-d]}, sets as {@code {x, y}}; cpus, disk, gpus and mem always present.
   */
  public static ObjectNode resources(Resources resources) {
    ObjectNode node = JSON.objectNode();
    for (String name : ALWAYS_PRESENT) {
      node.put(name, resources.scalar(name));
    }
    for (String name : resources.names()) {
      Resource first = resources.named(name).toList().get(0);
      switch (first.getType()) {
        case SCALAR:
          node.put(name, resources.scalar(name));
          break;
        case RANGES:
          node.put(name, Values.format(resources.ranges(name)));
          break;
        case SET:
          node.put(name, Values.format(resources.set(name)));
          break;
        default:
          break;
      }
    }
    return node;
  }

  /** Attributes by name: scalars as numbers, ranges and sets as in {@link #resources}, text as itself. */
  public static ObjectNode attributes(Iterable<Attribute> attributes) {
    ObjectNode node = JSON.objectNode();
    for (Attribute a : attributes) {
      switch (a.getType()) {
        case SCALAR:
          node.put(a.getName(), a.getScalar().getValue());
          break;
        case RANGES:
          node.put(a.getName(), Values.format(a.getRanges()));
          break;
        case SET:
          node.put(a.getName(), Values.format(a.getSet()));
          break;
        default:
          node.put(a.getName(), a.getText().getValue());
          break;
      }
    }
    return node;
  }

  /**
   * A task, as Mesos' {@code json(Task)}: ids, state, resources, the role its resources are allocated to (when
   * they say), statuses (state, timestamp, labels, container_status, healthy), and labels, discovery, container,
   * user, health_check and limits when set.
   */
  public static ObjectNode task(Task task) {
    return task(task, list -> resources(Resources.of(list)));
  }

  /**
   * As {@link #task(Task)}, with the {@code resources} object made by {@code resources} from the task's resource
   * list: a writer of many tasks can share one object between the tasks whose lists are equal.
   */
  public static ObjectNode task(Task task, java.util.function.Function<List<Resource>, ObjectNode> resources) {
    ObjectNode node = JSON.objectNode();
    node.put("id", task.getTaskId().getValue());
    node.put("name", task.getName());
    node.put("framework_id", task.getFrameworkId().getValue());
    node.put("executor_id", task.getExecutorId().getValue());
    node.put("slave_id", task.getSlaveId().getValue());
    node.put("state", task.getState().name());
    node.set("resources", resources.apply(task.getResourcesList()));
    // Mesos forbids mixing roles within a task (MESOS-6636), so the first resource names it.
    if (task.getResourcesCount() > 0 && task.getResources(0).hasAllocationInfo()) {
      node.put("role", task.getResources(0).getAllocationInfo().getRole());
    }
    ArrayNode statuses = node.putArray("statuses");
    for (TaskStatus status : task.getStatusesList()) {
      statuses.add(status(status));
    }
    if (task.hasLabels()) {
      node.set("labels", MesosJson.toTree(task.getLabels()).get("labels"));
    }
    if (task.hasDiscovery()) {
      node.set("discovery", MesosJson.toTree(task.getDiscovery()));
    }
    if (task.hasContainer()) {
      node.set("container", MesosJson.toTree(task.getContainer()));
    }
    if (task.hasUser()) {
      node.put("user", task.getUser());
    }
    if (task.hasHealthCheck()) {
      node.set("health_check", MesosJson.toTree(task.getHealthCheck()));
    }
    if (!task.getLimitsMap().isEmpty()) {
      ObjectNode limits = node.putObject("limits");
      new java.util.TreeMap<>(task.getLimitsMap()).forEach((name, limit) -> limits.put(name, limit.getValue()));
    }
    return node;
  }

  private static ObjectNode status(TaskStatus status) {
    ObjectNode node = JSON.objectNode();
    node.put("state", status.getState().name());
    node.put("timestamp", status.getTimestamp());
    if (status.hasLabels()) {
      node.set("labels", MesosJson.toTree(status.getLabels()).get("labels"));
    }
    if (status.hasHealthy()) {
      node.put("healthy", status.getHealthy());
    }
    if (status.hasContainerStatus()) {
      node.set("container_status", MesosJson.toTree(status.getContainerStatus()));
    }
    return node;
  }
}
