package io.jmesos.resources;

import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.DiskInfo;
import org.apache.mesos.Protos.Resource.ReservationInfo;
import org.apache.mesos.Protos.Value;

/**
 * Single-{@link Resource} rules behind {@link Resources}: when two resources may be combined
 * (Mesos' "addable" and "subtractable"), their sum, difference and containment, emptiness, and the
 * upgrade of the deprecated {@code role}/{@code reservation} fields to {@code reservations}.
 * Stateless and thread-safe.
 */
final class ResourceMath {

  private ResourceMath() {}

  /** Moves the pre-1.4 {@code role} and {@code reservation} fields into {@code reservations}. */
  @SuppressWarnings("deprecation") // Reads the deprecated role field to upgrade it.
  static Resource upgrade(Resource resource) {
    if (!resource.hasRole() && !resource.hasReservation()) {
      return resource;
    }
    Resource.Builder builder = resource.toBuilder().clearRole().clearReservation();
    if (resource.getReservationsCount() == 0 && !Roles.ANY.equals(resource.getRole())) {
      ReservationInfo.Builder reservation = ReservationInfo.newBuilder().setRole(resource.getRole());
      if (resource.hasReservation()) {
        ReservationInfo dynamic = resource.getReservation();
        reservation.setType(ReservationInfo.Type.DYNAMIC);
        if (dynamic.hasPrincipal()) {
          reservation.setPrincipal(dynamic.getPrincipal());
        }
        if (dynamic.hasLabels()) {
          reservation.setLabels(dynamic.getLabels());
        }
      } else {
        reservation.setType(ReservationInfo.Type.STATIC);
      }
      builder.addReservations(reservation);
    }
    return builder.build();
  }

  /** Rounds scalars to three decimals and coalesces ranges, so stored values compare simply. */
  static Resource normalize(Resource resource) {
    switch (resource.getType()) {
      case SCALAR:
        return resource.toBuilder().setScalar(Values.scalar(resource.getScalar().getValue())).build();
      case RANGES:
        return resource.toBuilder()
            .setRanges(Values.coalesce(resource.getRanges().getRangeList())).build();
      default:
        return resource;
    }
  }

  static boolean isEmpty(Resource resource) {
    switch (resource.getType()) {
      case SCALAR:
        return Values.toFixed(resource.getScalar().getValue()) == 0;
      case RANGES:
        return resource.getRanges().getRangeCount() == 0;
      case SET:
        return resource.getSet().getItemCount() == 0;
      default:
        return false;
    }
  }

  static boolean isPersistentVolume(Resource resource) {
    return resource.hasDisk() && resource.getDisk().hasPersistence();
  }

  /** True when the two may be merged into one resource by {@link #plus}. */
  static boolean addable(Resource left, Resource right) {
    if (left.hasShared() || right.hasShared()) {
      return false; // Shared resources are counted as copies, never merged.
    }
    if (!sameMetadata(left, right)) {
      return false;
    }
    if (left.hasDisk()) {
      if (left.getDisk().hasPersistence()) {
        return false; // Exclusive persistent volumes never merge.
      }
      if (left.getDisk().hasSource()) {
        DiskInfo.Source source = left.getDisk().getSource();
        switch (source.getType()) {
          case MOUNT:
          case BLOCK:
            return false; // Whole disks: merging would defeat their exclusivity.
          case RAW:
            return !source.hasId();
          default:
            return true;
        }
      }
    }
    return true;
  }

  /** True when {@code right} may be taken out of {@code left} by {@link #minus}. */
  static boolean subtractable(Resource left, Resource right) {
    if (left.hasShared() != right.hasShared()) {
      return false;
    }
    if (left.hasShared()) {
      return equal(left, right);
    }
    if (!sameMetadata(left, right)) {
      return false;
    }
    if (left.hasDisk()) {
      if (left.getDisk().hasPersistence() && !equal(left, right)) {
        return false;
      }
      if (left.getDisk().hasSource()) {
        DiskInfo.Source source = left.getDisk().getSource();
        switch (source.getType()) {
          case MOUNT:
          case BLOCK:
            return equal(left, right);
          case RAW:
            return !source.hasId() || equal(left, right);
          default:
            return true;
        }
      }
    }
    return true;
  }

  static Resource plus(Resource left, Resource right) {
    switch (left.getType()) {
      case SCALAR:
        return left.toBuilder().setScalar(Values.add(left.getScalar(), right.getScalar())).build();
      case RANGES:
        return left.toBuilder().setRanges(Values.add(left.getRanges(), right.getRanges())).build();
      case SET:
        return left.toBuilder().setSet(Values.add(left.getSet(), right.getSet())).build();
      default:
        return left;
    }
  }

  static Resource minus(Resource left, Resource right) {
    switch (left.getType()) {
      case SCALAR:
        return left.toBuilder()
            .setScalar(Values.subtract(left.getScalar(), right.getScalar())).build();
      case RANGES:
        return left.toBuilder()
            .setRanges(Values.subtract(left.getRanges(), right.getRanges())).build();
      case SET:
        return left.toBuilder().setSet(Values.subtract(left.getSet(), right.getSet())).build();
      default:
        return left;
    }
  }

  /** True when {@code left} holds at least everything in {@code right}. */
  static boolean contains(Resource left, Resource right) {
    if (!subtractable(left, right)) {
      return false;
    }
    switch (left.getType()) {
      case SCALAR:
        return Values.lessOrEqual(right.getScalar(), left.getScalar());
      case RANGES:
        return Values.contains(left.getRanges(), right.getRanges());
      case SET:
        return Values.contains(left.getSet(), right.getSet());
      default:
        return false;
    }
  }

  /** Mesos' resource equality: same metadata and equal values (ranges and sets unordered). */
  static boolean equal(Resource left, Resource right) {
    if (!sameMetadata(left, right)) {
      return false;
    }
    switch (left.getType()) {
      case SCALAR:
        return Values.equal(left.getScalar(), right.getScalar());
      case RANGES:
        return Values.equal(left.getRanges(), right.getRanges());
      case SET:
        return Values.equal(left.getSet(), right.getSet());
      default:
        return false;
    }
  }

  /** Name, type, allocation, reservations, disk, revocable, provider and shared all match. */
  static boolean sameMetadata(Resource left, Resource right) {
    if (!left.getName().equals(right.getName()) || left.getType() != right.getType()
        || left.hasAllocationInfo() != right.hasAllocationInfo()
        || !left.getAllocationInfo().equals(right.getAllocationInfo())
        || left.getReservationsCount() != right.getReservationsCount()
        || left.hasDisk() != right.hasDisk()
        || left.hasRevocable() != right.hasRevocable()
        || left.hasProviderId() != right.hasProviderId()
        || !left.getProviderId().equals(right.getProviderId())
        || left.hasShared() != right.hasShared()) {
      return false;
    }
    for (int i = 0; i < left.getReservationsCount(); i++) {
      if (!sameReservation(left.getReservations(i), right.getReservations(i))) {
        return false;
      }
    }
    return !left.hasDisk() || sameDisk(left.getDisk(), right.getDisk());
  }

  private static boolean sameReservation(ReservationInfo left, ReservationInfo right) {
    return left.getType() == right.getType()
        && left.getRole().equals(right.getRole())
        && left.hasPrincipal() == right.hasPrincipal()
        && left.getPrincipal().equals(right.getPrincipal())
        && left.hasLabels() == right.hasLabels()
        && left.getLabels().equals(right.getLabels());
  }

  /** Disks are the same when source and persistence id match; the volume is how it is used. */
  private static boolean sameDisk(DiskInfo left, DiskInfo right) {
    return left.hasSource() == right.hasSource()
        && left.getSource().equals(right.getSource())
        && left.hasPersistence() == right.hasPersistence()
        && left.getPersistence().getId().equals(right.getPersistence().getId());
  }

  /** The value part of a resource as a {@link Value}, for formatting. */
  static String formatValue(Resource resource) {
    switch (resource.getType()) {
      case SCALAR:
        return Values.format(resource.getScalar());
      case RANGES:
        return Values.format(resource.getRanges());
      case SET:
        return Values.format(resource.getSet());
      default:
        return resource.getType() == Value.Type.TEXT ? "<text>" : "<unknown>";
    }
  }
}
