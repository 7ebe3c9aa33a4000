package io.jmesos.master.validation;

import io.jmesos.allocator.Quota;
import io.jmesos.master.state.Quantities;
import io.jmesos.resources.Roles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;
import org.apache.mesos.v1.quota.Protos.QuotaRequest;

/**
 * Quota checks that need no master state, worded as Mesos 1.11's {@code quota::validate(QuotaConfig)}, {@code
 * quota::validation::quotaInfo} and its {@code QuotaTree} (a parent role's guarantees hold its children's).
 * Stateless and thread-safe.
 */
public final class QuotaValidator {
  private static final double EXABYTE_IN_MEGABYTES = 1024.0 * 1024 * 1024 * 1024;
  private static final double OTHER_LIMIT = 1e12;

  private QuotaValidator() {}

  /** Mesos' {@code quota::validate(QuotaConfig)}: role, value ranges and guarantees within limits. */
  public static Optional<String> validate(QuotaConfig config) {
    if (!config.hasRole()) {
      return Optional.of("'QuotaConfig.role' must be set");
    }
    Optional<String> role = Roles.validate(config.getRole());
    if (role.isPresent()) {
      return Optional.of("Invalid 'QuotaConfig.role': " + role.get());
    }
    Optional<String> tooLarge = tooLarge(config.getGuaranteesMap());
    if (tooLarge.isPresent()) {
      return Optional.of("Invalid 'QuotaConfig.guarantees': " + tooLarge.get());
    }
    tooLarge = tooLarge(config.getLimitsMap());
    if (tooLarge.isPresent()) {
      return Optional.of("Invalid 'QuotaConfig.limits': " + tooLarge.get());
    }
    for (Map.Entry<String, Value.Scalar> e : sorted(config.getGuaranteesMap()).entrySet()) {
      Optional<String> error = inputScalar(e.getValue().getValue());
      if (error.isPresent()) {
        return Optional.of("Invalid guarantee configuration {'" + e.getKey() + "': " + text(e.getValue()) + "}: "
            + error.get());
      }
    }
    for (Map.Entry<String, Value.Scalar> e : sorted(config.getLimitsMap()).entrySet()) {
      Optional<String> error = inputScalar(e.getValue().getValue());
      if (error.isPresent()) {
        return Optional.of("Invalid limit configuration {'" + e.getKey() + "': " + text(e.getValue()) + "}: "
            + error.get());
      }
    }
    Quota quota = quota(config);
    if (!Quantities.withinLimits(quota.limits(), quota.guarantees())) {
      return Optional.of("'QuotaConfig.guarantees' " + mapText(config.getGuaranteesMap())
          + " is not contained within the 'QuotaConfig.limits' " + mapText(config.getLimitsMap()));
    }
    return Optional.empty();
  }

  /** Mesos' {@code quota::validation::quotaInfo} for a (deprecated) SET_QUOTA request. */
  @SuppressWarnings("deprecation") // A pre-refinement role counts as a reservation, as after upgradeResources.
  public static Optional<String> validate(QuotaRequest request) {
    if (!request.hasRole()) {
      return Optional.of("QuotaInfo must specify a role");
    }
    Optional<String> role = Roles.validate(request.getRole());
    if (role.isPresent()) {
      return Optional.of("QuotaInfo with invalid role: " + role.get());
    }
    if (request.getGuaranteeCount() == 0) {
      return Optional.of("QuotaInfo with empty 'guarantee'");
    }
    Set<String> names = new HashSet<>();
    for (Resource resource : request.getGuaranteeList()) {
      if (resource.getReservationsCount() > 0 || resource.hasReservation()
          || (resource.hasRole() && !resource.getRole().equals(Roles.ANY))) {
        return Optional.of("QuotaInfo must not contain any ReservationInfo");
      }
      if (resource.hasDisk()) {
        return Optional.of("QuotaInfo must not contain DiskInfo");
      }
      if (resource.hasRevocable()) {
        return Optional.of("QuotaInfo must not contain RevocableInfo");
      }
      if (resource.getType() != Value.Type.SCALAR) {
        return Optional.of("QuotaInfo must not include non-scalar resources");
      }
      if (!names.add(resource.getName())) {
        return Optional.of("QuotaInfo contains duplicate resource name '" + resource.getName() + "'");
      }
    }
    return Optional.empty();
  }

  /** The quota a config sets: its guarantees and limits by resource name. */
  public static Quota quota(QuotaConfig config) {
    return new Quota(values(config.getGuaranteesMap()), values(config.getLimitsMap()));
  }

  /** The quota a (deprecated) request sets: its guarantee is also its limit, as in Mesos. */
  public static Quota quota(QuotaRequest request) {
    Map<String, Double> guarantee = new TreeMap<>();
    for (Resource r : request.getGuaranteeList()) {
      guarantee.merge(r.getName(), r.getScalar().getValue(), Double::sum);
    }
    return new Quota(guarantee, guarantee);
  }

  /** Mesos' {@code QuotaTree::validate}: each role's guarantees contain the sum of its children's. */
  public static Optional<String> validateTree(Map<String, Quota> quotas) {
    return new Node("").validateChildren(tree(quotas));
  }

  /** The guarantees of the top-level roles, which contain their subroles' (Mesos' {@code totalGuarantees}). */
  public static SortedMap<String, Double> totalGuarantees(Map<String, Quota> quotas) {
    SortedMap<String, Double> total = new TreeMap<>();
    for (Node child : tree(quotas).children.values()) {
      total = Quantities.plus(total, child.quota.guarantees());
    }
    return total;
  }

  /** Mesos' {@code validateInputScalarValue}. */
  public static Optional<String> inputScalar(double value) {
    if (Double.isInfinite(value)) {
      return Optional.of("Infinite values not supported");
    }
    if (Double.isNaN(value)) {
      return Optional.of("NaN not supported");
    }
    if (value != 0 && Math.abs(value) < Double.MIN_NORMAL) {
      return Optional.of("Subnormal values not supported");
    }
    if (value < 0) {
      return Optional.of("Negative values not supported");
    }
    return Optional.empty();
  }

  private static Optional<String> tooLarge(Map<String, Value.Scalar> quantities) {
    for (Map.Entry<String, Value.Scalar> e : sorted(quantities).entrySet()) {
      double value = e.getValue().getValue();
      boolean bytes = e.getKey().equals("mem") || e.getKey().equals("disk");
      if (bytes && value > EXABYTE_IN_MEGABYTES) {
        return Optional.of("{'" + e.getKey() + "': " + text(e.getValue()) + "} is invalid: values greater than "
            + "1 exabyte (1099511627776) are not supported");
      }
      if (!bytes && value > OTHER_LIMIT) {
        return Optional.of("{'" + e.getKey() + "': " + text(e.getValue()) + "} is invalid: values greater than "
            + "1 trillion (1000000000000) are not supported");
      }
    }
    return Optional.empty();
  }

  private static Node tree(Map<String, Quota> quotas) {
    Node root = new Node("");
    quotas.forEach((role, quota) -> {
      Node current = root;
      for (String component : role.split("/")) {
        current = current.children.computeIfAbsent(component, Node::new);
      }
      current.quota = quota;
    });
    return root;
  }

  private static SortedMap<String, Value.Scalar> sorted(Map<String, Value.Scalar> map) {
    return new TreeMap<>(map);
  }

  private static Map<String, Double> values(Map<String, Value.Scalar> map) {
    Map<String, Double> values = new TreeMap<>();
    map.forEach((name, scalar) -> values.put(name, scalar.getValue()));
    return values;
  }

  private static String text(Value.Scalar scalar) {
    double value = scalar.getValue();
    return Double.isNaN(value) || Double.isInfinite(value) ? String.valueOf(value).toLowerCase(java.util.Locale.ROOT)
        : Quantities.scalar(value);
  }

  /** A protobuf map as stout's {@code stringify} prints one: {@code { cpus: 1, mem: 10 }}. */
  private static String mapText(Map<String, Value.Scalar> map) {
    if (map.isEmpty()) {
      return "{  }";
    }
    return sorted(map).entrySet().stream().map(e -> e.getKey() + ": " + text(e.getValue()))
        .collect(Collectors.joining(", ", "{ ", " }"));
  }

  /** A role of the quota tree; roles without quota of their own count as guaranteeing nothing. */
  private static final class Node {
    final String name;
    Quota quota = Quota.NONE;
    final Map<String, Node> children = new TreeMap<>();

    Node(String name) {
      this.name = name;
    }

    Optional<String> validateChildren(Node root) {
      for (Node child : root.children.values()) {
        Optional<String> error = child.validate();
        if (error.isPresent()) {
          return error;
        }
      }
      return Optional.empty();
    }

    Optional<String> validate() {
      List<Node> kids = new ArrayList<>(children.values());
      SortedMap<String, Double> childGuarantees = new TreeMap<>();
      for (Node child : kids) {
        Optional<String> error = child.validate();
        if (error.isPresent()) {
          return error;
        }
        childGuarantees = Quantities.plus(childGuarantees, child.quota.guarantees());
      }
      if (!Quantities.contains(quota.guarantees(), childGuarantees)) {
        return Optional.of("Invalid quota configuration. Parent role '" + name + "' with guarantees ("
            + Quantities.format(quota.guarantees()) + ") does not contain the sum of its children's guarantees ("
            + Quantities.format(childGuarantees) + ")");
      }
      return Optional.empty();
    }
  }
}
