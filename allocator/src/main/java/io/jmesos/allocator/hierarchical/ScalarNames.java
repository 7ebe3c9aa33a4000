package io.jmesos.allocator.hierarchical;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each scalar resource name a small index so quantities can be kept as {@code long[]} vectors of Mesos'
 * fixed-point values (thousandths) instead of {@code Resources} objects in the allocation loop. Names are never
 * forgotten, so vectors only grow. Owned by the allocator's actor; not thread-safe.
 */
final class ScalarNames {
  private final Map<String, Integer> indexes = new HashMap<>();
  private final List<String> names = new ArrayList<>();

  int index(String name) {
    Integer index = indexes.get(name);
    if (index == null) {
      index = names.size();
      indexes.put(name, index);
      names.add(name);
    }
    return index;
  }

  /** The index of {@code name}, or -1 when no resource of that name was ever seen. */
  int find(String name) {
    Integer index = indexes.get(name);
    return index == null ? -1 : index;
  }

  String name(int index) {
    return names.get(index);
  }

  int size() {
    return names.size();
  }
}
