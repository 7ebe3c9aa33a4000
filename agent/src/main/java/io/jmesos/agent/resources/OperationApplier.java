package io.jmesos.agent.resources;

import io.jmesos.resources.Resources;
import io.jmesos.resources.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;

/**
 * Applies an offer operation on an agent's own resources (RESERVE, UNRESERVE, CREATE, DESTROY, GROW_VOLUME,
 * SHRINK_VOLUME) to its total resources, as Mesos' {@code Resources::apply}: each operation is a list of
 * conversions (resources consumed, resources they become), applied in order; a conversion whose consumed
 * resources the total does not hold fails the whole operation with Mesos' message
 * ({@code <total> does not contain <consumed>}).
 *
 * <p>Pure and thread-safe.
 */
public final class OperationApplier {
  private OperationApplier() {}

  /** The total after the operation, or why it cannot be applied. */
  public record Outcome(Optional<Resources> total, Optional<String> error) {
    static Outcome ok(Resources total) {
      return new Outcome(Optional.of(total), Optional.empty());
    }

    static Outcome failed(String error) {
      return new Outcome(Optional.empty(), Optional.of(error));
    }
  }

  /** One conversion: {@code consumed} is taken out of the total and {@code converted} added. */
  private record Conversion(Resources consumed, Resources converted, Optional<Resource> mustBeGone) {
    Conversion(Resources consumed, Resources converted) {
      this(consumed, converted, Optional.empty());
    }
  }

  /**
   * Applies {@code given} to {@code total}. The operation's resources may carry the allocation info of the offer
   * they came from (the master sends them so): it is taken off first, the agent's total being unallocated.
   */
  public static Outcome apply(Resources total, Offer.Operation given) {
    Offer.Operation operation = stripAllocationInfo(given);
    Optional<String> invalid = Resources.validate(resourcesOf(operation));
    if (invalid.isPresent()) {
      return Outcome.failed("Invalid operation: " + invalid.get());
    }
    List<Conversion> conversions = new ArrayList<>();
    Optional<String> error = conversions(operation, conversions);
    if (error.isPresent()) {
      return Outcome.failed("Cannot get conversions: " + error.get());
    }
    Resources result = total;
    for (Conversion conversion : conversions) {
      if (!result.contains(conversion.consumed())) {
        return Outcome.failed(result + " does not contain " + conversion.consumed());
      }
      result = result.minus(conversion.consumed()).plus(conversion.converted());
      if (conversion.mustBeGone().isPresent() && result.contains(conversion.mustBeGone().get())) {
        return Outcome.failed("Persistent volume " + Resources.of(conversion.mustBeGone().get())
            + " cannot be removed due to additional shared copies");
      }
    }
    return Outcome.ok(result);
  }

  /** The operation with no allocation info on its resources (Mesos' {@code protobuf::stripAllocationInfo}). */
  public static Offer.Operation stripAllocationInfo(Offer.Operation operation) {
    Offer.Operation.Builder b = operation.toBuilder();
    if (operation.hasReserve()) {
      b.getReserveBuilder().getResourcesBuilderList().forEach(Resource.Builder::clearAllocationInfo);
      b.getReserveBuilder().getSourceBuilderList().forEach(Resource.Builder::clearAllocationInfo);
    }
    if (operation.hasUnreserve()) {
      b.getUnreserveBuilder().getResourcesBuilderList().forEach(Resource.Builder::clearAllocationInfo);
    }
    if (operation.hasCreate()) {
      b.getCreateBuilder().getVolumesBuilderList().forEach(Resource.Builder::clearAllocationInfo);
    }
    if (operation.hasDestroy()) {
      b.getDestroyBuilder().getVolumesBuilderList().forEach(Resource.Builder::clearAllocationInfo);
    }
    if (operation.hasGrowVolume()) {
      b.getGrowVolumeBuilder().getVolumeBuilder().clearAllocationInfo();
      b.getGrowVolumeBuilder().getAdditionBuilder().clearAllocationInfo();
    }
    if (operation.hasShrinkVolume()) {
      b.getShrinkVolumeBuilder().getVolumeBuilder().clearAllocationInfo();
    }
    return b.buildPartial();
  }

  /** Every resource the operation names, to validate them. */
  static List<Resource> resourcesOf(Offer.Operation operation) {
    List<Resource> all = new ArrayList<>();
    all.addAll(operation.getReserve().getResourcesList());
    all.addAll(operation.getReserve().getSourceList());
    all.addAll(operation.getUnreserve().getResourcesList());
    all.addAll(operation.getCreate().getVolumesList());
    all.addAll(operation.getDestroy().getVolumesList());
    if (operation.hasGrowVolume()) {
      all.add(operation.getGrowVolume().getVolume());
      all.add(operation.getGrowVolume().getAddition());
    }
    if (operation.hasShrinkVolume()) {
      all.add(operation.getShrinkVolume().getVolume());
    }
    return all;
  }

  private static Optional<String> conversions(Offer.Operation operation, List<Conversion> out) {
    switch (operation.getType()) {
      case RESERVE: {
        if (operation.getReserve().getResourcesCount() == 0) {
          return Optional.of("Operation contains no resources");
        }
        Resources reserved = upgraded(operation.getReserve().getResourcesList());
        Resources consumed = operation.getReserve().getSourceCount() > 0
            ? upgraded(operation.getReserve().getSourceList())
            : popReservation(reserved);
        out.add(new Conversion(consumed, reserved));
        return Optional.empty();
      }
      case UNRESERVE: {
        if (operation.getUnreserve().getResourcesCount() == 0) {
          return Optional.of("Operation contains no resources");
        }
        for (Resource r : operation.getUnreserve().getResourcesList()) {
          Resources reserved = Resources.of(Resources.postRefinement(r));
          out.add(new Conversion(reserved, popReservation(reserved)));
        }
        return Optional.empty();
      }
      case CREATE: {
        if (operation.getCreate().getVolumesCount() == 0) {
          return Optional.of("Operation contains no resources");
        }
        for (Resource r : operation.getCreate().getVolumesList()) {
          Resource volume = Resources.postRefinement(r);
          if (!volume.getDisk().hasPersistence()) {
            return Optional.of("Resource " + Resources.of(volume) + " is not a persistent volume");
          }
          if (!Resources.isReserved(volume)) {
            // Mesos' master refuses it; its agent could not even place such a volume (no role to file it under).
            return Optional.of("Persistent volumes cannot be created from unreserved resources");
          }
          out.add(new Conversion(Resources.of(stripVolume(volume)), Resources.of(volume)));
        }
        return Optional.empty();
      }
      case DESTROY: {
        if (operation.getDestroy().getVolumesCount() == 0) {
          return Optional.of("Operation contains no resources");
        }
        for (Resource r : operation.getDestroy().getVolumesList()) {
          Resource volume = Resources.postRefinement(r);
          if (!volume.getDisk().hasPersistence()) {
            return Optional.of("Resource " + Resources.of(volume) + " is not a persistent volume");
          }
          out.add(new Conversion(Resources.of(volume), Resources.of(stripVolume(volume)), Optional.of(volume)));
        }
        return Optional.empty();
      }
      case GROW_VOLUME: {
        Resource volume = Resources.postRefinement(operation.getGrowVolume().getVolume());
        Resource addition = Resources.postRefinement(operation.getGrowVolume().getAddition());
        if (volume.hasProviderId()) {
          return Optional.of("Operation not supported for resource provider");
        }
        Resource converted = volume.toBuilder()
            .setScalar(Values.add(volume.getScalar(), addition.getScalar())).build();
        out.add(new Conversion(Resources.of(volume).plus(addition), Resources.of(converted)));
        return Optional.empty();
      }
      case SHRINK_VOLUME: {
        Resource volume = Resources.postRefinement(operation.getShrinkVolume().getVolume());
        if (volume.hasProviderId()) {
          return Optional.of("Operation not supported for resource provider");
        }
        Resource freed = stripVolume(volume.toBuilder().setScalar(operation.getShrinkVolume().getSubtract()).build());
        Resource shrunk = volume.toBuilder()
            .setScalar(Values.subtract(volume.getScalar(), operation.getShrinkVolume().getSubtract())).build();
        out.add(new Conversion(Resources.of(volume), Resources.of(shrunk).plus(freed)));
        return Optional.empty();
      }
      case UNKNOWN:
        return Optional.of("Unknown operation");
      default:
        return Optional.of("Operation not supported");
    }
  }

  /** The resource without its persistence and volume (a plain disk), not shared: what a volume is made of. */
  static Resource stripVolume(Resource volume) {
    Resource.Builder stripped = volume.toBuilder();
    if (volume.getDisk().hasSource()) {
      stripped.getDiskBuilder().clearPersistence().clearVolume();
    } else {
      stripped.clearDisk();
    }
    return stripped.clearShared().build();
  }

  private static Resources upgraded(List<Resource> resources) {
    List<Resource> list = new ArrayList<>();
    resources.forEach(r -> list.add(Resources.postRefinement(r)));
    return Resources.of(list);
  }

  /** The resources with their innermost reservation taken off (Mesos' {@code popReservation}). */
  private static Resources popReservation(Resources resources) {
    List<Resource> popped = new ArrayList<>();
    for (Resource r : resources) {
      Resource.Builder b = r.toBuilder();
      if (b.getReservationsCount() > 0) {
        b.removeReservations(b.getReservationsCount() - 1);
      }
      popped.add(b.build());
    }
    return Resources.of(popped);
  }
}
