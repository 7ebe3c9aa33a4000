package io.jmesos.master.flags;

import io.jmesos.resources.Roles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The text formats of the master's allocator flags, read as Mesos reads them: {@code --weights}
 * ({@code role=weight,role=weight}), {@code --min_allocatable_resources} (resource quantities {@code
 * name:value;name:value}, alternatives separated by {@code |}) and {@code --fair_sharing_excluded_resource_names}
 * (a comma-separated list). Errors are worded as Mesos words them. Stateless and thread-safe.
 */
public final class AllocatorFlagFormats {
  private AllocatorFlagFormats() {}

  /** A parsed value or the error that explains why the text is not one. */
  public record Parsed<T>(T value, String error) {
    public static <T> Parsed<T> ok(T value) {
      return new Parsed<>(value, null);
    }

    public static <T> Parsed<T> failed(String error) {
      return new Parsed<>(null, error);
    }

    public Optional<String> errorIfAny() {
      return Optional.ofNullable(error);
    }
  }

  /**
   * {@code role=weight,role=weight}, as Mesos' master reads {@code --weights} (empty tokens are skipped; a weight
   * that is not a number counts as 0, like C's {@code atof}).
   */
  public static Parsed<Map<String, Double>> weights(String text) {
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String token : tokenize(text, ",")) {
      List<String> pair = tokenize(token, "=");
      if (pair.size() != 2) {
        return Parsed.failed("Invalid weight: '" + token + "'. --weights should be of the form "
            + "'role=weight,role=weight'");
      }
      String role = pair.get(0);
      if (Roles.validate(role).isPresent()) {
        return Parsed.failed("Invalid weight: '" + token + "'. " + role + " is not a valid role");
      }
      double weight = atof(pair.get(1));
      if (!(weight > 0)) {
        return Parsed.failed("Invalid weight: '" + token + "'. Weights must be positive");
      }
      weights.put(role, weight);
    }
    return Parsed.ok(Collections.unmodifiableMap(weights));
  }

  /**
   * Alternatives of resource quantities separated by {@code |}, each {@code name:value;name:value} (Mesos'
   * {@code ResourceQuantities::fromString}); quantities of the same name add up.
   */
  public static Parsed<List<Map<String, Double>>> minAllocatableResources(String text) {
    List<Map<String, Double>> alternatives = new ArrayList<>();
    for (String token : tokenize(text, "|")) {
      Parsed<Map<String, Double>> quantities = quantities(token);
      if (quantities.error() != null) {
        return Parsed.failed("Error parsing min_allocatable_resources '" + text + "': " + quantities.error());
      }
      alternatives.add(quantities.value());
    }
    return Parsed.ok(List.copyOf(alternatives));
  }

  /** {@code name:value;name:value} as Mesos' {@code ResourceQuantities::fromString}, sorted by name. */
  public static Parsed<Map<String, Double>> quantities(String text) {
    Map<String, Double> quantities = new TreeMap<>();
    for (String token : tokenize(text, ";")) {
      List<String> pair = tokenize(token, ":");
      if (pair.size() != 2) {
        return Parsed.failed("Failed to parse '" + token + "': missing or extra ':'");
      }
      String value = pair.get(1).trim();
      double quantity;
      try {
        quantity = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        return Parsed.failed("Failed to parse '" + value + "' to quantity: only scalar values are allowed");
      }
      if (quantity < 0 || Double.isNaN(quantity) || Double.isInfinite(quantity)) {
        return Parsed.failed("Failed to parse '" + value + "' to quantity: negative values are not allowed");
      }
      quantities.merge(pair.get(0).trim(), quantity, Double::sum);
    }
    return Parsed.ok(Collections.unmodifiableMap(quantities));
  }

  /** A comma-separated list of names, trimmed, empty ones skipped, in order. */
  public static Set<String> names(String text) {
    Set<String> names = new LinkedHashSet<>();
    for (String name : tokenize(text, ",")) {
      if (!name.isBlank()) {
        names.add(name.trim());
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /** {@code drf} or {@code random}, as Mesos' sorters are named. */
  public static Optional<String> sorter(String name) {
    return name.equals("drf") || name.equals("random") ? Optional.empty()
        : Optional.of("Unknown sorter '" + name + "'; may be one of: [drf, random]");
  }

  /** Mesos' {@code strings::tokenize}: split on any of the delimiters, dropping empty tokens. */
  private static List<String> tokenize(String text, String delimiters) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (delimiters.indexOf(c) >= 0) {
        if (current.length() > 0) {
          tokens.add(current.toString());
          current.setLength(0);
        }
      } else {
        current.append(c);
      }
    }
    if (current.length() > 0) {
      tokens.add(current.toString());
    }
    return tokens;
  }

  /** C's {@code atof}: the longest leading number, 0 when there is none. */
  private static double atof(String text) {
    String trimmed = text.trim();
    for (int end = trimmed.length(); end > 0; end--) {
      try {
        return Double.parseDouble(trimmed.substring(0, end));
      } catch (NumberFormatException e) {
        // Try a shorter prefix, as atof stops at the first character that does not fit.
      }
    }
    return 0;
  }
}
