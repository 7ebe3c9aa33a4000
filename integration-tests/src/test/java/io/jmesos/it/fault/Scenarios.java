package io.jmesos.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.SchedulerDriver;

/** What the fault-tolerance scenarios share: frameworks, real tasks a test can end, and /state lookups. */
final class Scenarios {
  private Scenarios() {}

  static FrameworkInfo framework(String name, boolean partitionAware) {
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder().setName(name).setUser("");
    if (partitionAware) {
      info.addCapabilities(FrameworkInfo.Capability.newBuilder()
          .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
    }
    return info.build();
  }

  /** A command task on {@code offer}: cpus 0.1, mem 32. */
  static TaskInfo task(Offer offer, String id, String command) {
    return TaskInfo.newBuilder()
        .setName(id)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(offer.getSlaveId())
        .addResources(scalar("cpus", 0.1))
        .addResources(scalar("mem", 32))
        .setCommand(CommandInfo.newBuilder().setValue(command))
        .build();
  }

  static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  /** Launches a long task ({@code sleep 1000}) on the next offer; returns it. */
  static TaskInfo launchLong(SchedulerDriver driver, RecordingScheduler scheduler, String id)
      throws InterruptedException {
    Offer offer = scheduler.nextOffers().get(0);
    TaskInfo task = task(offer, id, "sleep 1000");
    driver.launchTasks(List.of(offer.getId()), List.of(task));
    return task;
  }

  /**
   * A real task that runs until the test ends it: it waits for a file to appear, then exits 0 (TASK_FINISHED).
   */
  static final class Controlled {
    final TaskInfo task;
    private final Path done;

    Controlled(Offer offer, String id, Path dir) {
      this.done = dir.resolve("done-" + id);
      this.task = task(offer, id, "while [ ! -e '" + done + "' ]; do sleep 0.02; done");
    }

    /** Lets the task finish. */
    void finish() {
      try {
        Files.createFile(done);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Which of a framework's lists in the master's /state hold the task, with its state there. */
  static List<String> placements(JsonNode state, String taskId) {
    List<String> found = new ArrayList<>();
    for (String section : List.of("frameworks", "completed_frameworks")) {
      for (JsonNode framework : state.path(section)) {
        for (String list : List.of("tasks", "unreachable_tasks", "completed_tasks")) {
          for (JsonNode task : framework.path(list)) {
            if (task.path("id").asText().equals(taskId)) {
              found.add(section + "." + list + ":" + task.path("state").asText());
            }
          }
        }
      }
    }
    return found;
  }

  /** The state of a task anywhere in agent {@code index}'s /state, or null. */
  static String agentTaskState(FaultCluster cluster, int index, String taskId) {
    return find(cluster.agentState(index), taskId);
  }

  private static String find(JsonNode node, String taskId) {
    if (node.isObject() && node.path("id").asText().equals(taskId) && node.has("state")) {
      return node.path("state").asText();
    }
    for (JsonNode child : node) {
      String found = find(child, taskId);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  static Optional<JsonNode> onlyFramework(JsonNode state) {
    JsonNode frameworks = state.path("frameworks");
    return frameworks.size() == 1 ? Optional.of(frameworks.get(0)) : Optional.empty();
  }

  static JsonNode state(FaultCluster cluster) {
    return cluster.masterState();
  }
}
