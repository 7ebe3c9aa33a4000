package io.jmesos.resources;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.ReservationInfo;
import org.apache.mesos.Protos.Value;

/**
 * Checks of single resources (value consistency, disk, reservation format, sharing) and of
 * command-line resources, with Mesos' rules. Errors are values. Stateless and thread-safe.
 */
@SuppressWarnings("deprecation") // Validates the deprecated role field too, as Mesos does.
final class ResourceValidator {

  private ResourceValidator() {}

  static Optional<String> validate(Resource resource) {
    Optional<String> error = validateValue(resource);
    if (error.isEmpty()) {
      error = validateDisk(resource);
    }
    if (error.isEmpty()) {
      error = resource.getReservationsCount() == 0
          ? validateOldReservation(resource)
          : validateReservations(resource);
    }
    if (error.isEmpty() && resource.hasShared()) {
      if (!resource.getName().equals("disk")) {
        error = Optional.of("Resource " + resource.getName() + " cannot be shared");
      } else if (!ResourceMath.isPersistentVolume(resource)) {
        error = Optional.of("Only persistent volumes can be shared");
      }
    }
    return error;
  }

  private static Optional<String> validateValue(Resource resource) {
    if (resource.getName().isEmpty()) {
      return Optional.of("Empty resource name");
    }
    boolean scalar = resource.hasScalar();
    boolean ranges = resource.hasRanges();
    boolean set = resource.hasSet();
    switch (resource.getType()) {
      case SCALAR:
        if (!scalar || ranges || set) {
          return Optional.of("Invalid scalar resource");
        }
        double value = resource.getScalar().getValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
          return Optional.of("Invalid scalar resource: value is " + value);
        }
        if (value != 0 && Values.toFixed(value) <= 0) {
          return Optional.of("Invalid scalar resource: value <= 0");
        }
        return Optional.empty();
      case RANGES:
        if (scalar || !ranges || set) {
          return Optional.of("Invalid ranges resource");
        }
        List<Value.Range> list = resource.getRanges().getRangeList();
        for (int i = 0; i < list.size(); i++) {
          Value.Range range = list.get(i);
          if (Long.compareUnsigned(range.getBegin(), range.getEnd()) > 0) {
            return Optional.of("Invalid ranges resource: begin > end");
          }
          for (int j = 0; j < list.size(); j++) {
            Value.Range other = list.get(j);
            if (i != j && Long.compareUnsigned(range.getBegin(), other.getBegin()) <= 0
                && Long.compareUnsigned(other.getBegin(), range.getEnd()) <= 0) {
              return Optional.of("Invalid ranges resource: overlapping ranges");
            }
          }
        }
        return Optional.empty();
      case SET:
        if (scalar || ranges || !set) {
          return Optional.of("Invalid set resource");
        }
        if (resource.getSet().getItemList().stream().distinct().count()
            != resource.getSet().getItemCount()) {
          return Optional.of("Invalid set resource: duplicated elements");
        }
        return Optional.empty();
      default:
        return Optional.of("Unsupported resource type " + resource.getType());
    }
  }

  private static Optional<String> validateDisk(Resource resource) {
    if (!resource.hasDisk()) {
      return Optional.empty();
    }
    if (!resource.getName().equals("disk")) {
      return Optional.of("DiskInfo should not be set for " + resource.getName() + " resource");
    }
    if (resource.getDisk().hasSource()) {
      Resource.DiskInfo.Source source = resource.getDisk().getSource();
      switch (source.getType()) {
        case PATH:
        case MOUNT:
          break;
        case BLOCK:
        case RAW:
          if (source.hasMount() || source.hasPath()) {
            return Optional.of("Mount or path should not be set for " + source.getType()
                + " disk source");
          }
          break;
        default:
          return Optional.of("Unsupported disk source type " + source.getType());
      }
    }
    return Optional.empty();
  }

  /** The pre-1.4 format: {@code role} plus an optional untyped {@code reservation}. */
  private static Optional<String> validateOldReservation(Resource resource) {
    Optional<String> error = Roles.validate(resource.getRole());
    if (error.isPresent() || !resource.hasReservation()) {
      return error;
    }
    if (resource.getReservation().hasType() || resource.getReservation().hasRole()) {
      return Optional.of("'Resource.reservation' must not set 'type' or 'role'");
    }
    if (Roles.ANY.equals(resource.getRole())) {
      return Optional.of("Invalid reservation: role \"*\" cannot be dynamically reserved");
    }
    return Optional.empty();
  }

  /** The 1.4+ format: a stack of reservations, each refining the one below. */
  private static Optional<String> validateReservations(Resource resource) {
    String ancestor = null;
    for (ReservationInfo reservation : resource.getReservationsList()) {
      if (!reservation.hasType() || !reservation.hasRole()) {
        return Optional.of("Invalid reservation: 'type' and 'role' must be set");
      }
      if (reservation.getType() == ReservationInfo.Type.UNKNOWN) {
        return Optional.of("Unsupported reservation type UNKNOWN");
      }
      Optional<String> error = Roles.validate(reservation.getRole());
      if (error.isPresent()) {
        return error;
      }
      if (Roles.ANY.equals(reservation.getRole())) {
        return Optional.of("Invalid reservation: role \"*\" cannot be reserved");
      }
      if (ancestor != null) {
        if (reservation.getType() == ReservationInfo.Type.STATIC) {
          return Optional.of("Invalid refined reservation: a refined reservation cannot be STATIC");
        }
        if (!Roles.isStrictSubroleOf(reservation.getRole(), ancestor)) {
          return Optional.of("Invalid refined reservation: role '" + reservation.getRole()
              + "' is not a refinement of '" + ancestor + "'");
        }
      }
      ancestor = reservation.getRole();
    }
    if (resource.getReservationsCount() > 1) {
      return resource.hasRole() || resource.hasReservation()
          ? Optional.of("'Resource.role' and 'Resource.reservation' must not be set with"
              + " more than one reservation")
          : Optional.empty();
    }
    ReservationInfo only = resource.getReservations(0);
    if (resource.hasRole() && !resource.getRole().equals(only.getRole())) {
      return Optional.of("'Resource.role' '" + resource.getRole() + "' does not match the role '"
          + only.getRole() + "' in 'Resource.reservations'");
    }
    if (only.getType() == ReservationInfo.Type.STATIC && resource.hasReservation()) {
      return Optional.of("'Resource.reservation' must not be set for a STATIC reservation");
    }
    if (only.getType() == ReservationInfo.Type.DYNAMIC) {
      if (resource.hasRole() != resource.hasReservation()) {
        return Optional.of("'Resource.role' and 'Resource.reservation' must be both set or both"
            + " unset for a DYNAMIC reservation");
      }
      if (resource.hasReservation()
          && (!resource.getReservation().getPrincipal().equals(only.getPrincipal())
              || !resource.getReservation().getLabels().equals(only.getLabels()))) {
        return Optional.of("'Resource.reservation' does not match 'Resource.reservations'");
      }
    }
    return Optional.empty();
  }

  /** What an operator may write in {@code --resources}: no volumes, revocable or dynamic ones. */
  static Optional<String> validateCommandLine(Iterable<Resource> resources) {
    Map<String, Value.Type> types = new HashMap<>();
    for (Resource resource : resources) {
      if (ResourceMath.isPersistentVolume(resource)) {
        return Optional.of("Persistent volumes cannot be specified at the command line");
      }
      if (resource.hasRevocable()) {
        return Optional.of("Revocable resources cannot be specified at the command line");
      }
      int count = resource.getReservationsCount();
      if (count > 0
          && resource.getReservations(count - 1).getType() == ReservationInfo.Type.DYNAMIC) {
        return Optional.of("Dynamic reservations cannot be specified at the command line");
      }
      Value.Type previous = types.putIfAbsent(resource.getName(), resource.getType());
      if (previous != null && previous != resource.getType()) {
        return Optional.of("Resources with the same name ('" + resource.getName()
            + "') but different types are not allowed");
      }
    }
    return Optional.empty();
  }
}
