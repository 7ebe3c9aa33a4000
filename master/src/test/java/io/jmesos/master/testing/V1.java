package io.jmesos.master.testing;

import io.jmesos.protocol.Evolve;
import io.jmesos.resources.Resources;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** v1 builders for tests. */
public final class V1 {
  private V1() {}

  public static List<Resource> resources(String text, String role) {
    List<Resource> out = new ArrayList<>();
    for (var r : Resources.parse(text, "*").allocatedTo(role)) {
      out.add(Evolve.evolvePartial(r, Resource.parser()));
    }
    return out;
  }

  public static TaskInfo commandTask(String id, AgentID agent, String resources) {
    return TaskInfo.newBuilder()
        .setName(id)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(agent)
        .addAllResources(resources(resources, "*"))
        .setCommand(CommandInfo.newBuilder().setValue("sleep 1000"))
        .build();
  }

  public static Call.Builder launch(Offer offer, TaskInfo... tasks) {
    return Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId())
        .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
            .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(List.of(tasks)))));
  }
}
