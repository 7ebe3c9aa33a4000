package io.jmesos.master.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.resources.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Value;

/**
 * Resources and attributes as Mesos' endpoints render them: {@code {"cpus":0.5,"disk":0.0,"gpus":0.0,
 * "mem":32.0,"ports":"[31000-32000]"}} (cpus, disk, gpus and mem always present), ranges as
 * {@code [a-b, c-d]}, sets as {@code {a, b}}. Stateless.
 */
public final class ResourcesJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ResourcesJson() {}

  public static ObjectNode model(Resources resources) {
    ObjectNode node = F.objectNode();
    for (String name : List.of("cpus", "disk", "gpus", "mem")) {
      node.put(name, resources.scalar(name));
    }
    for (String name : resources.names()) {
      Resource first = resources.named(name).toList().get(0);
      switch (first.getType()) {
        case SCALAR -> node.put(name, resources.scalar(name));
        case RANGES -> node.put(name, ranges(resources.ranges(name)));
        case SET -> node.put(name, set(resources.set(name)));
        default -> { }
      }
    }
    return node;
  }

  /** Reservations by role, for {@code reserved_resources}. */
  public static ObjectNode reservedByRole(Resources resources) {
    Map<String, Resources> byRole = new TreeMap<>();
    for (Resource r : resources.reserved()) {
      byRole.merge(Resources.reservationRole(r), Resources.of(r), Resources::plus);
    }
    ObjectNode node = F.objectNode();
    byRole.forEach((role, r) -> node.set(role, model(r)));
    return node;
  }

  public static String ranges(Value.Ranges ranges) {
    List<String> parts = new ArrayList<>();
    for (Value.Range r : ranges.getRangeList()) {
      parts.add(r.getBegin() + "-" + r.getEnd());
    }
    return "[" + String.join(", ", parts) + "]";
  }

  public static String set(Value.Set set) {
    return "{" + String.join(", ", set.getItemList()) + "}";
  }

  public static ObjectNode attributes(List<Attribute> attributes) {
    ObjectNode node = F.objectNode();
    for (Attribute a : attributes) {
      switch (a.getType()) {
        case SCALAR -> node.put(a.getName(), a.getScalar().getValue());
        case TEXT -> node.put(a.getName(), a.getText().getValue());
        case RANGES -> node.put(a.getName(), ranges(a.getRanges()));
        case SET -> node.put(a.getName(), set(a.getSet()));
        default -> { }
      }
    }
    return node;
  }
}
