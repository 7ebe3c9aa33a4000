package io.jmesos.agent.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.agent.executors.ExecutorState;
import io.jmesos.agent.executors.FrameworkState;
import io.jmesos.json.MesosJson;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Values;
import java.util.List;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.Value;

/**
 * The JSON shapes of Mesos' classic {@code /state} endpoint ({@code common/http.cpp} {@code model(...)}):
 * resources and attributes as flat name-to-value objects, tasks, executors and frameworks. Pure functions
 * over state read on the agent's actor.
 */
final class JsonModel {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private JsonModel() {}

  /** Scalars as numbers, ranges as "[a-b, c-d]", sets as "{x, y}"; cpus, gpus, mem and disk always present. */
  static ObjectNode resources(Iterable<Resource> list) {
    Resources resources = list instanceof Resources ? (Resources) list : Resources.of(list);
    ObjectNode node = JSON.objectNode();
    for (String name : List.of("cpus", "gpus", "mem", "disk")) {
      node.put(name, resources.scalar(name));
    }
    for (String name : resources.names()) {
      Resource first = resources.named(name).toList().get(0);
      if (first.getType() == Value.Type.SCALAR) {
        node.put(name, resources.scalar(name));
      } else if (first.getType() == Value.Type.RANGES) {
        node.put(name, Values.format(resources.ranges(name)));
      } else if (first.getType() == Value.Type.SET) {
        node.put(name, Values.format(resources.set(name)));
      }
    }
    return node;
  }

  static ObjectNode attributes(Iterable<Attribute> attributes) {
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
      }
    }
    return node;
  }

  static ObjectNode task(Task task) {
    ObjectNode node = JSON.objectNode();
    node.put("id", task.getTaskId().getValue());
    node.put("name", task.getName());
    node.put("framework_id", task.getFrameworkId().getValue());
    node.put("executor_id", task.getExecutorId().getValue());
    node.put("slave_id", task.getSlaveId().getValue());
    node.put("state", task.getState().name());
    node.set("resources", resources(task.getResourcesList()));
    ArrayNode statuses = node.putArray("statuses");
    for (TaskStatus status : task.getStatusesList()) {
      ObjectNode s = statuses.addObject();
      s.put("state", status.getState().name());
      s.put("timestamp", status.getTimestamp());
      if (status.hasContainerStatus()) {
        s.set("container_status", MesosJson.toTree(status.getContainerStatus()));
      }
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
    return node;
  }

  /** A task still queued for its executor, shown in TASK_STAGING. */
  static ObjectNode queuedTask(TaskInfo task, ExecutorState executor) {
    ObjectNode node = JSON.objectNode();
    node.put("id", task.getTaskId().getValue());
    node.put("name", task.getName());
    node.put("framework_id", executor.frameworkId().getValue());
    node.put("executor_id", executor.isCommandExecutor() ? "" : executor.id().getValue());
    node.put("slave_id", task.getSlaveId().getValue());
    node.put("state", "TASK_STAGING");
    node.set("resources", resources(task.getResourcesList()));
    return node;
  }

  @SuppressWarnings("deprecation") // Mesos' /state still shows ExecutorInfo.source.
  static ObjectNode executor(ExecutorState executor) {
    ObjectNode node = JSON.objectNode();
    node.put("id", executor.id().getValue());
    node.put("name", executor.info().getName());
    node.put("source", executor.info().getSource());
    node.put("container", executor.container().id().getValue());
    node.put("directory", executor.container().sandbox().toString());
    node.set("resources", resources(executor.container().resources()));
    if (executor.info().hasType()) {
      node.put("type", executor.info().getType().name());
    }
    if (executor.info().hasLabels()) {
      node.set("labels", MesosJson.toTree(executor.info().getLabels()).get("labels"));
    }
    ArrayNode tasks = node.putArray("tasks");
    executor.launchedTasks().forEach(t -> tasks.add(task(t)));
    ArrayNode queued = node.putArray("queued_tasks");
    executor.queuedTasks().forEach(t -> queued.add(queuedTask(t, executor)));
    ArrayNode completed = node.putArray("completed_tasks");
    executor.completedTasks().forEach(t -> completed.add(task(t)));
    return node;
  }

  @SuppressWarnings("deprecation") // Mesos' /state still shows FrameworkInfo.role.
  static ObjectNode framework(FrameworkState framework) {
    FrameworkInfo info = framework.info();
    ObjectNode node = JSON.objectNode();
    node.put("id", info.getId().getValue());
    node.put("name", info.getName());
    node.put("user", info.getUser());
    node.put("failover_timeout", info.getFailoverTimeout());
    node.put("checkpoint", info.getCheckpoint());
    node.put("role", info.getRolesCount() > 0 ? info.getRoles(0) : info.getRole());
    if (info.getRolesCount() > 0) {
      ArrayNode roles = node.putArray("roles");
      info.getRolesList().forEach(roles::add);
    }
    node.put("hostname", info.getHostname());
    if (info.hasPrincipal()) {
      node.put("principal", info.getPrincipal());
    }
    ArrayNode executors = node.putArray("executors");
    framework.executors().forEach(e -> executors.add(executor(e)));
    ArrayNode completed = node.putArray("completed_executors");
    framework.completedExecutors().forEach(e -> completed.add(executor(e)));
    return node;
  }
}
