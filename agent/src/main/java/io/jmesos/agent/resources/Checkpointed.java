package io.jmesos.agent.resources;

import io.jmesos.resources.Resources;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.ReservationInfo;

/**
 * Which resources an agent checkpoints and how they sit on its {@code --resources}, as Mesos'
 * {@code needCheckpointing} and {@code applyCheckpointedResources} ({@code src/common/resources_utils.cpp}).
 *
 * <p>Pure and thread-safe.
 */
public final class Checkpointed {
  private Checkpointed() {}

  /** Dynamically reserved resources and persistent volumes (not of a resource provider) are checkpointed. */
  public static boolean needsCheckpointing(Resource resource) {
    return !resource.hasProviderId() && (isDynamicallyReserved(resource) || resource.getDisk().hasPersistence());
  }

  static boolean isDynamicallyReserved(Resource resource) {
    Resource r = Resources.postRefinement(resource);
    return r.getReservationsCount() > 0
        && r.getReservations(r.getReservationsCount() - 1).getType() == ReservationInfo.Type.DYNAMIC;
  }

  /**
   * The agent's total: {@code resources} (its {@code --resources}) with each checkpointed resource in place of the
   * plain resource it was made of (dynamic reservations and volume information taken off), or why they do not fit.
   */
  public static OperationApplier.Outcome apply(Resources resources, Resources checkpointed) {
    Resources total = resources;
    for (Resource given : checkpointed) {
      Resource resource = Resources.postRefinement(given);
      if (!needsCheckpointing(resource)) {
        return OperationApplier.Outcome.failed("Unexpected checkpointed resources " + Resources.of(resource));
      }
      Resource.Builder stripped = resource.toBuilder();
      if (isDynamicallyReserved(resource)) {
        // Only unreserved and statically reserved resources are on the command line.
        ReservationInfo first = resource.getReservations(0);
        stripped.clearReservations();
        if (first.getType() == ReservationInfo.Type.STATIC) {
          stripped.addReservations(first);
        }
      }
      Resource plain = resource.getDisk().hasPersistence()
          ? OperationApplier.stripVolume(stripped.build()) : stripped.clearShared().build();
      if (!total.contains(plain)) {
        return OperationApplier.Outcome.failed(
            "Incompatible agent resources: " + total + " does not contain " + Resources.of(plain));
      }
      total = total.minus(plain).plus(resource);
    }
    return OperationApplier.Outcome.ok(total);
  }

  /** The checkpointed part of {@code total}. */
  public static Resources of(Resources total) {
    return total.filter(Checkpointed::needsCheckpointing);
  }
}
