package io.jmesos.master.state;

import io.jmesos.resources.Resources;
import io.jmesos.resources.Values;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Value;

/**
 * Scalar resource quantities by name (Mesos' {@code ResourceQuantities} and {@code ResourceLimits}), as sorted
 * maps of name to value, compared in Mesos' fixed-point precision (three decimals). Stateless and thread-safe;
 * every result is a new unmodifiable map.
 */
public final class Quantities {
  private Quantities() {}

  /** The scalar quantities of {@code resources} by name (Mesos' {@code fromScalarResources}). */
  public static SortedMap<String, Double> of(Resources resources) {
    SortedMap<String, Double> quantities = new TreeMap<>();
    for (Resource r : resources) {
      if (r.getType() == Value.Type.SCALAR) {
        quantities.merge(r.getName(), r.getScalar().getValue(), Quantities::add);
      }
    }
    return Collections.unmodifiableSortedMap(quantities);
  }

  public static SortedMap<String, Double> plus(Map<String, Double> left, Map<String, Double> right) {
    SortedMap<String, Double> sum = new TreeMap<>(left);
    right.forEach((name, value) -> sum.merge(name, value, Quantities::add));
    return Collections.unmodifiableSortedMap(sum);
  }

  /** {@code left - right}, dropping names that reach zero or less. */
  public static SortedMap<String, Double> minus(Map<String, Double> left, Map<String, Double> right) {
    SortedMap<String, Double> difference = new TreeMap<>(left);
    right.forEach((name, value) -> difference.computeIfPresent(name, (n, v) -> {
      double rest = Values.fromFixed(Values.toFixed(v) - Values.toFixed(value));
      return rest > 0 ? rest : null;
    }));
    return Collections.unmodifiableSortedMap(difference);
  }

  /** True when {@code quantities} has at least every quantity of {@code that} (a missing name is zero). */
  public static boolean contains(Map<String, Double> quantities, Map<String, Double> that) {
    for (Map.Entry<String, Double> e : that.entrySet()) {
      if (Values.toFixed(quantities.getOrDefault(e.getKey(), 0.0)) < Values.toFixed(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** True when no quantity of {@code that} exceeds its limit (a name without a limit is unlimited). */
  public static boolean withinLimits(Map<String, Double> limits, Map<String, Double> that) {
    for (Map.Entry<String, Double> e : that.entrySet()) {
      Double limit = limits.get(e.getKey());
      if (limit != null && Values.toFixed(limit) < Values.toFixed(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Mesos' text of quantities or limits: {@code cpus:1; mem:1024}, or {@code {}} when empty. */
  public static String format(Map<String, Double> quantities) {
    if (quantities.isEmpty()) {
      return "{}";
    }
    return new TreeMap<>(quantities).entrySet().stream()
        .map(e -> e.getKey() + ":" + scalar(e.getValue()))
        .collect(Collectors.joining("; "));
  }

  /** A scalar as Mesos prints one: at most three decimals, no trailing zeros. */
  public static String scalar(double value) {
    return Values.format(Values.scalar(value));
  }

  private static double add(double left, double right) {
    return Values.fromFixed(Values.toFixed(left) + Values.toFixed(right));
  }
}
