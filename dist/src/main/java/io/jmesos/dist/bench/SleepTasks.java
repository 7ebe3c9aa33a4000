package io.jmesos.dist.bench;

import io.jmesos.resources.Resources;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;

/** The benches' command tasks: as many as fit in an offer, numbered, each running the same command. Stateless. */
final class SleepTasks {
  private SleepTasks() {}

  /**
   * Tasks {@code first}, {@code first + 1}, ... (at most {@code max}) named {@code <prefix><n>}, each with
   * {@code taskResources} and running {@code command}, for as long as {@code perTask} (what one task takes of the
   * offer, its executor's share included) still fits in what is left of the offer.
   */
  static List<TaskInfo> fill(Offer offer, Resources perTask, Resources taskResources, String prefix, String command,
      int first, int max) {
    Resources left = Resources.of(offer.getResourcesList()).stripAllocationInfo();
    List<TaskInfo> tasks = new ArrayList<>();
    while (tasks.size() < max && left.contains(perTask)) {
      int n = first + tasks.size();
      tasks.add(TaskInfo.newBuilder()
          .setName(prefix + n)
          .setTaskId(TaskID.newBuilder().setValue(Integer.toString(n)))
          .setSlaveId(offer.getSlaveId())
          .addAllResources(taskResources.toList())
          .setCommand(CommandInfo.newBuilder().setValue(command))
          .build());
      left = left.minus(perTask);
    }
    return tasks;
  }
}
