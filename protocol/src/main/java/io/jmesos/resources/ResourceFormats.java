package io.jmesos.resources;

import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.ReservationInfo;

/**
 * The two resource formats the operator API shows, as Mesos' {@code convertResourceFormat}: the master keeps
 * resources in the "post-reservation-refinement" format (reservations only in {@code reservations}), and
 * answers agents' and frameworks' resource totals in the "endpoint" format, which adds the deprecated {@code
 * role} (and, for a single dynamic reservation, {@code reservation}) so that old tools still read them.
 * Stateless and thread-safe.
 */
@SuppressWarnings("deprecation") // The deprecated role and reservation fields are what the formats are about.
public final class ResourceFormats {
  private ResourceFormats() {}

  /** The post-reservation-refinement form: deprecated {@code role}/{@code reservation} moved to reservations. */
  public static Resource post(Resource resource) {
    return Resources.postRefinement(resource);
  }

  /** The endpoint form: post-refinement plus {@code role} ({@code *} when unreserved) for one reservation. */
  public static Resource endpoint(Resource resource) {
    Resource post = post(resource);
    Resource.Builder builder = post.toBuilder();
    switch (post.getReservationsCount()) {
      case 0:
        builder.setRole(Roles.ANY);
        break;
      case 1:
        ReservationInfo only = post.getReservations(0);
        if (only.getType() == ReservationInfo.Type.DYNAMIC) {
          ReservationInfo.Builder target = builder.getReservationBuilder();
          if (only.hasPrincipal()) {
            target.setPrincipal(only.getPrincipal());
          }
          if (only.hasLabels()) {
            target.setLabels(only.getLabels());
          }
        }
        builder.setRole(only.getRole());
        break;
      default: // Refined reservations have no pre-refinement form: left as they are.
        break;
    }
    return builder.build();
  }

  public static List<Resource> post(Iterable<Resource> resources) {
    List<Resource> out = new ArrayList<>();
    resources.forEach(r -> out.add(post(r)));
    return out;
  }

  public static List<Resource> endpoint(Iterable<Resource> resources) {
    List<Resource> out = new ArrayList<>();
    resources.forEach(r -> out.add(endpoint(r)));
    return out;
  }
}
