package io.jmesos.master.validation;

import io.jmesos.master.operations.Conversions;
import io.jmesos.resources.Resources;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Volume;

/**
 * Mesos' {@code validation::operation::validate} for the operations on an agent's own resources, with its
 * messages. {@code framework} is empty for the operator API (unallocated resources), {@code principal} the
 * principal the operation is made as (a framework's, or the operator's), if any. Pure; thread-safe.
 */
public final class OperationValidator {
  private OperationValidator() {}

  public static Optional<String> reserve(Offer.Operation.Reserve reserve, Optional<String> principal,
      Optional<FrameworkInfo> framework, Set<String> frameworkRoles) {
    Optional<String> error = Resources.validate(reserve.getResourcesList()).map(e -> "Invalid resources: " + e);
    if (error.isPresent()) {
      return error;
    }
    error = Resources.validate(reserve.getSourceList()).map(e -> "Invalid source: " + e);
    if (error.isPresent()) {
      return error;
    }
    if (reserve.getSourceCount() > 0) {
      error = sameReservations(reserve.getSourceList()).map(e -> "Invalid source: " + e)
          .or(() -> sameReservations(reserve.getResourcesList()).map(e -> "Invalid resources: " + e));
      if (error.isPresent()) {
        return error;
      }
      Resources source = Resources.of(reserve.getSourceList()).toUnreserved();
      Resources target = Resources.of(reserve.getResourcesList()).toUnreserved();
      if (!source.equals(target)) {
        return Optional.of("Source and target resources should refer to identical resource quantities: "
            + source + " vs. " + target);
      }
    }
    for (Resource resource : reserve.getResourcesList()) {
      if (!Conversions.isDynamicallyReserved(resource)) {
        return Optional.of("Resource " + Resources.of(resource) + " is not dynamically reserved");
      }
      String role = Resources.reservationRole(resource);
      if (principal.isPresent()) {
        Resource.ReservationInfo reservation = Resources.postRefinement(resource)
            .getReservations(Resources.postRefinement(resource).getReservationsCount() - 1);
        if (!reservation.hasPrincipal()) {
          return Optional.of("A reserve operation was attempted by principal '" + principal.get() + "', but there"
              + " is a reserved resource in the request with no principal set");
        }
        if (!principal.get().equals(reservation.getPrincipal())) {
          return Optional.of("A reserve operation was attempted by authenticated principal '" + principal.get()
              + "', which does not match a reserved resource in the request with principal '"
              + reservation.getPrincipal() + "'");
        }
      }
      if (framework.isPresent()) {
        if (!resource.getAllocationInfo().hasRole()) {
          return Optional.of("A reserve operation was attempted on unallocated resource " + Resources.of(resource)
              + ", but frameworks can only perform reservations on allocated resources");
        }
        String allocated = resource.getAllocationInfo().getRole();
        if (!allocated.equals(role)) {
          return Optional.of("A reserve operation was attempted for a resource with role '" + role + "', but the"
              + " resource was allocated to role '" + allocated + "'");
        }
        if (!frameworkRoles.contains(allocated)) {
          return Optional.of("A reserve operation was attempted for a resource allocated to role '" + allocated
              + "', but the framework only has roles '" + setString(frameworkRoles) + "'");
        }
      } else if (resource.hasAllocationInfo()) {
        return Optional.of("A reserve operation was attempted with an allocated resource, but the operator API"
            + " only allows reservations to be made to unallocated resources");
      }
    }
    if (framework.isPresent()) {
      return singleRole(reserve.getResourcesList()).map(e -> "Invalid reservation resources: " + e);
    }
    return Optional.empty();
  }

  public static Optional<String> unreserve(Offer.Operation.Unreserve unreserve) {
    Optional<String> error = Resources.validate(unreserve.getResourcesList()).map(e -> "Invalid resources: " + e);
    if (error.isPresent()) {
      return error;
    }
    for (Resource resource : unreserve.getResourcesList()) {
      if (!Conversions.isDynamicallyReserved(resource)) {
        return Optional.of("Resource " + Resources.of(resource) + " is not dynamically reserved");
      }
      if (resource.hasDisk() && resource.getDisk().hasPersistence()) {
        return Optional.of("A dynamically reserved persistent volume " + Resources.of(resource) + " cannot be"
            + " unreserved directly. Please destroy the persistent volume first then unreserve the resource");
      }
    }
    return Optional.empty();
  }

  public static Optional<String> create(Offer.Operation.Create create, Resources checkpointed,
      Optional<String> principal, Optional<FrameworkInfo> framework) {
    List<Resource> volumes = create.getVolumesList();
    Optional<String> error = Resources.validate(volumes).map(e -> "Invalid resources: " + e)
        .or(() -> persistentVolume(volumes).map(e -> "Not a persistent volume: " + e))
        .or(() -> uniquePersistenceIds(checkpointed.plus(Resources.of(volumes))));
    if (error.isPresent()) {
      return error;
    }
    for (Resource volume : volumes) {
      if (framework.isPresent() && volume.hasShared() && framework.get().getCapabilitiesList().stream()
          .noneMatch(c -> c.getType() == FrameworkInfo.Capability.Type.SHARED_RESOURCES)) {
        return Optional.of("Create volume operation for '" + Resources.of(volume) + "' has been attempted by"
            + " framework '" + framework.get().getId().getValue() + "' with no SHARED_RESOURCES capability");
      }
      if (principal.isPresent()) {
        if (!volume.getDisk().getPersistence().hasPrincipal()) {
          return Optional.of("Create volume operation attempted by principal '" + principal.get() + "', but there"
              + " is a volume in the operation with no principal set in 'disk.persistence'");
        }
        if (!principal.get().equals(volume.getDisk().getPersistence().getPrincipal())) {
          return Optional.of("Create volume operation attempted by authenticated principal '" + principal.get()
              + "', which does not match a volume in the operation with principal '"
              + volume.getDisk().getPersistence().getPrincipal() + "' set in 'disk.persistence'");
        }
      }
    }
    if (framework.isPresent()) {
      return singleRole(volumes).map(e -> "Invalid volume resources: " + e);
    }
    return Optional.empty();
  }

  /** {@code used}: what each framework's tasks and executors use on the agent. */
  public static Optional<String> destroy(Offer.Operation.Destroy destroy, Resources checkpointed,
      Collection<Resources> used) {
    Resources volumes = Resources.of(destroy.getVolumesList()).stripAllocationInfo();
    Optional<String> error = Resources.validate(volumes).map(e -> "Invalid resources: " + e)
        .or(() -> persistentVolume(volumes.toList()).map(e -> "Not a persistent volume: " + e));
    if (error.isPresent()) {
      return error;
    }
    for (Resource volume : volumes) {
      if (!checkpointed.contains(volume)) {
        return Optional.of("Persistent volumes not found");
      }
    }
    for (Resources resources : used) {
      Resources unallocated = resources.stripAllocationInfo();
      for (Resource volume : volumes) {
        if (unallocated.contains(volume)) {
          return Optional.of("Persistent volumes in use");
        }
      }
    }
    return Optional.empty();
  }

  public static Optional<String> grow(Offer.Operation.GrowVolume grow) {
    Optional<String> error = Resources.validate(grow.getVolume())
        .map(e -> "Invalid resource in the 'GrowVolume.volume' field: " + e)
        .or(() -> Resources.validate(grow.getAddition())
            .map(e -> "Invalid resource in the 'GrowVolume.addition' field: " + e));
    if (error.isPresent()) {
      return error;
    }
    if (grow.getAddition().getScalar().getValue() <= 0) {
      return Optional.of("The size of 'GrowVolume.addition' field must be greater than zero");
    }
    error = persistentVolume(List.of(grow.getVolume()))
        .map(e -> "Invalid persistent volume in the 'GrowVolume.volume' field: " + e);
    if (error.isPresent()) {
      return error;
    }
    if (grow.getVolume().hasShared()) {
      return Optional.of("Growing a shared persistent volume is not supported");
    }
    if (Resources.of(Conversions.stripVolume(grow.getVolume())).plus(grow.getAddition()).size() != 1) {
      return Optional.of("Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields");
    }
    return Optional.empty();
  }

  public static Optional<String> shrink(Offer.Operation.ShrinkVolume shrink) {
    Optional<String> error = Resources.validate(shrink.getVolume())
        .map(e -> "Invalid resource in the 'ShrinkVolume.volume' field: " + e);
    if (error.isPresent()) {
      return error;
    }
    double subtract = shrink.getSubtract().getValue();
    if (subtract <= 0) {
      return Optional.of("Value of 'ShrinkVolume.subtract' must be greater than zero");
    }
    if (shrink.getVolume().getScalar().getValue() <= subtract) {
      return Optional.of("Value of 'ShrinkVolume.subtract' must be smaller than the size of"
          + " 'ShrinkVolume.volume'");
    }
    if (shrink.getVolume().getDisk().getSource().getType() == Resource.DiskInfo.Source.Type.MOUNT) {
      return Optional.of("Shrinking a volume on a MOUNT disk is not supported");
    }
    error = persistentVolume(List.of(shrink.getVolume()))
        .map(e -> "Invalid persistent volume in the 'ShrinkVolume.volume' field: " + e);
    if (error.isPresent()) {
      return error;
    }
    if (shrink.getVolume().hasShared()) {
      return Optional.of("Shrinking a shared persistent volume is not supported");
    }
    return Optional.empty();
  }

  private static Optional<String> sameReservations(List<Resource> resources) {
    if (resources.isEmpty()) {
      return Optional.of("Resource cannot be empty");
    }
    List<Resource.ReservationInfo> first = Resources.postRefinement(resources.get(0)).getReservationsList();
    for (Resource r : resources) {
      if (!Resources.postRefinement(r).getReservationsList().equals(first)) {
        return Optional.of("Mixed reservations are not supported" + Resources.of(resources));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> persistentVolume(List<Resource> volumes) {
    for (Resource volume : volumes) {
      if (!volume.hasDisk()) {
        return Optional.of("Resource " + Resources.of(volume) + " does not have DiskInfo");
      } else if (!volume.getDisk().hasPersistence()) {
        return Optional.of("'persistence' is not set in DiskInfo");
      } else if (!volume.getDisk().hasVolume()) {
        return Optional.of("Expecting 'volume' to be set for persistent volume");
      } else if (volume.getDisk().getVolume().getMode() == Volume.Mode.RO) {
        return Optional.of("Read-only persistent volume not supported");
      }
    }
    return Optional.empty();
  }

  /** Mesos' {@code validateUniquePersistenceID}: ids are unique per role. */
  public static Optional<String> uniquePersistenceIds(Resources resources) {
    Map<String, Set<String>> ids = new HashMap<>();
    for (Resource volume : resources.persistentVolumes()) {
      String id = volume.getDisk().getPersistence().getId();
      if (!ids.computeIfAbsent(Resources.reservationRole(volume), k -> new HashSet<>()).add(id)) {
        return Optional.of("Persistence ID '" + id + "' is not unique");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> singleRole(List<Resource> resources) {
    String role = null;
    for (Resource resource : resources) {
      if (!resource.getAllocationInfo().hasRole()) {
        return Optional.of("The resources are not allocated to a role");
      }
      String r = resource.getAllocationInfo().getRole();
      if (role == null) {
        role = r;
      } else if (!r.equals(role)) {
        return Optional.of("The resources have multiple allocation roles ('" + r + "' and '" + role + "') but only"
            + " one allocation role is allowed");
      }
    }
    return Optional.empty();
  }

  /** stout's rendering of a set: {@code { a, b }}. */
  private static String setString(Set<String> values) {
    return values.isEmpty() ? "{  }" : "{ " + String.join(", ", new TreeSet<>(values)) + " }";
  }
}
