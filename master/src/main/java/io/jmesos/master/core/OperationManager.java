package io.jmesos.master.core;

import com.google.protobuf.ByteString;
import io.jmesos.internal.Messages.AcknowledgeOperationStatusMessage;
import io.jmesos.internal.Messages.ApplyOperationMessage;
import io.jmesos.internal.Messages.CheckpointResourcesMessage;
import io.jmesos.internal.Messages.UpdateOperationStatusMessage;
import io.jmesos.master.operations.Conversions;
import io.jmesos.master.operations.Conversions.Conversion;
import io.jmesos.master.operations.Conversions.ConversionException;
import io.jmesos.master.operations.OperationStore;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.validation.OperationValidator;
import io.jmesos.protocol.Evolve;
import io.jmesos.resources.Resources;
import io.jmesos.transport.Connection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Operation;
import org.apache.mesos.Protos.OperationID;
import org.apache.mesos.Protos.OperationState;
import org.apache.mesos.Protos.OperationStatus;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offer operations on agents' own resources (RESERVE, UNRESERVE, CREATE, DESTROY, GROW_VOLUME, SHRINK_VOLUME),
 * from frameworks (ACCEPT) and from the operator, and their feedback, as Mesos' {@code Master::_accept},
 * {@code _apply}, {@code updateOperationStatus}, {@code acknowledgeOperationStatus} and {@code
 * reconcileOperations}. The master applies each operation speculatively to its view of the agent, tells the
 * allocator, and sends it to the agent in an {@link ApplyOperationMessage}; the agent's {@link
 * UpdateOperationStatusMessage}s are forwarded to the framework when the operation has an id (the framework
 * acknowledges them) and acknowledged at once otherwise. Runs on the actor.
 */
public final class OperationManager {
  private static final Logger LOG = LoggerFactory.getLogger(OperationManager.class);

  private final MasterContext ctx;
  public final OperationStore store = new OperationStore();

  OperationManager(MasterContext ctx) {
    this.ctx = ctx;
  }

  /**
   * One operation of an ACCEPT call against {@code available} (the offered resources not used by the earlier
   * operations): validated, authorized and applied, or dropped (OPERATION_ERROR to the framework when it has an
   * id). Returns the resources left for the next operations.
   */
  public Resources accept(Framework framework, Agent agent, Offer.Operation operation, Resources available) {
    if (operation.getType() == Offer.Operation.Type.RESERVE && operation.getReserve().getSourceCount() > 0) {
      drop(framework, operation, "Operation attempted with invalid resources: Reservation updates are not yet"
          + " implemented for the scheduler API.");
      return available;
    }
    if (operation.hasId() && store.contains(framework.id(), operation.getId())) {
      drop(framework, operation, "Operation '" + operation.getId().getValue() + "' is already known");
      return available;
    }
    Optional<String> principal = framework.info().hasPrincipal()
        ? Optional.of(framework.info().getPrincipal()) : Optional.empty();
    Optional<String> error = validate(operation, agent, principal, Optional.of(framework.info()), framework.roles())
        .map(e -> e + "; on agent " + agent)
        .or(() -> ctx.authz.operation(principal, operation));
    if (error.isPresent()) {
      drop(framework, operation, error.get());
      return available;
    }
    if (operation.getType() == Offer.Operation.Type.DESTROY) {
      rescindOffersWith(agent, operation.getDestroy().getVolumesList());
    }
    List<Conversion> conversions;
    Resources left;
    try {
      conversions = Conversions.of(operation);
      left = Conversions.apply(available, conversions);
    } catch (ConversionException e) {
      drop(framework, operation, e.getMessage());
      return available;
    }
    LOG.info("Applying {} operation {} from framework {} to agent {}", operation.getType(), describe(operation),
        framework, agent);
    apply(agent, framework.id(), operation);
    ctx.allocator.updateAllocation(framework.id(), agent.id(), Conversions.consumed(conversions),
        Conversions.converted(conversions));
    return left;
  }

  /**
   * An operation of the operator API (RESERVE_RESOURCES, /reserve, ...) made as {@code principal}, as Mesos'
   * {@code Master::Http::_reserve} ... {@code _operation}: 400 for an unknown agent or an invalid operation
   * (Mesos' prefixes), 403 when not authorized, then offers on the agent are rescinded until they hold what the
   * operation needs, and the allocator converts the agent's unallocated resources: 409 when they are not
   * available; else the operation is applied and sent to the agent (empty: 202 Accepted).
   */
  public CompletableFuture<Optional<Rejection>> operator(SlaveID slaveId, Offer.Operation operation,
      Optional<String> principal) {
    Agent agent = ctx.state.agents.get(slaveId);
    if (agent == null || !ctx.state.recovered) {
      return done(Rejection.badRequest("No agent found with specified ID"));
    }
    Optional<String> invalid = validate(operation, agent, principal, Optional.empty(), Set.of());
    if (invalid.isPresent()) {
      String prefix = switch (operation.getType()) {
        case UNRESERVE, DESTROY -> "Invalid " + operation.getType() + " operation: ";
        default -> "Invalid " + operation.getType() + " operation on agent " + agent + ": ";
      };
      return done(Rejection.badRequest(prefix + invalid.get()));
    }
    if (ctx.authz.operation(principal, operation).isPresent()) {
      return done(new Rejection(403, ""));
    }
    List<Conversion> conversions;
    try {
      conversions = Conversions.of(operation);
    } catch (ConversionException e) {
      return done(Rejection.badRequest("Invalid " + operation.getType() + " operation: " + e.getMessage()));
    }
    Resources required = Conversions.consumed(conversions);
    // Rescinded offers are recovered by updateAvailable itself, so that no allocation takes them in between.
    Map<FrameworkID, Resources> rescinded = new HashMap<>();
    for (OfferID id : List.copyOf(agent.offers)) {
      Offer offer = ctx.offers.get(id);
      if (offer == null) {
        continue;
      }
      Resources recovered = Resources.of(offer.getResourcesList()).stripAllocationInfo();
      Resources left = required.minus(recovered);
      if (left.equals(required)) {
        continue;
      }
      required = left;
      ctx.offers.remove(offer);
      Framework framework = ctx.state.frameworks.get(offer.getFrameworkId());
      if (framework != null) {
        ctx.send(framework, Events.rescind(offer.getId()));
      }
      rescinded.merge(offer.getFrameworkId(), Resources.of(offer.getResourcesList()), Resources::plus);
      if (required.isEmpty()) {
        break;
      }
    }
    Resources consumed = Conversions.consumed(conversions);
    Resources converted = Conversions.converted(conversions);
    return ctx.allocator.updateAvailable(slaveId, rescinded, consumed, converted).thenApplyAsync(error -> {
      if (error.isPresent()) {
        LOG.warn("Refusing {} operation {} from an operator on agent {}: {}", operation.getType(),
            describe(operation), agent, error.get());
        return Optional.of(Rejection.conflict(error.get()));
      }
      if (ctx.state.agents.get(slaveId) != agent) {
        return Optional.of(Rejection.conflict("Agent removed while processing the call"));
      }
      LOG.info("Applying {} operation {} from an operator to agent {}", operation.getType(), describe(operation),
          agent);
      apply(agent, null, operation);
      return Optional.<Rejection>empty();
    }, ctx.actor);
  }

  private static CompletableFuture<Optional<Rejection>> done(Rejection rejection) {
    return CompletableFuture.completedFuture(Optional.of(rejection));
  }

  private Optional<String> validate(Offer.Operation operation, Agent agent, Optional<String> principal,
      Optional<FrameworkInfo> framework, Set<String> roles) {
    switch (operation.getType()) {
      case RESERVE:
        return OperationValidator.reserve(operation.getReserve(), principal, framework, roles);
      case UNRESERVE:
        return OperationValidator.unreserve(operation.getUnreserve());
      case CREATE:
        return OperationValidator.create(operation.getCreate(), agent.checkpointed(), principal, framework);
      case DESTROY:
        return OperationValidator.destroy(operation.getDestroy(), agent.checkpointed(), usedOn(agent));
      case GROW_VOLUME:
        return OperationValidator.grow(operation.getGrowVolume());
      case SHRINK_VOLUME:
        return OperationValidator.shrink(operation.getShrinkVolume());
      default:
        return Optional.of("Operation not supported");
    }
  }

  /** What the tasks and executors of each framework use on {@code agent}. */
  private List<Resources> usedOn(Agent agent) {
    List<Resources> used = new ArrayList<>();
    for (Framework framework : ctx.state.frameworks.values()) {
      Resources sum = agent.executorResources(framework.id());
      for (Task task : framework.tasks.onAgent(agent.id())) {
        if (!io.jmesos.protocol.TaskStates.isTerminal(task.getState())) {
          sum = sum.plus(Resources.of(task.getResourcesList()));
        }
      }
      if (!sum.isEmpty()) {
        used.add(sum);
      }
    }
    return used;
  }

  /** Mesos' {@code Master::_apply} for an agent that takes operations: record, convert, send. */
  private void apply(Agent agent, FrameworkID frameworkId, Offer.Operation operation) {
    OperationStatus.Builder pending = OperationStatus.newBuilder().setState(OperationState.OPERATION_PENDING)
        .setSlaveId(agent.id());
    if (operation.hasId()) {
      pending.setOperationId(operation.getId());
    }
    Operation.Builder record = Operation.newBuilder().setSlaveId(agent.id()).setInfo(operation)
        .setLatestStatus(pending).setUuid(uuid());
    if (frameworkId != null) {
      record.setFrameworkId(frameworkId);
    }
    Operation op = record.build();
    store.put(op);
    try {
      Offer.Operation stripped = Conversions.stripAllocationInfo(operation);
      agent.applied(Conversions.apply(agent.total(), Conversions.of(stripped)));
    } catch (ConversionException e) {
      // The offer or the allocator's check guaranteed the resources: this is a bug.
      throw new IllegalStateException("Operation " + operation.getType() + " does not apply to agent " + agent
          + ": " + e.getMessage(), e);
    }
    ApplyOperationMessage.Builder message = ApplyOperationMessage.newBuilder().setOperationInfo(operation)
        .setOperationUuid(op.getUuid());
    if (frameworkId != null) {
      message.setFrameworkId(frameworkId);
    }
    LOG.info("Sending operation '{}' (uuid: {}) to agent {}", operation.getId().getValue(),
        uuidText(op.getUuid().getValue()), agent);
    agent.send(message.build());
  }

  /** Mesos' {@code Master::drop} of an operation: logged, and OPERATION_ERROR when the framework wants feedback. */
  public void drop(Framework framework, Offer.Operation operation, String message) {
    LOG.warn("Dropping {} operation from framework {}: {}", operation.getType(), framework, message);
    if (operation.hasId()) {
      OperationStatus status = OperationStatus.newBuilder().setState(OperationState.OPERATION_ERROR)
          .setOperationId(operation.getId()).setMessage(message).build();
      ctx.send(framework, event(status));
    }
  }

  private void rescindOffersWith(Agent agent, List<Resource> volumes) {
    for (OfferID id : List.copyOf(agent.offers)) {
      Offer offer = ctx.offers.get(id);
      if (offer == null) {
        continue;
      }
      Resources offered = Resources.of(offer.getResourcesList()).stripAllocationInfo();
      for (Resource volume : volumes) {
        if (offered.contains(volume.toBuilder().clearAllocationInfo().build())) {
          ctx.offers.rescind(offer);
          break;
        }
      }
    }
  }

  // ---- Feedback ----

  /** Mesos' {@code Master::updateOperationStatus}: an agent reports an operation's status. */
  public void updateOperationStatus(Connection connection, UpdateOperationStatusMessage update) {
    Optional<FrameworkID> frameworkId = update.hasFrameworkId() ? Optional.of(update.getFrameworkId())
        : Optional.empty();
    if (!update.hasOperationUuid()) {
      frameworkId.ifPresent(id -> forward(id, update.getStatus()));
      return;
    }
    // Mesos requires slave_id; an update without one is taken as from the agent on this connection.
    Agent agent = update.hasSlaveId() ? ctx.state.agents.get(update.getSlaveId()) : ctx.state.agentOn(connection);
    if (agent == null) {
      LOG.warn("Ignoring status update for operation '{}' (uuid: {}): agent {} is not registered",
          update.getStatus().getOperationId().getValue(), uuidText(update.getOperationUuid().getValue()),
          update.getSlaveId().getValue());
      return;
    }
    Operation operation = store.get(update.getOperationUuid().getValue());
    if (operation == null) {
      frameworkId.ifPresent(id -> forward(id, update.getStatus()));
      return;
    }
    OperationStatus status = update.getStatus();
    if (operation.getInfo().hasId()) {
      frameworkId = Optional.of(operation.getFrameworkId());
      status = status.toBuilder().setOperationId(operation.getInfo().getId()).build();
    }
    operation = record(operation, update.hasLatestStatus() ? update.getLatestStatus() : status);
    OperationStatus latest = operation.getStatuses(operation.getStatusesCount() - 1);
    boolean frameworkAcknowledges = operation.getInfo().hasId() && frameworkId.isPresent()
        && !ctx.state.completedFrameworkIds.contains(frameworkId.get());
    if (frameworkAcknowledges) {
      forward(frameworkId.get(), status);
      if (OperationStore.terminal(latest.getState()) && !latest.hasUuid()) {
        store.remove(operation);
      }
      return;
    }
    if (latest.hasUuid()) {
      agent.send(AcknowledgeOperationStatusMessage.newBuilder().setStatusUuid(latest.getUuid())
          .setOperationUuid(operation.getUuid()).build());
    }
    if (OperationStore.terminal(latest.getState())) {
      store.remove(operation);
    }
  }

  /** Mesos' {@code Master::updateOperation}: the latest state moves until terminal; every new status is kept. */
  private Operation record(Operation operation, OperationStatus status) {
    LOG.info("Updating the state of operation '{}' (uuid: {}) for {} (latest state: {}, status update state: {})",
        operation.getInfo().getId().getValue(), uuidText(operation.getUuid().getValue()),
        operation.hasFrameworkId() ? "framework " + operation.getFrameworkId().getValue() : "an operator API call",
        operation.getLatestStatus().getState(), status.getState());
    Operation.Builder b = operation.toBuilder();
    if (!OperationStore.terminal(operation.getLatestStatus().getState())) {
      b.setLatestStatus(status);
    }
    if (operation.getStatusesCount() == 0
        || !operation.getStatuses(operation.getStatusesCount() - 1).equals(status)) {
      b.addStatuses(status);
    }
    Operation updated = b.build();
    store.put(updated);
    return updated;
  }

  private void forward(FrameworkID frameworkId, OperationStatus status) {
    Framework framework = ctx.state.frameworks.get(frameworkId);
    if (framework == null || !framework.connected()) {
      LOG.warn("Received status update for operation '{}', but framework {} is {}",
          status.getOperationId().getValue(), frameworkId.getValue(), framework == null ? "unknown" : "disconnected");
      return;
    }
    LOG.info("Forwarding status {} of operation '{}' to framework {}", status.getState(),
        status.getOperationId().getValue(), framework);
    ctx.send(framework, event(status));
  }

  /** Mesos' {@code Master::acknowledgeOperationStatus} (ACKNOWLEDGE_OPERATION_STATUS). */
  public void acknowledge(Framework framework, Call.AcknowledgeOperationStatus ack) {
    OperationID operationId = Evolve.devolvePartial(ack.getOperationId(), OperationID.parser());
    SlaveID slaveId = Evolve.devolvePartial(ack.getAgentId(), SlaveID.parser());
    Agent agent = ctx.state.agents.get(slaveId);
    if (agent == null || !agent.connected()) {
      LOG.warn("Cannot send operation status update acknowledgement for operation '{}' of framework {} to agent"
          + " {} because agent is {}", operationId.getValue(), framework, slaveId.getValue(),
          agent == null ? "not registered" : "disconnected");
      return;
    }
    Operation operation = store.get(framework.id(), operationId);
    if (operation == null) {
      LOG.warn("Cannot send operation status update acknowledgement for operation '{}' of framework {} to agent"
          + " {} because the operation is unknown", operationId.getValue(), framework, slaveId.getValue());
      return;
    }
    OperationStatus acknowledged = null;
    for (OperationStatus status : operation.getStatusesList()) {
      if (status.hasUuid() && status.getUuid().getValue().equals(ack.getUuid())) {
        acknowledged = status;
      }
    }
    if (acknowledged == null) {
      LOG.warn("Ignoring operation status acknowledgement for operation '{}' of framework {}: the status is"
          + " unknown", operationId.getValue(), framework);
      return;
    }
    LOG.info("Processing ACKNOWLEDGE_OPERATION_STATUS call for status {} of operation '{}' of framework {} on"
        + " agent {}", uuidText(ack.getUuid()), operationId.getValue(), framework, slaveId.getValue());
    if (OperationStore.terminal(acknowledged.getState())) {
      store.remove(operation);
    }
    agent.send(AcknowledgeOperationStatusMessage.newBuilder()
        .setStatusUuid(org.apache.mesos.Protos.UUID.newBuilder().setValue(ack.getUuid()))
        .setOperationUuid(operation.getUuid()).build());
  }

  /** Mesos' {@code Master::reconcileOperations} (RECONCILE_OPERATIONS). */
  public void reconcile(Framework framework, Call.ReconcileOperations reconcile) {
    if (reconcile.getOperationsCount() == 0) {
      LOG.info("Performing implicit operation state reconciliation for framework {}", framework);
      for (Operation operation : store.ofFramework(framework.id())) {
        ctx.send(framework, event(lastStatus(operation)));
      }
      return;
    }
    LOG.info("Performing explicit operation state reconciliation for {} operations of framework {}",
        reconcile.getOperationsCount(), framework);
    for (Call.ReconcileOperations.Operation wanted : reconcile.getOperationsList()) {
      OperationID id = Evolve.devolvePartial(wanted.getOperationId(), OperationID.parser());
      SlaveID slaveId = wanted.hasAgentId() ? Evolve.devolvePartial(wanted.getAgentId(), SlaveID.parser()) : null;
      Operation known = store.get(framework.id(), id);
      OperationStatus status;
      if (known != null) {
        status = lastStatus(known);
      } else if (slaveId == null) {
        status = status(OperationState.OPERATION_UNKNOWN, id,
            "Reconciliation: Operation is unknown and no 'agent_id' was provided", null);
      } else if (ctx.state.recoveredAgents.containsKey(slaveId)) {
        status = status(OperationState.OPERATION_RECOVERING, id,
            "Reconciliation: Agent is recovered but has not re-registered", slaveId);
      } else if (ctx.state.agents.containsKey(slaveId)) {
        status = status(OperationState.OPERATION_UNKNOWN, id, "Reconciliation: Operation is unknown", slaveId);
      } else if (ctx.state.unreachableAgents.containsKey(slaveId)) {
        status = status(OperationState.OPERATION_UNREACHABLE, id, "Reconciliation: Agent is unreachable", slaveId);
      } else if (ctx.state.goneAgents.containsKey(slaveId)) {
        status = status(OperationState.OPERATION_GONE_BY_OPERATOR, id,
            "Reconciliation: Agent marked gone by operator", slaveId);
      } else {
        status = status(OperationState.OPERATION_UNKNOWN, id,
            "Reconciliation: Both operation and agent are unknown", slaveId);
      }
      ctx.send(framework, event(status));
    }
  }

  private static OperationStatus lastStatus(Operation operation) {
    OperationStatus status = operation.getStatusesCount() == 0 ? operation.getLatestStatus()
        : operation.getStatuses(operation.getStatusesCount() - 1);
    return status.toBuilder().clearUuid().build();
  }

  private static OperationStatus status(OperationState state, OperationID id, String message, SlaveID slaveId) {
    OperationStatus.Builder b = OperationStatus.newBuilder().setState(state).setOperationId(id).setMessage(message);
    if (slaveId != null) {
      b.setSlaveId(slaveId);
    }
    return b.build();
  }

  // ---- Agents ----

  /**
   * An agent (re-)registered with its checkpointed resources and pending operations: a known agent keeps the
   * master's view, which is sent back in a {@link CheckpointResourcesMessage} when the agent's differs and no
   * operation is in flight; an agent the master did not know (failover, unreachable) brings its own.
   */
  public void agentReregistered(Agent agent, List<Resource> checkpointed, List<Operation> operations,
      boolean known) {
    Resources reported = Resources.of(checkpointed).filter(Conversions::needsCheckpointing);
    for (Operation operation : operations) {
      if (store.get(operation.getUuid().getValue()) == null) {
        store.put(operation);
      }
    }
    if (!known) {
      agent.checkpointed(reported);
      return;
    }
    boolean inFlight = store.onAgent(agent.id()).stream()
        .anyMatch(op -> !OperationStore.terminal(op.getLatestStatus().getState()));
    if (!reported.equals(agent.checkpointed()) && !inFlight) {
      LOG.info("Sending checkpointed resources {} to agent {}, which reported {}", agent.checkpointed(), agent,
          reported);
      agent.send(CheckpointResourcesMessage.newBuilder().addAllResources(agent.checkpointed()).build());
    }
  }

  /** The agent is gone for good: its operations are forgotten. */
  public void agentRemoved(SlaveID slaveId) {
    for (Operation operation : store.onAgent(slaveId)) {
      store.remove(operation);
    }
  }

  static Event event(OperationStatus status) {
    return Event.newBuilder().setType(Event.Type.UPDATE_OPERATION_STATUS)
        .setUpdateOperationStatus(Event.UpdateOperationStatus.newBuilder()
            .setStatus(Evolve.evolvePartial(status, org.apache.mesos.v1.Protos.OperationStatus.parser())))
        .build();
  }

  private static org.apache.mesos.Protos.UUID uuid() {
    UUID uuid = UUID.randomUUID();
    ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits());
    return org.apache.mesos.Protos.UUID.newBuilder().setValue(ByteString.copyFrom(bytes.array())).build();
  }

  static String uuidText(ByteString bytes) {
    if (bytes.size() != 16) {
      return bytes.toStringUtf8();
    }
    ByteBuffer b = bytes.asReadOnlyByteBuffer();
    return new UUID(b.getLong(), b.getLong()).toString();
  }

  private static String describe(Offer.Operation operation) {
    switch (operation.getType()) {
      case RESERVE:
        return "for resources " + Resources.of(operation.getReserve().getResourcesList());
      case UNRESERVE:
        return "for resources " + Resources.of(operation.getUnreserve().getResourcesList());
      case CREATE:
        return "for volumes " + Resources.of(operation.getCreate().getVolumesList());
      case DESTROY:
        return "for volumes " + Resources.of(operation.getDestroy().getVolumesList());
      case GROW_VOLUME:
        return "for volume " + Resources.of(operation.getGrowVolume().getVolume());
      case SHRINK_VOLUME:
        return "for volume " + Resources.of(operation.getShrinkVolume().getVolume());
      default:
        return "";
    }
  }
}
