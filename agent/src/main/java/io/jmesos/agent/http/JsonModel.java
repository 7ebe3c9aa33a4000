package io.jmesos.agent.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.agent.executors.ExecutorState;
import io.jmesos.agent.executors.FrameworkState;
import io.jmesos.json.MesosJson;
import io.jmesos.json.StateModels;
import io.jmesos.resources.Resources;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.TaskInfo;

/**
 * The agent's JSON shapes of Mesos' classic {@code /state} endpoint ({@code slave/http.cpp}): executors,
 * frameworks and queued tasks; resources, attributes and tasks are {@link StateModels}, shared with the
 * master. Pure functions over state read on the agent's actor.
 */
final class JsonModel {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private JsonModel() {}

  /** A task still queued for its executor, shown in TASK_STAGING. */
  static ObjectNode queuedTask(TaskInfo task, ExecutorState executor) {
    ObjectNode node = JSON.objectNode();
    node.put("id", task.getTaskId().getValue());
    node.put("name", task.getName());
    node.put("framework_id", executor.frameworkId().getValue());
    node.put("executor_id", executor.isCommandExecutor() ? "" : executor.id().getValue());
    node.put("slave_id", task.getSlaveId().getValue());
    node.put("state", "TASK_STAGING");
    node.set("resources", StateModels.resources(Resources.of(task.getResourcesList())));
    return node;
  }

  static ObjectNode executor(ExecutorState executor) {
    return executor(executor, null, ViewFilter.ALL);
  }

  /** An executor with the tasks {@code filter}'s reader may view (view_tasks) of {@code framework}'s. */
  @SuppressWarnings("deprecation") // Mesos' /state still shows ExecutorInfo.source.
  static ObjectNode executor(ExecutorState executor, FrameworkInfo framework, ViewFilter filter) {
    ObjectNode node = JSON.objectNode();
    node.put("id", executor.id().getValue());
    node.put("name", executor.info().getName());
    node.put("source", executor.info().getSource());
    node.put("container", executor.container().id().getValue());
    node.put("directory", executor.container().sandbox().toString());
    node.set("resources", StateModels.resources(executor.container().resources()));
    if (executor.info().hasType()) {
      node.put("type", executor.info().getType().name());
    }
    if (executor.info().hasLabels()) {
      node.set("labels", MesosJson.toTree(executor.info().getLabels()).get("labels"));
    }
    ArrayNode tasks = node.putArray("tasks");
    executor.launchedTasks().stream().filter(t -> filter.task(t, framework))
        .forEach(t -> tasks.add(StateModels.task(t)));
    ArrayNode queued = node.putArray("queued_tasks");
    executor.queuedTasks().stream().filter(t -> filter.task(t, framework))
        .forEach(t -> queued.add(queuedTask(t, executor)));
    ArrayNode completed = node.putArray("completed_tasks");
    executor.completedTasks().stream().filter(t -> filter.task(t, framework))
        .forEach(t -> completed.add(StateModels.task(t)));
    return node;
  }

  static ObjectNode framework(FrameworkState framework) {
    return framework(framework, ViewFilter.ALL);
  }

  /** A framework with the executors (view_executors) and tasks (view_tasks) {@code filter}'s reader may view. */
  @SuppressWarnings("deprecation") // Mesos' /state still shows FrameworkInfo.role.
  static ObjectNode framework(FrameworkState framework, ViewFilter filter) {
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
    framework.executors().stream().filter(e -> filter.executor(e.info(), info))
        .forEach(e -> executors.add(executor(e, info, filter)));
    ArrayNode completed = node.putArray("completed_executors");
    framework.completedExecutors().stream().filter(e -> filter.executor(e.info(), info))
        .forEach(e -> completed.add(executor(e, info, filter)));
    return node;
  }
}
