package io.jmesos.master.core;

import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.validation.OfferValidator;
import io.jmesos.master.validation.TaskValidator;
import io.jmesos.resources.Resources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.TaskGroupInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACCEPT call, as Mesos' {@code Master::accept}: invalid offers turn every task into TASK_DROPPED
 * (partition-aware frameworks) or TASK_LOST with REASON_INVALID_OFFERS; otherwise operations run in order
 * against the offered resources, each invalid task gets TASK_ERROR (REASON_TASK_INVALID or
 * REASON_TASK_GROUP_INVALID), each task its framework's principal may not run as its user gets TASK_ERROR
 * (REASON_TASK_UNAUTHORIZED; a whole group REASON_TASK_GROUP_UNAUTHORIZED; run_tasks ACLs, checked before
 * validation as Mesos) and what no operation used goes back to the allocator with the call's filters.
 * RESERVE, UNRESERVE, CREATE, DESTROY, GROW_VOLUME and SHRINK_VOLUME go to the {@link OperationManager}, which
 * converts the remaining offered resources, so that later operations (and launches) see what they made.
 * CREATE_DISK and DESTROY_DISK (resource providers) are dropped. Runs on the actor.
 */
public final class AcceptHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AcceptHandler.class);

  private final MasterContext ctx;

  AcceptHandler(MasterContext ctx) {
    this.ctx = ctx;
  }

  public void accept(Framework framework, List<OfferID> offerIds, List<Offer.Operation> operations,
      Filters filters) {
    Optional<String> invalid = OfferValidator.validate(offerIds, framework, ctx.state);
    if (invalid.isPresent()) {
      rejectAll(framework, offerIds, operations, invalid.get());
      return;
    }
    List<Offer> offers = new ArrayList<>();
    for (OfferID id : offerIds) {
      Offer offer = ctx.offers.get(id);
      offers.add(offer);
      ctx.offers.remove(offer);
    }
    Agent agent = ctx.state.agents.get(offers.get(0).getSlaveId());
    String role = offers.get(0).getAllocationInfo().getRole();
    Resources available = OfferManager.resources(offers);
    Set<TaskID> launched = new HashSet<>();
    for (Offer.Operation operation : operations) {
      if (operation.hasId() && (operation.getType() == Offer.Operation.Type.LAUNCH
          || operation.getType() == Offer.Operation.Type.LAUNCH_GROUP)) {
        // As Mesos: operation feedback is not supported for launches.
        boolean group = operation.getType() == Offer.Operation.Type.LAUNCH_GROUP;
        List<TaskInfo> tasks = group ? operation.getLaunchGroup().getTaskGroup().getTasksList()
            : operation.getLaunch().getTaskInfosList();
        for (TaskInfo task : tasks) {
          ctx.tasks.masterUpdate(framework, ctx.masterStatus(task.getTaskId(), agent.id(), TaskState.TASK_ERROR,
              group ? TaskStatus.Reason.REASON_TASK_GROUP_INVALID : TaskStatus.Reason.REASON_TASK_INVALID,
              "The `id` field cannot be set on " + operation.getType() + " operations"));
        }
        continue;
      }
      switch (operation.getType()) {
        case LAUNCH:
          for (TaskInfo task : operation.getLaunch().getTaskInfosList()) {
            if (task.hasExecutor() && !task.getExecutor().hasFrameworkId()) {
              // As Mesos: the field came later to the API, so the master fills it in.
              task = task.toBuilder().setExecutor(task.getExecutor().toBuilder().setFrameworkId(framework.id()))
                  .build();
            }
            available = launch(framework, agent, withAllocation(task, role), launched, available);
          }
          break;
        case LAUNCH_GROUP:
          available = launchGroup(framework, agent, operation.getLaunchGroup().getExecutor(),
              operation.getLaunchGroup().getTaskGroup(), role, launched, available);
          break;
        case RESERVE:
        case UNRESERVE:
        case CREATE:
        case DESTROY:
        case GROW_VOLUME:
        case SHRINK_VOLUME:
          available = ctx.operations.accept(framework, agent, withAllocation(operation, role), available);
          break;
        default:
          ctx.operations.drop(framework, operation, "Operation not supported");
      }
    }
    if (!available.isEmpty()) {
      ctx.allocator.recoverResources(framework.id(), agent.id(), available, filters);
    }
  }

  private Resources launch(Framework framework, Agent agent, TaskInfo task, Set<TaskID> launched,
      Resources available) {
    Resources executorResources = newExecutorResources(framework, agent, task.hasExecutor() ? task.getExecutor()
        : null, launched);
    Optional<String> unauthorized = ctx.authz.launch(framework.info(), task);
    if (unauthorized.isPresent()) {
      LOG.warn("Refusing task {} of framework {}: {}", task.getTaskId().getValue(), framework, unauthorized.get());
      ctx.tasks.masterUpdate(framework, ctx.masterStatus(task.getTaskId(), agent.id(), TaskState.TASK_ERROR,
          TaskStatus.Reason.REASON_TASK_UNAUTHORIZED, unauthorized.get()));
      return available;
    }
    Optional<String> error = TaskValidator.validate(task, framework, agent, launched, available,
        executorResources);
    if (error.isPresent()) {
      LOG.warn("Rejecting task {} of framework {}: {}", task.getTaskId().getValue(), framework, error.get());
      ctx.tasks.masterUpdate(framework, ctx.masterStatus(task.getTaskId(), agent.id(), TaskState.TASK_ERROR,
          TaskStatus.Reason.REASON_TASK_INVALID, error.get()));
      return available;
    }
    launched.add(task.getTaskId());
    ctx.tasks.launch(framework, agent, task);
    return available.minus(Resources.of(task.getResourcesList()).plus(executorResources));
  }

  private Resources launchGroup(Framework framework, Agent agent, ExecutorInfo executor, TaskGroupInfo group,
      String role, Set<TaskID> launched, Resources available) {
    ExecutorInfo exec = executor.toBuilder().setFrameworkId(framework.id())
        .clearResources().addAllResources(withAllocation(executor.getResourcesList(), role)).build();
    TaskGroupInfo.Builder allocated = TaskGroupInfo.newBuilder();
    for (TaskInfo task : group.getTasksList()) {
      allocated.addTasks(withAllocation(task, role));
    }
    TaskGroupInfo tasks = allocated.build();
    Resources executorResources = newExecutorResources(framework, agent, exec, launched);
    // The whole group is authorized, or none of it runs: the last refusal is reported for every task, as Mesos.
    Optional<String> error = Optional.empty();
    for (TaskInfo task : tasks.getTasksList()) {
      Optional<String> unauthorized = ctx.authz.launchInGroup(framework.info(), task);
      if (unauthorized.isPresent()) {
        error = unauthorized;
      }
    }
    TaskStatus.Reason reason = TaskStatus.Reason.REASON_TASK_GROUP_UNAUTHORIZED;
    if (error.isEmpty()) {
      error = TaskValidator.validateGroup(exec, tasks, framework, agent, launched, available, executorResources);
      reason = TaskStatus.Reason.REASON_TASK_GROUP_INVALID;
    }
    if (error.isPresent()) {
      LOG.warn("Rejecting task group of framework {}: {}", framework, error.get());
      for (TaskInfo task : tasks.getTasksList()) {
        ctx.tasks.masterUpdate(framework, ctx.masterStatus(task.getTaskId(), agent.id(), TaskState.TASK_ERROR,
            reason, error.get()));
      }
      return available;
    }
    Resources used = executorResources;
    for (TaskInfo task : tasks.getTasksList()) {
      launched.add(task.getTaskId());
      used = used.plus(Resources.of(task.getResourcesList()));
    }
    ctx.tasks.launchGroup(framework, agent, exec, tasks);
    return available.minus(used);
  }

  /** Resources of an executor that does not run on the agent yet (it is charged to the first task). */
  private Resources newExecutorResources(Framework framework, Agent agent, ExecutorInfo executor,
      Set<TaskID> launched) {
    if (executor == null || agent.hasExecutor(framework.id(), executor.getExecutorId())) {
      return Resources.empty();
    }
    return Resources.of(executor.getResourcesList());
  }

  /** Frameworks that are not MULTI_ROLE may omit allocation_info; the master fills in the offer's role. */
  private static TaskInfo withAllocation(TaskInfo task, String role) {
    if (allAllocated(task.getResourcesList())
        && (!task.hasExecutor() || allAllocated(task.getExecutor().getResourcesList()))) {
      return task; // a MULTI_ROLE framework's task, as it came
    }
    TaskInfo.Builder b = task.toBuilder().clearResources().addAllResources(
        withAllocation(task.getResourcesList(), role));
    if (task.hasExecutor()) {
      b.getExecutorBuilder().clearResources()
          .addAllResources(withAllocation(task.getExecutor().getResourcesList(), role));
    }
    return b.build();
  }

  /** The operation's resources with the offer's allocation role where they have none (Mesos' injection). */
  private static Offer.Operation withAllocation(Offer.Operation operation, String role) {
    Offer.Operation.Builder b = operation.toBuilder();
    switch (operation.getType()) {
      case RESERVE:
        b.getReserveBuilder().clearResources()
            .addAllResources(withAllocation(operation.getReserve().getResourcesList(), role))
            .clearSource().addAllSource(withAllocation(operation.getReserve().getSourceList(), role));
        break;
      case UNRESERVE:
        b.getUnreserveBuilder().clearResources()
            .addAllResources(withAllocation(operation.getUnreserve().getResourcesList(), role));
        break;
      case CREATE:
        b.getCreateBuilder().clearVolumes().addAllVolumes(withAllocation(operation.getCreate().getVolumesList(), role));
        break;
      case DESTROY:
        b.getDestroyBuilder().clearVolumes()
            .addAllVolumes(withAllocation(operation.getDestroy().getVolumesList(), role));
        break;
      case GROW_VOLUME:
        b.getGrowVolumeBuilder()
            .setVolume(withAllocation(List.of(operation.getGrowVolume().getVolume()), role).get(0))
            .setAddition(withAllocation(List.of(operation.getGrowVolume().getAddition()), role).get(0));
        break;
      case SHRINK_VOLUME:
        b.getShrinkVolumeBuilder()
            .setVolume(withAllocation(List.of(operation.getShrinkVolume().getVolume()), role).get(0));
        break;
      default:
        break;
    }
    return b.build();
  }

  private static boolean allAllocated(List<Resource> resources) {
    for (Resource r : resources) {
      if (!r.hasAllocationInfo()) {
        return false;
      }
    }
    return true;
  }

  private static List<Resource> withAllocation(List<Resource> resources, String role) {
    List<Resource> out = new ArrayList<>(resources.size());
    for (Resource r : resources) {
      if (r.hasAllocationInfo()) {
        out.add(r);
      } else {
        Resource.Builder b = r.toBuilder();
        b.getAllocationInfoBuilder().setRole(role);
        out.add(b.build());
      }
    }
    return out;
  }

  private void rejectAll(Framework framework, List<OfferID> offerIds, List<Offer.Operation> operations,
      String error) {
    LOG.warn("ACCEPT call of framework {} used invalid offers: {}", framework, error);
    for (OfferID id : offerIds) {
      Offer offer = ctx.offers.get(id);
      if (offer != null && offer.getFrameworkId().equals(framework.id())) {
        ctx.offers.recover(offer, null);
      }
    }
    TaskState state = framework.partitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
    for (Offer.Operation operation : operations) {
      if (operation.getType() != Offer.Operation.Type.LAUNCH
          && operation.getType() != Offer.Operation.Type.LAUNCH_GROUP) {
        ctx.operations.drop(framework, operation, "Operation attempted with invalid offers: " + error);
        continue;
      }
      List<TaskInfo> tasks = operation.getType() == Offer.Operation.Type.LAUNCH
          ? operation.getLaunch().getTaskInfosList() : operation.getLaunchGroup().getTaskGroup().getTasksList();
      for (TaskInfo task : tasks) {
        ctx.tasks.masterUpdate(framework, ctx.masterStatus(task.getTaskId(),
            task.hasSlaveId() ? task.getSlaveId() : null, state,
            TaskStatus.Reason.REASON_INVALID_OFFERS, "Task launched with invalid offers: " + error));
      }
    }
  }
}
