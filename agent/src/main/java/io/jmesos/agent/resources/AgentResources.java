package io.jmesos.agent.resources;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.internal.Messages.AcknowledgeOperationStatusMessage;
import io.jmesos.internal.Messages.ApplyOperationMessage;
import io.jmesos.internal.Messages.CheckpointResourcesMessage;
import io.jmesos.internal.Messages.ReconcileOperationsMessage;
import io.jmesos.internal.Messages.UpdateOperationStatusMessage;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Operation;
import org.apache.mesos.Protos.OperationState;
import org.apache.mesos.Protos.OperationStatus;
import org.apache.mesos.Protos.SlaveID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's total resources with its reservations and persistent volumes, and the offer operations the master
 * sent it, as Mesos' agent keeps them ({@code Slave::applyOperation}, {@code checkpointResourceState},
 * {@code operationStatusAcknowledgement}):
 *
 * <ul>
 *   <li>an {@link ApplyOperationMessage} is applied to the total at once (every operation on an agent's own
 *       resources is speculative); the checkpointed resources and the operation are checkpointed, the volumes on
 *       disk made to match, and the master gets an {@link UpdateOperationStatusMessage}: OPERATION_FINISHED, or
 *       OPERATION_FAILED with the reason when the operation does not apply (Mesos' agent aborts there instead);
 *   <li>that status is re-sent with a doubling interval (10s up to 10 min, as Mesos' operation status update
 *       manager) while the agent is connected, until the master acknowledges it
 *       ({@link AcknowledgeOperationStatusMessage}); the operation is then forgotten. Unacknowledged operations are
 *       checkpointed with the resources, so a restarted agent reports them when it re-registers and re-sends them;
 *   <li>a {@link CheckpointResourcesMessage} replaces the whole checkpointed set.
 * </ul>
 *
 * <p>Not thread-safe: owned by the agent's actor; its checkpoint writes block on the disk there, as the agent's
 * other checkpoints do.
 */
public final class AgentResources {
  private static final Logger LOG = LoggerFactory.getLogger(AgentResources.class);

  public static final Duration RETRY_INTERVAL_MIN = Duration.ofSeconds(10);
  public static final Duration RETRY_INTERVAL_MAX = Duration.ofMinutes(10);

  private final Actor actor;
  private final Path workDir;
  private final ResourcesCheckpoint checkpoint;
  private final Resources base;
  private final Consumer<Message> master;
  private final Supplier<Optional<SlaveID>> slaveId;
  private final Supplier<Resources> inUse;
  /** Operations not acknowledged yet, by operation uuid, oldest first. */
  private final Map<ByteString, Pending> operations = new LinkedHashMap<>();
  private Resources total;
  private boolean connected;

  private static final class Pending {
    Operation operation;
    Duration interval = RETRY_INTERVAL_MIN;
    Clock.Timer timer;

    Pending(Operation operation) {
      this.operation = operation;
    }
  }

  /**
   * @param base the agent's {@code --resources}
   * @param recovered what {@link #recover} read
   * @param master sends a message to the master (dropped while disconnected)
   * @param inUse the resources of the live executors and tasks (a volume in use is not destroyed)
   */
  public AgentResources(Actor actor, Path workDir, ResourcesCheckpoint checkpoint, Resources base,
      Recovered recovered, Consumer<Message> master, Supplier<Optional<SlaveID>> slaveId, Supplier<Resources> inUse) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    this.base = Objects.requireNonNull(base, "base");
    this.master = Objects.requireNonNull(master, "master");
    this.slaveId = Objects.requireNonNull(slaveId, "slaveId");
    this.inUse = Objects.requireNonNull(inUse, "inUse");
    this.total = recovered.total();
    recovered.operations().forEach(op -> operations.put(op.getUuid().getValue(), new Pending(op)));
  }

  /**
   * What the last agent checkpointed, fitted on this agent's {@code --resources}; {@code errors}: checkpoint files
   * skipped as unreadable (only with {@code --strict=false}).
   */
  public record Recovered(Resources total, List<Operation> operations, int errors) {}

  /**
   * Reads the checkpointed resources (finishing a change a crash interrupted: its volumes are synced and it is
   * committed) and puts them on {@code base}, as Mesos' {@code Slave::recover}.
   *
   * @param strict {@code --strict}: an unreadable checkpoint stops the agent; else it is skipped (as empty)
   * @throws IllegalStateException with Mesos' message when the checkpoint cannot be read (strict), its volumes
   *     cannot be synced, or it does not fit the {@code --resources} (the agent must not start)
   */
  public static Recovered recover(Path workDir, ResourcesCheckpoint checkpoint, Resources base, boolean strict) {
    ResourcesCheckpoint.Recovered read;
    int errors = 0;
    try {
      read = checkpoint.recover();
    } catch (IOException e) {
      if (strict) {
        throw new IllegalStateException("Failed to perform recovery: " + e.getMessage(), e);
      }
      LOG.warn("Skipping the checkpointed resources: {}", e.getMessage());
      read = new ResourcesCheckpoint.Recovered(List.of(), Optional.empty(), List.of());
      errors = 1;
    }
    Resources checkpointed = Resources.of(read.resources());
    if (read.target().isPresent()) {
      Resources target = Resources.of(read.target().get());
      try {
        PersistentVolumes.sync(workDir, checkpointed, target);
        checkpoint.commit();
      } catch (IOException e) {
        throw new IllegalStateException("Failed to perform recovery: Target checkpointed resources " + target
            + " failed to sync from current checkpointed resources " + checkpointed + ": " + e.getMessage(), e);
      }
      checkpointed = target;
    }
    OperationApplier.Outcome fitted = Checkpointed.apply(base, checkpointed);
    if (fitted.error().isPresent()) {
      throw new IllegalStateException("Failed to perform recovery: Checkpointed resources " + checkpointed
          + " are incompatible with agent resources " + base + ": " + fitted.error().get());
    }
    if (!checkpointed.isEmpty()) {
      LOG.info("Recovered checkpointed resources {} and {} operations", checkpointed, read.operations().size());
    }
    return new Recovered(fitted.total().get(), read.operations(), errors);
  }

  /** The agent's total resources: its {@code --resources} with its reservations and volumes. */
  public Resources total() {
    return total;
  }

  /** The dynamically reserved resources and persistent volumes (what registration reports). */
  public Resources checkpointed() {
    return Checkpointed.of(total);
  }

  /** The operations whose status the master has not acknowledged yet, oldest first. */
  public List<Operation> operations() {
    List<Operation> list = new ArrayList<>();
    operations.values().forEach(p -> list.add(p.operation));
    return list;
  }

  public void apply(ApplyOperationMessage message) {
    actor.assertInActorThread();
    ByteString uuid = message.getOperationUuid().getValue();
    Offer.Operation info = message.getOperationInfo();
    String name = describe(info, uuid, message.hasFrameworkId() ? message.getFrameworkId().getValue() : null);
    Pending known = operations.get(uuid);
    if (known != null) {
      LOG.info("Ignoring operation {}: it was applied already; re-sending its status", name);
      send(known);
      return;
    }
    OperationApplier.Outcome outcome = OperationApplier.apply(total, info);
    Optional<String> error = outcome.error();
    if (error.isEmpty() && info.getType() == Offer.Operation.Type.DESTROY) {
      Resources used = inUse.get().stripAllocationInfo();
      Offer.Operation stripped = OperationApplier.stripAllocationInfo(info);
      if (stripped.getDestroy().getVolumesList().stream()
          .anyMatch(v -> used.contains(Resources.postRefinement(v)))) {
        error = Optional.of("Persistent volumes in use");
      }
    }
    OperationStatus.Builder status = OperationStatus.newBuilder()
        .setState(error.isPresent() ? OperationState.OPERATION_FAILED : OperationState.OPERATION_FINISHED)
        .setUuid(org.apache.mesos.Protos.UUID.newBuilder().setValue(randomUuid()));
    if (info.hasId()) {
      status.setOperationId(info.getId());
    }
    slaveId.get().ifPresent(status::setSlaveId);
    Operation.Builder operation = Operation.newBuilder().setInfo(info).setUuid(message.getOperationUuid());
    if (message.hasFrameworkId()) {
      operation.setFrameworkId(message.getFrameworkId());
    }
    slaveId.get().ifPresent(operation::setSlaveId);
    Resources next = error.isPresent() ? total : outcome.total().get();
    if (error.isEmpty()) {
      Operation finished = operation.setLatestStatus(status).addStatuses(status).build();
      Optional<String> failed = persist(next, withOperation(finished));
      if (failed.isPresent()) {
        error = failed;
        status.setState(OperationState.OPERATION_FAILED);
      }
    }
    if (error.isPresent()) {
      status.setMessage(error.get());
      Operation failedOperation = operation.clearStatuses().setLatestStatus(status).addStatuses(status).build();
      LOG.warn("Failed to apply operation {}: {}", name, error.get());
      operations.put(uuid, new Pending(failedOperation));
      persist(total, operations());
    } else {
      LOG.info("Applied operation {}; total resources now {}", name, next);
      total = next;
      operations.put(uuid, new Pending(operation.build()));
    }
    send(operations.get(uuid));
  }

  public void acknowledge(AcknowledgeOperationStatusMessage message) {
    actor.assertInActorThread();
    ByteString uuid = message.getOperationUuid().getValue();
    Pending pending = operations.get(uuid);
    if (pending == null) {
      LOG.warn("Dropping operation update acknowledgement with status_uuid {} and operation_uuid {} because the "
          + "operation was not found", hex(message.getStatusUuid().getValue()), hex(uuid));
      return;
    }
    if (!pending.operation.getLatestStatus().getUuid().equals(message.getStatusUuid())) {
      LOG.error("Failed to acknowledge status update for operation (uuid: {}): unexpected status uuid {}", hex(uuid),
          hex(message.getStatusUuid().getValue()));
      return;
    }
    cancel(pending);
    operations.remove(uuid);
    persist(total, operations());
    LOG.info("Operation {} acknowledged ({})", hex(uuid), pending.operation.getLatestStatus().getState());
  }

  public void checkpointResources(CheckpointResourcesMessage message) {
    actor.assertInActorThread();
    Resources wanted = Resources.of(message.getResourcesList());
    OperationApplier.Outcome fitted = Checkpointed.apply(base, wanted);
    if (fitted.error().isPresent()) {
      LOG.error("Ignoring checkpointed resources {} from the master: {}", wanted, fitted.error().get());
      return;
    }
    if (Checkpointed.of(total).equals(wanted)) {
      LOG.debug("Ignoring new checkpointed resources identical to the current version");
      return;
    }
    Optional<String> failed = persist(fitted.total().get(), operations());
    if (failed.isPresent()) {
      LOG.error("Failed to checkpoint resources {}: {}", wanted, failed.get());
      return;
    }
    LOG.info("Updated checkpointed resources from {} to {}", Checkpointed.of(total), wanted);
    total = fitted.total().get();
  }

  /**
   * The master's reconciliation of the operations it believes pending here: one it names that this agent does
   * not know gets OPERATION_DROPPED; a framework's reconciliation of a known one gets its latest status. Best
   * effort, never retried (Mesos' {@code reconcileOperations}).
   */
  public void reconcile(ReconcileOperationsMessage message) {
    actor.assertInActorThread();
    for (ReconcileOperationsMessage.Operation asked : message.getOperationsList()) {
      if (!asked.hasOperationUuid()) {
        continue;
      }
      Pending known = operations.get(asked.getOperationUuid().getValue());
      UpdateOperationStatusMessage.Builder update = UpdateOperationStatusMessage.newBuilder()
          .setOperationUuid(asked.getOperationUuid());
      slaveId.get().ifPresent(update::setSlaveId);
      if (known != null) {
        if (!message.hasFrameworkId()) {
          continue;
        }
        update.setFrameworkId(message.getFrameworkId())
            .setStatus(known.operation.getLatestStatus().toBuilder().clearUuid());
      } else {
        OperationStatus.Builder dropped = OperationStatus.newBuilder().setState(OperationState.OPERATION_DROPPED);
        slaveId.get().ifPresent(dropped::setSlaveId);
        update.setStatus(dropped);
        if (message.hasFrameworkId()) {
          update.setFrameworkId(message.getFrameworkId());
        }
      }
      master.accept(update.build());
    }
  }

  /** (Re-)registered: sends every unacknowledged status at once, then retries them. */
  public void connected() {
    actor.assertInActorThread();
    connected = true;
    for (Pending pending : operations.values()) {
      cancel(pending);
      pending.interval = RETRY_INTERVAL_MIN;
      send(pending);
    }
  }

  /** Disconnected from the master: retries stop until {@link #connected()}. */
  public void disconnected() {
    connected = false;
    operations.values().forEach(this::cancel);
  }

  public void close() {
    disconnected();
  }

  private void send(Pending pending) {
    cancel(pending);
    if (!connected) {
      return;
    }
    Operation op = pending.operation;
    UpdateOperationStatusMessage.Builder update = UpdateOperationStatusMessage.newBuilder()
        .setOperationUuid(op.getUuid())
        .setStatus(op.getLatestStatus())
        .setLatestStatus(op.getLatestStatus());
    if (op.hasFrameworkId()) {
      update.setFrameworkId(op.getFrameworkId());
    }
    slaveId.get().ifPresent(update::setSlaveId);
    master.accept(update.build());
    Duration wait = pending.interval;
    pending.interval = wait.multipliedBy(2).compareTo(RETRY_INTERVAL_MAX) > 0
        ? RETRY_INTERVAL_MAX : wait.multipliedBy(2);
    pending.timer = actor.delay(wait, () -> {
      pending.timer = null;
      if (operations.get(op.getUuid().getValue()) == pending) {
        LOG.debug("Re-sending status {} of operation {}", op.getLatestStatus().getState(),
            hex(op.getUuid().getValue()));
        send(pending);
      }
    });
  }

  private void cancel(Pending pending) {
    if (pending.timer != null) {
      pending.timer.cancel();
      pending.timer = null;
    }
  }

  private List<Operation> withOperation(Operation operation) {
    List<Operation> list = operations();
    list.add(operation);
    return list;
  }

  /**
   * Checkpoints {@code next}'s reservations and volumes with {@code ops}: the target files first, then the volumes
   * on disk, then the commit. Empty on success, else why (nothing is committed then).
   */
  private Optional<String> persist(Resources next, List<Operation> ops) {
    Resources before = Checkpointed.of(total);
    Resources after = Checkpointed.of(next);
    try {
      checkpoint.writeTarget(after, ops);
      PersistentVolumes.sync(workDir, before, after);
      checkpoint.commit();
      return Optional.empty();
    } catch (IOException e) {
      LOG.error("Failed to checkpoint resources {}: {}", after, e.getMessage());
      return Optional.of(e.getMessage());
    }
  }

  private static String describe(Offer.Operation info, ByteString uuid, String frameworkId) {
    return (info.hasId() ? "'" + info.getId().getValue() + "' " : "") + info.getType() + " (uuid: " + hex(uuid)
        + ")" + (frameworkId != null ? " of framework " + frameworkId : " from an operator API call");
  }

  private static ByteString randomUuid() {
    UUID uuid = UUID.randomUUID();
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits()).array());
  }

  static String hex(ByteString bytes) {
    if (bytes.size() == 16) {
      ByteBuffer b = bytes.asReadOnlyByteBuffer();
      return new UUID(b.getLong(), b.getLong()).toString();
    }
    return bytes.toStringUtf8();
  }
}
