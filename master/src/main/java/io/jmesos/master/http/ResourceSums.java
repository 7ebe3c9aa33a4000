package io.jmesos.master.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.json.StateModels;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Value;

/**
 * The {@code /state} object of a sum of many (validated) resources, without summing them as {@link Resources}: what
 * {@link StateModels#resources} shows of a sum is, per name, the fixed-point total of its scalars, the union of its
 * ranges and of its sets, and the type of its first entry, so those are all this keeps. Adding a task's resources
 * costs a map lookup per resource, where {@link Resources#plus} validated, normalized and rebuilt protobufs: summing
 * the used resources of 20,000 agents and 200,000 tasks that way took the master's actor most of a second per
 * {@code /state}. Not thread-safe.
 */
final class ResourceSums {
  private static final List<String> ALWAYS_PRESENT = List.of("cpus", "disk", "gpus", "mem");

  private final Map<String, Sum> byName;

  ResourceSums() {
    this.byName = new HashMap<>();
  }

  private ResourceSums(ResourceSums that) {
    this.byName = new HashMap<>();
    that.byName.forEach((name, sum) -> byName.put(name, sum.copy()));
  }

  /** Adds resources that a task or an executor holds (validated when it was launched). */
  ResourceSums add(List<Resource> resources) {
    for (int i = 0; i < resources.size(); i++) {
      add(resources.get(i));
    }
    return this;
  }

  ResourceSums add(Resources resources) {
    for (Resource resource : resources) {
      add(resource);
    }
    return this;
  }

  /** A copy with {@code more} added. */
  ResourceSums plus(Resources more) {
    return new ResourceSums(this).add(more);
  }

  private void add(Resource resource) {
    Sum sum;
    switch (resource.getType()) {
      case SCALAR -> {
        long fixed = Values.toFixed(resource.getScalar().getValue());
        if (fixed == 0) {
          return; // an empty resource: left out of a sum, as Resources does
        }
        sum = sum(resource.getName(), Value.Type.SCALAR);
        sum.fixed += fixed;
      }
      case RANGES -> {
        if (resource.getRanges().getRangeCount() == 0) {
          return;
        }
        sum = sum(resource.getName(), Value.Type.RANGES);
        sum.ranges.addAll(resource.getRanges().getRangeList());
      }
      case SET -> {
        if (resource.getSet().getItemCount() == 0) {
          return;
        }
        sum = sum(resource.getName(), Value.Type.SET);
        sum.set = Values.add(sum.set, resource.getSet());
      }
      default -> { }
    }
  }

  private Sum sum(String name, Value.Type type) {
    Sum sum = byName.get(name);
    if (sum == null) {
      sum = new Sum(type);
      byName.put(name, sum);
    }
    return sum;
  }

  /** As {@link StateModels#resources} renders the sum: cpus, disk, gpus and mem first, then the others by name. */
  ObjectNode json() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (String name : ALWAYS_PRESENT) {
      Sum sum = byName.get(name);
      node.put(name, Values.fromFixed(sum == null ? 0 : sum.fixed));
    }
    for (Map.Entry<String, Sum> entry : new TreeMap<>(byName).entrySet()) {
      Sum sum = entry.getValue();
      switch (sum.first) {
        case SCALAR -> node.put(entry.getKey(), Values.fromFixed(sum.fixed));
        case RANGES -> node.put(entry.getKey(), Values.format(Values.coalesce(sum.ranges)));
        case SET -> node.put(entry.getKey(), Values.format(sum.set));
        default -> { }
      }
    }
    return node;
  }

  /** One name's totals by type, and the type it first came with. */
  private static final class Sum {
    final Value.Type first;
    long fixed;
    List<Value.Range> ranges = new ArrayList<>(0);
    Value.Set set = Value.Set.getDefaultInstance();

    Sum(Value.Type first) {
      this.first = first;
    }

    Sum copy() {
      Sum copy = new Sum(first);
      copy.fixed = fixed;
      copy.ranges = new ArrayList<>(ranges);
      copy.set = set;
      return copy;
    }
  }
}
