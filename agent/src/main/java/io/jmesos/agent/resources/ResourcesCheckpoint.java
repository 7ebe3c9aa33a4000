package io.jmesos.agent.resources;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.agent.checkpoint.CheckpointException;
import io.jmesos.agent.checkpoint.Checkpoints;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Roles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.Protos.Operation;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.ReservationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's checkpointed resources (dynamic reservations and persistent volumes) and operations, in Mesos' files
 * under {@code <work_dir>/meta/resources}:
 *
 * <ul>
 *   <li>{@code resources.info}: the resources, each framed as one protobuf record (stout's write of a
 *       {@code RepeatedPtrField<Resource>}), in the pre-reservation-refinement format when they can be (Mesos
 *       downgrades what it checkpoints so that an older agent can read it);
 *   <li>{@code resources_and_operations.state}: one {@link ResourceState} record, the resources (not downgraded)
 *       and the operations whose status is not acknowledged yet (Mesos 1.5+ reads this one first).
 * </ul>
 *
 * <p>A change is written to the {@code .target} files first, then, once the persistent volumes on disk match it,
 * committed by renaming the targets over the files ({@link #commit()}); a target left by a crash is finished at the
 * next start, as Mesos' agent does. Every write is atomic and durable ({@link Checkpoints}).
 *
 * <p>Blocks on the disk; the agent calls it from its actor, as it does its other checkpoints.
 */
public final class ResourcesCheckpoint {
  private static final Logger LOG = LoggerFactory.getLogger(ResourcesCheckpoint.class);

  private final Path dir;

  /** What the files hold: the committed resources, a target not committed yet, the operations. */
  public record Recovered(List<Resource> resources, Optional<List<Resource>> target, List<Operation> operations) {}

  public ResourcesCheckpoint(Path metaDir) {
    this.dir = Objects.requireNonNull(metaDir, "metaDir").resolve("resources");
  }

  /** {@code meta/resources/resources.info}. */
  public Path info() {
    return dir.resolve("resources.info");
  }

  public Path target() {
    return dir.resolve("resources.target");
  }

  /** {@code meta/resources/resources_and_operations.state}. */
  public Path state() {
    return dir.resolve("resources_and_operations.state");
  }

  public Path stateTarget() {
    return dir.resolve("resources_and_operations.target");
  }

  /**
   * Reads the checkpoint as Mesos' {@code ResourcesState::recover}: {@code resources_and_operations.state} (and its
   * target) when it exists, else {@code resources.info} (and its target). Resources come back in the
   * post-reservation-refinement format.
   *
   * @throws CheckpointException naming the file that cannot be read (Mesos' "Failed to read resources file")
   */
  public Recovered recover() throws CheckpointException {
    if (Files.exists(state())) {
      ResourceState committed = readState(state()).orElse(new ResourceState(List.of(), List.of()));
      Optional<ResourceState> target = Files.exists(stateTarget()) ? readState(stateTarget()) : Optional.empty();
      return new Recovered(upgrade(committed.resources()), target.map(t -> upgrade(t.resources())),
          committed.operations());
    }
    List<Resource> committed = Checkpoints.readMessages(info(), Resource.parser());
    Optional<List<Resource>> target = Files.exists(target())
        ? Optional.of(upgrade(Checkpoints.readMessages(target(), Resource.parser()))) : Optional.empty();
    return new Recovered(upgrade(committed), target, List.of());
  }

  /** Writes both target files: the resources to checkpoint and the operations to keep. */
  public void writeTarget(Resources resources, List<Operation> operations) throws IOException {
    // As Mesos: the resource state as it is, resources.info downgraded for older agents.
    Checkpoints.writeFrame(stateTarget(), new ResourceState(operations, resources.toList()).toByteArray());
    Checkpoints.writeMessages(target(), downgrade(resources.toList()));
  }

  /** Renames the target files over the committed ones (those there are). */
  public void commit() throws IOException {
    if (Files.exists(stateTarget())) {
      Checkpoints.rename(stateTarget(), state());
    }
    if (Files.exists(target())) {
      Checkpoints.rename(target(), info());
    }
    LOG.debug("Committed the checkpointed resources to '{}'", info());
  }

  /**
   * The resources in the pre-reservation-refinement format, as Mesos' {@code downgradeResources}: unreserved ones
   * get role {@code *}; one reservation becomes {@code role} (and {@code reservation} when dynamic). It stops at the
   * first resource with refined reservations, which has no such format: that one and the rest stay as they are.
   */
  @SuppressWarnings("deprecation") // The deprecated role and reservation fields are the pre-refinement format.
  static List<Resource> downgrade(List<Resource> resources) {
    List<Resource> out = new ArrayList<>(resources.size());
    boolean stopped = false;
    for (Resource given : resources) {
      Resource resource = Resources.postRefinement(given);
      if (stopped || resource.getReservationsCount() > 1) {
        stopped = true;
        out.add(resource);
        continue;
      }
      Resource.Builder b = resource.toBuilder();
      if (resource.getReservationsCount() == 0) {
        b.setRole(Roles.ANY);
      } else {
        ReservationInfo only = resource.getReservations(0);
        if (only.getType() == ReservationInfo.Type.DYNAMIC) {
          ReservationInfo.Builder target = b.getReservationBuilder();
          if (only.hasPrincipal()) {
            target.setPrincipal(only.getPrincipal());
          }
          if (only.hasLabels()) {
            target.setLabels(only.getLabels());
          }
        }
        b.setRole(only.getRole()).clearReservations();
      }
      out.add(b.build());
    }
    return out;
  }

  private static List<Resource> upgrade(List<Resource> resources) {
    List<Resource> out = new ArrayList<>(resources.size());
    resources.forEach(r -> out.add(Resources.postRefinement(r)));
    return out;
  }

  private static Optional<ResourceState> readState(Path file) throws CheckpointException {
    Optional<byte[]> body = Checkpoints.readFrame(file);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ResourceState.parseFrom(body.get(), 0, body.get().length));
    } catch (InvalidProtocolBufferException e) {
      throw new CheckpointException(file, "Failed to read resource and operations file '" + file + "': "
          + e.getMessage(), e);
    }
  }
}
