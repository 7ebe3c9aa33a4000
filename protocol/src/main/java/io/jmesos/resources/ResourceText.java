package io.jmesos.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.json.JsonLimits;
import io.jmesos.json.MesosJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.Label;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Resource.DiskInfo;
import org.apache.mesos.Protos.Resource.ReservationInfo;
import org.apache.mesos.Protos.Value;

/**
 * The agent's {@code --resources} text ({@code cpus:2;mem:1024;ports:[31000-32000];cpus(ops):1},
 * or a JSON array of {@code Resource} objects) and Mesos' text form of a resource. Stateless and
 * thread-safe.
 */
final class ResourceText {

  private static final ObjectMapper MAPPER = JsonLimits.mapper();

  private ResourceText() {}

  /** Parses without validating or combining; see {@link Resources#parse(String, String)}. */
  static List<Resource> parse(String text, String defaultRole) {
    String trimmed = text.trim();
    if (trimmed.startsWith("[")) {
      List<Resource> json = parseJson(trimmed, defaultRole);
      if (json != null) {
        return json;
      }
    }
    List<Resource> resources = new ArrayList<>();
    for (String token : text.split("[;\n]")) {
      if (!token.trim().isEmpty()) {
        resources.add(parseToken(token, defaultRole));
      }
    }
    return resources;
  }

  private static Resource parseToken(String token, String defaultRole) {
    String[] pair = token.split(":");
    if (pair.length != 2 || pair[0].trim().isEmpty() || pair[1].trim().isEmpty()) {
      throw new IllegalArgumentException(
          "Bad value for resources, missing or extra ':' in '" + token.trim() + "'");
    }
    String name = pair[0].trim();
    String role = defaultRole;
    int open = name.indexOf('(');
    if (open >= 0) {
      int close = name.indexOf(')');
      if (close < open || close != name.length() - 1) {
        throw new IllegalArgumentException(
            "Bad value for resources, mismatched parentheses in '" + token.trim() + "'");
      }
      role = name.substring(open + 1, close).trim();
      name = name.substring(0, open).trim();
    }
    Value value;
    try {
      value = Values.parse(pair[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Failed to parse resource " + name + " value " + pair[1].trim() + ": " + e.getMessage(),
          e);
    }
    Resource.Builder resource = Resource.newBuilder().setName(name).setType(value.getType());
    if (!Roles.ANY.equals(role)) {
      resource.addReservations(
          ReservationInfo.newBuilder().setType(ReservationInfo.Type.STATIC).setRole(role));
    }
    switch (value.getType()) {
      case SCALAR:
        return resource.setScalar(value.getScalar()).build();
      case RANGES:
        return resource.setRanges(value.getRanges()).build();
      case SET:
        return resource.setSet(value.getSet()).build();
      default:
        throw new IllegalArgumentException("Bad type for resource " + name + " value "
            + pair[1].trim() + " type " + value.getType());
    }
  }

  /** The JSON array form, or null when the text is not a JSON array. */
  @SuppressWarnings("deprecation") // Mesos gives the default role in the deprecated field.
  private static List<Resource> parseJson(String text, String defaultRole) {
    JsonNode array;
    try {
      array = MAPPER.readTree(text);
    } catch (IOException e) {
      return null; // Not JSON: it is the text form (which may start with '[' only in error).
    }
    if (array == null || !array.isArray()) {
      return null;
    }
    List<Resource> resources = new ArrayList<>();
    for (JsonNode element : array) {
      Resource.Builder resource;
      try {
        resource = MesosJson.fromTree(element, Resource.newBuilder());
      } catch (MesosJson.ParseException e) {
        throw new IllegalArgumentException(
            "Some JSON resources were not formatted properly: " + e.getMessage(), e);
      }
      if (!resource.hasRole() && resource.getReservationsCount() == 0) {
        resource.setRole(defaultRole);
      }
      resources.add(resource.build());
    }
    return resources;
  }

  /** Mesos' text for one resource, e.g. {@code cpus(reservations: [(STATIC,ops)]):2}. */
  static String format(Resource resource) {
    StringBuilder text = new StringBuilder(resource.getName());
    if (resource.hasAllocationInfo()) {
      text.append("(allocated: ").append(resource.getAllocationInfo().getRole()).append(')');
    }
    if (resource.getReservationsCount() > 0) {
      text.append("(reservations: [");
      for (int i = 0; i < resource.getReservationsCount(); i++) {
        ReservationInfo reservation = resource.getReservations(i);
        text.append(i == 0 ? "(" : ",(").append(reservation.getType()).append(',')
            .append(reservation.getRole());
        if (reservation.hasPrincipal()) {
          text.append(',').append(reservation.getPrincipal());
        }
        if (reservation.hasLabels()) {
          text.append(',').append(labels(reservation.getLabels().getLabelsList()));
        }
        text.append(')');
      }
      text.append("])");
    }
    if (resource.hasDisk()) {
      text.append('[').append(disk(resource.getDisk())).append(']');
    }
    if (resource.hasRevocable()) {
      text.append("{REV}");
    }
    if (resource.hasShared()) {
      text.append("<SHARED>");
    }
    return text.append(':').append(ResourceMath.formatValue(resource)).toString();
  }

  private static String labels(List<Label> labels) {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < labels.size(); i++) {
      text.append(i == 0 ? "" : ", ").append(labels.get(i).getKey());
      if (labels.get(i).hasValue()) {
        text.append(": ").append(labels.get(i).getValue());
      }
    }
    return text.append('}').toString();
  }

  private static String disk(DiskInfo disk) {
    StringBuilder text = new StringBuilder();
    if (disk.hasSource()) {
      DiskInfo.Source source = disk.getSource();
      text.append(source.getType());
      if (source.hasId() || source.hasProfile()) {
        text.append('(').append(source.getVendor()).append(',').append(source.getId())
            .append(',').append(source.getProfile()).append(')');
      } else if (source.hasMount() && source.getMount().hasRoot()) {
        text.append(':').append(source.getMount().getRoot());
      } else if (source.hasPath() && source.getPath().hasRoot()) {
        text.append(':').append(source.getPath().getRoot());
      }
    }
    if (disk.hasPersistence()) {
      text.append(disk.hasSource() ? "," : "").append(disk.getPersistence().getId());
    }
    if (disk.hasVolume()) {
      text.append(':');
      if (disk.getVolume().hasHostPath()) {
        text.append(disk.getVolume().getHostPath()).append(':');
      }
      text.append(disk.getVolume().getContainerPath());
      if (disk.getVolume().hasHostPath() && disk.getVolume().hasMode()) {
        text.append(':').append(disk.getVolume().getMode().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return text.toString();
  }
}
