package io.jmesos.master.authz;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.json.MesosJson;
import io.jmesos.resources.Resources;
import io.jmesos.security.authz.Action;
import io.jmesos.security.authz.AuthorizationObject;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;

/**
 * The objects an offer operation is authorized on, as Mesos' {@code ActionObject::reserve}, {@code unreserve},
 * {@code createVolume}, {@code destroyVolume}, {@code growVolume} and {@code shrinkVolume}: a null object stands
 * for Mesos' "ANY object". A RESERVE with {@code source} (re-reserving) is authorized on its target roles only.
 */
final class OperationObjects {
  private OperationObjects() {}

  static List<Map.Entry<Action, AuthorizationObject>> of(Offer.Operation operation) {
    List<Map.Entry<Action, AuthorizationObject>> out = new ArrayList<>();
    switch (operation.getType()) {
      case RESERVE: {
        Set<String> roles = new HashSet<>();
        for (Resource r : operation.getReserve().getResourcesList()) {
          if (roles.add(Resources.reservationRole(r))) {
            out.add(entry(Action.RESERVE_RESOURCES, AuthorizationObject.resource(r)));
          }
        }
        break;
      }
      case UNRESERVE: {
        boolean withoutPrincipal = false;
        for (Resource r : operation.getUnreserve().getResourcesList()) {
          Resource post = Resources.postRefinement(r);
          if (post.getReservationsCount() > 0
              && post.getReservations(post.getReservationsCount() - 1).hasPrincipal()) {
            out.add(entry(Action.UNRESERVE_RESOURCES, AuthorizationObject.resource(post)));
          } else {
            withoutPrincipal = true;
          }
        }
        if (withoutPrincipal) {
          out.add(entry(Action.UNRESERVE_RESOURCES, null));
        }
        break;
      }
      case CREATE: {
        Set<String> roles = new HashSet<>();
        for (Resource volume : operation.getCreate().getVolumesList()) {
          if (roles.add(Resources.reservationRole(volume))) {
            out.add(entry(Action.CREATE_VOLUME, AuthorizationObject.resource(volume)));
          }
        }
        if (out.isEmpty()) {
          out.add(entry(Action.CREATE_VOLUME, null));
        }
        break;
      }
      case DESTROY:
        for (Resource volume : operation.getDestroy().getVolumesList()) {
          if (volume.hasDisk() && volume.getDisk().hasPersistence()) {
            out.add(entry(Action.DESTROY_VOLUME, AuthorizationObject.resource(volume)));
          }
        }
        if (out.isEmpty()) {
          out.add(entry(Action.DESTROY_VOLUME, null));
        }
        break;
      case GROW_VOLUME:
        out.add(entry(Action.RESIZE_VOLUME, AuthorizationObject.resource(operation.getGrowVolume().getVolume())));
        break;
      case SHRINK_VOLUME:
        out.add(entry(Action.RESIZE_VOLUME, AuthorizationObject.resource(operation.getShrinkVolume().getVolume())));
        break;
      default:
        break;
    }
    return out;
  }

  /** The object as Mesos prints it in a refusal: its JSON (the resource, and the legacy role value). */
  static String json(AuthorizationObject object) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    object.resource().ifPresent(r -> {
      node.set("resource", MesosJson.toTree(r));
      node.put("value", Resources.reservationRole(r));
    });
    return node.toString();
  }

  private static Map.Entry<Action, AuthorizationObject> entry(Action action, AuthorizationObject object) {
    return new SimpleImmutableEntry<>(action, object);
  }
}
