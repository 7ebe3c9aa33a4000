package io.jmesos.scheduler;

import com.google.protobuf.ByteString;
import io.jmesos.protocol.Evolve;
import java.util.Collection;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Request;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.OfferConstraints;

/**
 * Builds the v1 scheduler {@link Call}s that the driver's methods map to, from the v0 types of the Java
 * API. Pure functions: no state, thread-safe.
 */
final class Calls {
  private Calls() {}

  static Call subscribe(FrameworkInfo framework, Collection<String> suppressedRoles,
      org.apache.mesos.scheduler.Protos.OfferConstraints constraints) {
    Call.Subscribe.Builder subscribe = Call.Subscribe.newBuilder()
        .setFrameworkInfo(Evolve.evolvePartial(framework, org.apache.mesos.v1.Protos.FrameworkInfo.parser()))
        .addAllSuppressedRoles(suppressedRoles);
    if (constraints != null && !constraints.equals(constraints.getDefaultInstanceForType())) {
      subscribe.setOfferConstraints(Evolve.evolvePartial(constraints, OfferConstraints.parser()));
    }
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(subscribe);
    if (framework.hasId() && !framework.getId().getValue().isEmpty()) {
      call.setFrameworkId(v1(framework.getId()));
    }
    return call.build();
  }

  static Call teardown(FrameworkID frameworkId) {
    return base(frameworkId, Call.Type.TEARDOWN).build();
  }

  static Call launch(FrameworkID frameworkId, Collection<OfferID> offerIds, Collection<TaskInfo> tasks,
      Filters filters) {
    return accept(frameworkId, offerIds, java.util.List.of(launchOperation(tasks)), filters);
  }

  static Offer.Operation launchOperation(Collection<TaskInfo> tasks) {
    return Offer.Operation.newBuilder()
        .setType(Offer.Operation.Type.LAUNCH)
        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks))
        .build();
  }

  static Call accept(FrameworkID frameworkId, Collection<OfferID> offerIds, Collection<Offer.Operation> operations,
      Filters filters) {
    Call.Accept.Builder accept = Call.Accept.newBuilder()
        .addAllOfferIds(Evolve.evolveAllPartial(offerIds, org.apache.mesos.v1.Protos.OfferID.parser()))
        .addAllOperations(Evolve.evolveAllPartial(operations, org.apache.mesos.v1.Protos.Offer.Operation.parser()))
        .setFilters(Evolve.evolvePartial(filters, org.apache.mesos.v1.Protos.Filters.parser()));
    return base(frameworkId, Call.Type.ACCEPT).setAccept(accept).build();
  }

  static Call decline(FrameworkID frameworkId, OfferID offerId, Filters filters) {
    Call.Decline.Builder decline = Call.Decline.newBuilder()
        .addOfferIds(Evolve.evolvePartial(offerId, org.apache.mesos.v1.Protos.OfferID.parser()))
        .setFilters(Evolve.evolvePartial(filters, org.apache.mesos.v1.Protos.Filters.parser()));
    return base(frameworkId, Call.Type.DECLINE).setDecline(decline).build();
  }

  /** REVIVE for the given roles, or for all the framework's roles when {@code roles} is empty. */
  static Call revive(FrameworkID frameworkId, Collection<String> roles) {
    Call.Builder call = base(frameworkId, Call.Type.REVIVE);
    if (!roles.isEmpty()) {
      call.setRevive(Call.Revive.newBuilder().addAllRoles(roles));
    }
    return call.build();
  }

  /** SUPPRESS for the given roles, or for all the framework's roles when {@code roles} is empty. */
  static Call suppress(FrameworkID frameworkId, Collection<String> roles) {
    Call.Builder call = base(frameworkId, Call.Type.SUPPRESS);
    if (!roles.isEmpty()) {
      call.setSuppress(Call.Suppress.newBuilder().addAllRoles(roles));
    }
    return call.build();
  }

  static Call kill(FrameworkID frameworkId, TaskID taskId) {
    Call.Kill.Builder kill = Call.Kill.newBuilder()
        .setTaskId(Evolve.evolvePartial(taskId, org.apache.mesos.v1.Protos.TaskID.parser()));
    return base(frameworkId, Call.Type.KILL).setKill(kill).build();
  }

  static Call acknowledge(FrameworkID frameworkId, SlaveID slaveId, TaskID taskId, ByteString uuid) {
    Call.Acknowledge.Builder ack = Call.Acknowledge.newBuilder()
        .setAgentId(agent(slaveId))
        .setTaskId(Evolve.evolvePartial(taskId, org.apache.mesos.v1.Protos.TaskID.parser()))
        .setUuid(uuid);
    return base(frameworkId, Call.Type.ACKNOWLEDGE).setAcknowledge(ack).build();
  }

  static Call reconcile(FrameworkID frameworkId, Collection<TaskStatus> statuses) {
    Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
    for (TaskStatus status : statuses) {
      Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder()
          .setTaskId(Evolve.evolvePartial(status.getTaskId(), org.apache.mesos.v1.Protos.TaskID.parser()));
      if (status.hasSlaveId()) {
        task.setAgentId(agent(status.getSlaveId()));
      }
      reconcile.addTasks(task);
    }
    return base(frameworkId, Call.Type.RECONCILE).setReconcile(reconcile).build();
  }

  static Call message(FrameworkID frameworkId, SlaveID slaveId, ExecutorID executorId, byte[] data) {
    Call.Message.Builder message = Call.Message.newBuilder()
        .setAgentId(agent(slaveId))
        .setExecutorId(Evolve.evolvePartial(executorId, org.apache.mesos.v1.Protos.ExecutorID.parser()))
        .setData(ByteString.copyFrom(data));
    return base(frameworkId, Call.Type.MESSAGE).setMessage(message).build();
  }

  static Call request(FrameworkID frameworkId, Collection<Request> requests) {
    Call.Request.Builder request = Call.Request.newBuilder()
        .addAllRequests(Evolve.evolveAllPartial(requests, org.apache.mesos.v1.Protos.Request.parser()));
    return base(frameworkId, Call.Type.REQUEST).setRequest(request).build();
  }

  static Call updateFramework(FrameworkInfo framework, Collection<String> suppressedRoles,
      org.apache.mesos.scheduler.Protos.OfferConstraints constraints) {
    Call.UpdateFramework.Builder update = Call.UpdateFramework.newBuilder()
        .setFrameworkInfo(Evolve.evolvePartial(framework, org.apache.mesos.v1.Protos.FrameworkInfo.parser()))
        .addAllSuppressedRoles(suppressedRoles)
        .setOfferConstraints(Evolve.evolvePartial(constraints, OfferConstraints.parser()));
    return base(framework.getId(), Call.Type.UPDATE_FRAMEWORK).setUpdateFramework(update).build();
  }

  private static Call.Builder base(FrameworkID frameworkId, Call.Type type) {
    return Call.newBuilder().setFrameworkId(v1(frameworkId)).setType(type);
  }

  private static org.apache.mesos.v1.Protos.FrameworkID v1(FrameworkID id) {
    return Evolve.evolvePartial(id, org.apache.mesos.v1.Protos.FrameworkID.parser());
  }

  private static AgentID agent(SlaveID id) {
    return Evolve.evolvePartial(id, AgentID.parser());
  }
}
