package io.jmesos.master.operations;

import io.jmesos.resources.Resources;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Value;

/**
 * What an offer operation does to resources, as Mesos' {@code getResourceConversions}: each {@link Conversion}
 * takes {@code consumed} out and puts {@code converted} in. Applying them to an offer, an agent's total or its
 * checkpointed resources fails with Mesos' message when the resources do not hold what is consumed. Pure;
 * thread-safe.
 */
public final class Conversions {
  private Conversions() {}

  /** One step of an operation; {@code volume} is set for DESTROY (no shared copy may remain). */
  public record Conversion(Resources consumed, Resources converted, Resource volume) {
    Conversion(Resources consumed, Resources converted) {
      this(consumed, converted, null);
    }
  }

  /** Thrown when an operation cannot be turned into conversions or applied. */
  public static final class ConversionException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConversionException(String message) {
      super(message);
    }
  }

  /** The conversions of a speculative operation; LAUNCH and friends have none (Mesos' errors). */
  public static List<Conversion> of(Offer.Operation operation) throws ConversionException {
    List<Conversion> out = new ArrayList<>();
    switch (operation.getType()) {
      case RESERVE: {
        Resources reserved = Resources.of(operation.getReserve().getResourcesList());
        Resources consumed = operation.getReserve().getSourceCount() > 0
            ? Resources.of(operation.getReserve().getSourceList()) : popReservation(reserved);
        out.add(new Conversion(consumed, reserved));
        break;
      }
      case UNRESERVE:
        for (Resource reserved : operation.getUnreserve().getResourcesList()) {
          out.add(new Conversion(Resources.of(reserved), popReservation(Resources.of(reserved))));
        }
        break;
      case CREATE:
        for (Resource volume : operation.getCreate().getVolumesList()) {
          out.add(new Conversion(Resources.of(stripVolume(volume)), Resources.of(volume)));
        }
        break;
      case DESTROY:
        for (Resource volume : operation.getDestroy().getVolumesList()) {
          out.add(new Conversion(Resources.of(volume), Resources.of(stripVolume(volume)), volume));
        }
        break;
      case GROW_VOLUME: {
        Resource volume = operation.getGrowVolume().getVolume();
        Resource addition = operation.getGrowVolume().getAddition();
        Resource grown = volume.toBuilder().setScalar(Value.Scalar.newBuilder()
            .setValue(volume.getScalar().getValue() + addition.getScalar().getValue())).build();
        out.add(new Conversion(Resources.of(volume).plus(addition), Resources.of(grown)));
        break;
      }
      case SHRINK_VOLUME: {
        Resource volume = operation.getShrinkVolume().getVolume();
        double subtract = operation.getShrinkVolume().getSubtract().getValue();
        Resource freed = stripVolume(volume).toBuilder()
            .setScalar(Value.Scalar.newBuilder().setValue(subtract)).build();
        Resource shrunk = volume.toBuilder().setScalar(Value.Scalar.newBuilder()
            .setValue(volume.getScalar().getValue() - subtract)).build();
        out.add(new Conversion(Resources.of(volume), Resources.of(shrunk).plus(freed)));
        break;
      }
      case UNKNOWN:
        throw new ConversionException("Unknown operation");
      default:
        throw new ConversionException("Operation not supported");
    }
    return out;
  }

  /** Applies {@code conversions} in order to {@code resources}, as Mesos' {@code Resources::apply}. */
  public static Resources apply(Resources resources, List<Conversion> conversions) throws ConversionException {
    Resources result = resources;
    for (Conversion conversion : conversions) {
      if (!result.contains(conversion.consumed())) {
        throw new ConversionException(result + " does not contain " + conversion.consumed());
      }
      result = result.minus(conversion.consumed());
      if (conversion.volume() != null && result.contains(conversion.volume())) {
        throw new ConversionException("Persistent volume " + conversion.volume() + " cannot be removed due to"
            + " additional shared copies");
      }
      result = result.plus(conversion.converted());
    }
    return result;
  }

  /** What all {@code conversions} consume, and what they produce. */
  public static Resources consumed(List<Conversion> conversions) {
    Resources sum = Resources.empty();
    for (Conversion c : conversions) {
      sum = sum.plus(c.consumed());
    }
    return sum;
  }

  public static Resources converted(List<Conversion> conversions) {
    Resources sum = Resources.empty();
    for (Conversion c : conversions) {
      sum = sum.plus(c.converted());
    }
    return sum;
  }

  /** The operation without allocation info on any of its resources (what agents and the registry see). */
  public static Offer.Operation stripAllocationInfo(Offer.Operation operation) {
    Offer.Operation.Builder b = operation.toBuilder();
    switch (operation.getType()) {
      case RESERVE:
        b.getReserveBuilder().clearResources().addAllResources(strip(operation.getReserve().getResourcesList()))
            .clearSource().addAllSource(strip(operation.getReserve().getSourceList()));
        break;
      case UNRESERVE:
        b.getUnreserveBuilder().clearResources().addAllResources(strip(operation.getUnreserve().getResourcesList()));
        break;
      case CREATE:
        b.getCreateBuilder().clearVolumes().addAllVolumes(strip(operation.getCreate().getVolumesList()));
        break;
      case DESTROY:
        b.getDestroyBuilder().clearVolumes().addAllVolumes(strip(operation.getDestroy().getVolumesList()));
        break;
      case GROW_VOLUME:
        b.getGrowVolumeBuilder().setVolume(operation.getGrowVolume().getVolume().toBuilder().clearAllocationInfo())
            .setAddition(operation.getGrowVolume().getAddition().toBuilder().clearAllocationInfo());
        break;
      case SHRINK_VOLUME:
        b.getShrinkVolumeBuilder()
            .setVolume(operation.getShrinkVolume().getVolume().toBuilder().clearAllocationInfo());
        break;
      default:
        break;
    }
    return b.build();
  }

  private static List<Resource> strip(List<Resource> resources) {
    List<Resource> out = new ArrayList<>(resources.size());
    for (Resource r : resources) {
      out.add(r.toBuilder().clearAllocationInfo().build());
    }
    return out;
  }

  /** The resources with their innermost reservation removed (Mesos' {@code popReservation}). */
  public static Resources popReservation(Resources resources) {
    Resources out = Resources.empty();
    for (Resource r : resources) {
      Resource.Builder b = Resources.postRefinement(r).toBuilder();
      if (b.getReservationsCount() > 0) {
        b.removeReservations(b.getReservationsCount() - 1);
      }
      out = out.plus(b.build());
    }
    return out;
  }

  /** The disk a volume was made of: no persistence, no volume, not shared. */
  public static Resource stripVolume(Resource volume) {
    Resource.Builder b = volume.toBuilder();
    if (volume.getDisk().hasSource()) {
      b.getDiskBuilder().clearPersistence().clearVolume();
    } else {
      b.clearDisk();
    }
    return b.clearShared().build();
  }

  /** Reserved by an operator or a framework (the innermost reservation is DYNAMIC). */
  public static boolean isDynamicallyReserved(Resource resource) {
    Resource r = Resources.postRefinement(resource);
    return r.getReservationsCount() > 0
        && r.getReservations(r.getReservationsCount() - 1).getType() == Resource.ReservationInfo.Type.DYNAMIC;
  }

  /** Whether the agent must checkpoint it: a dynamic reservation or a persistent volume. */
  public static boolean needsCheckpointing(Resource resource) {
    return isDynamicallyReserved(resource) || (resource.hasDisk() && resource.getDisk().hasPersistence());
  }

  /**
   * The agent's total: its declared {@code resources} with the {@code checkpointed} dynamic reservations and
   * volumes in place of what they were made of (Mesos' {@code applyCheckpointedResources}).
   */
  public static Resources applyCheckpointed(Resources resources, Resources checkpointed)
      throws ConversionException {
    Resources total = resources;
    for (Resource resource : checkpointed) {
      if (!needsCheckpointing(resource)) {
        throw new ConversionException("Unexpected checkpointed resources " + Resources.of(resource));
      }
      Resource.Builder stripped = Resources.postRefinement(resource).toBuilder();
      if (isDynamicallyReserved(resource)) {
        Resource.ReservationInfo first = stripped.getReservations(0);
        stripped.clearReservations();
        if (first.getType() == Resource.ReservationInfo.Type.STATIC) {
          stripped.addReservations(first);
        }
      }
      Resource plain = stripped.build();
      if (plain.hasDisk() && plain.getDisk().hasPersistence()) {
        plain = stripVolume(plain);
      }
      plain = plain.toBuilder().clearShared().build();
      if (!total.contains(plain)) {
        throw new ConversionException("Incompatible agent resources: " + total + " does not contain "
            + Resources.of(plain));
      }
      total = total.minus(plain).plus(resource);
    }
    return total;
  }
}
