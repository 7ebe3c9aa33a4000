package io.jmesos.allocator.hierarchical;

import io.jmesos.resources.Resources;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Value;

/**
 * Scalar quantity vectors: {@code long[]} indexed by {@link ScalarNames}, in thousandths (Mesos' fixed point).
 * A shorter vector reads as zeros past its end. Stateless helpers.
 */
final class Scalars {
  static final long[] EMPTY = new long[0];

  private Scalars() {}

  static long toFixed(double value) {
    return Math.round(value * 1000.0);
  }

  static double fromFixed(long fixed) {
    return fixed / 1000.0;
  }

  static long get(long[] vector, int index) {
    return index < vector.length ? vector[index] : 0;
  }

  /** The scalar quantities of the resources that pass {@code which}. */
  static long[] of(Resources resources, ScalarNames names, Predicate<Resource> which) {
    long[] vector = EMPTY;
    for (Resource resource : resources) {
      if (resource.getType() != Value.Type.SCALAR || !which.test(resource)) {
        continue;
      }
      int index = names.index(resource.getName());
      if (index >= vector.length) {
        vector = Arrays.copyOf(vector, Math.max(index + 1, names.size()));
      }
      vector[index] += toFixed(resource.getScalar().getValue());
    }
    return vector;
  }

  static long[] of(Resources resources, ScalarNames names) {
    return of(resources, names, r -> true);
  }

  static long[] of(Map<String, Double> quantities, ScalarNames names) {
    long[] vector = EMPTY;
    for (Map.Entry<String, Double> entry : quantities.entrySet()) {
      int index = names.index(entry.getKey());
      if (index >= vector.length) {
        vector = Arrays.copyOf(vector, Math.max(index + 1, names.size()));
      }
      vector[index] = toFixed(entry.getValue());
    }
    return vector;
  }

  /** {@code target += delta} (or {@code -=} with sign -1), growing {@code target} as needed; returns it. */
  static long[] add(long[] target, long[] delta, int sign) {
    if (delta.length > target.length) {
      target = Arrays.copyOf(target, delta.length);
    }
    for (int i = 0; i < delta.length; i++) {
      target[i] += sign * delta[i];
    }
    return target;
  }

  /** {@code left - right}, floored at zero per name (Mesos' {@code ResourceQuantities} subtraction). */
  static long[] minusFloored(long[] left, long[] right) {
    long[] result = Arrays.copyOf(left, Math.max(left.length, right.length));
    for (int i = 0; i < result.length; i++) {
      result[i] = Math.max(0, result[i] - get(right, i));
    }
    return result;
  }

  static boolean isZero(long[] vector) {
    for (long value : vector) {
      if (value > 0) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code vector} holds at least each quantity in {@code needed}. */
  static boolean covers(long[] vector, long[] needed) {
    for (int i = 0; i < needed.length; i++) {
      if (needed[i] > get(vector, i)) {
        return false;
      }
    }
    return true;
  }
}
