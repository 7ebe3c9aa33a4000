package io.jmesos.resources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Value;

/**
 * An immutable collection of {@link Resource}s with Mesos' arithmetic ({@code plus}, {@code minus},
 * {@code contains}), like Mesos' {@code Resources} class.
 *
 * <p>Resources that Mesos would combine (same name, type, reservations, allocation, disk,
 * revocability and provider: "addable") are merged into one element, so a collection never holds
 * two addable elements. Scalars are kept in Mesos' fixed point (three decimals), ranges coalesced.
 * Empty resources (zero scalars, no ranges, empty sets) and, as in Mesos, invalid ones (see
 * {@link #validate(Resource)}) are silently left out: validate untrusted input first. Elements are
 * stored in the 1.4+ reservation format: the deprecated {@code role} and {@code reservation}
 * fields are moved into {@code reservations}. A shared resource (a shared persistent volume) is
 * kept once per copy.
 *
 * <p>Immutable and thread-safe.
 */
public final class Resources implements Iterable<Resource> {

  private static final Resources EMPTY = new Resources(Collections.emptyList());

  private final List<Resource> resources;

  private Resources(List<Resource> resources) {
    this.resources = Collections.unmodifiableList(resources);
  }

  public static Resources empty() {
    return EMPTY;
  }

  /** Combines {@code resources}, dropping empty and invalid ones. */
  public static Resources of(Iterable<Resource> resources) {
    List<Resource> list = new ArrayList<>();
    for (Resource resource : resources) {
      add(list, resource);
    }
    return new Resources(list);
  }

  public static Resources of(Resource... resources) {
    return of(Arrays.asList(resources));
  }

  /**
   * Parses Mesos' agent syntax: {@code name[(role)]:value} entries separated by {@code ;} or new
   * lines, where the value is a scalar ({@code 2}), ranges ({@code [31000-32000,33000-33100]}) or
   * a set ({@code {a,b}}), and a role other than {@code *} makes a STATIC reservation. The text may
   * instead be a JSON array of {@code Resource} objects. Every resource is validated; empty ones
   * (e.g. {@code gpus:0}) are left out; entries with the same name and role are added up.
   *
   * @param defaultRole the role of entries that name none: {@code *} for unreserved
   * @throws IllegalArgumentException naming the offending entry
   */
  public static Resources parse(String text, String defaultRole) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(defaultRole, "defaultRole");
    List<Resource> list = new ArrayList<>();
    for (Resource resource : ResourceText.parse(text, defaultRole)) {
      Optional<String> error = ResourceValidator.validate(resource);
      if (error.isPresent()) {
        throw new IllegalArgumentException(
            "Invalid resource '" + ResourceText.format(resource) + "': " + error.get());
      }
      add(list, resource);
    }
    ResourceValidator.validateCommandLine(list).ifPresent(error -> {
      throw new IllegalArgumentException(error);
    });
    return new Resources(list);
  }

  /** {@link #parse(String, String)} with unreserved ({@code *}) as the default role. */
  public static Resources parse(String text) {
    return parse(text, Roles.ANY);
  }

  /** Why {@code resource} is invalid (negative or NaN scalar, overlapping ranges, ...), if it is. */
  public static Optional<String> validate(Resource resource) {
    return ResourceValidator.validate(resource);
  }

  /** The first invalid resource and why, as the master reports it with TASK_ERROR. */
  public static Optional<String> validate(Iterable<Resource> resources) {
    for (Resource resource : resources) {
      Optional<String> error = ResourceValidator.validate(resource);
      if (error.isPresent()) {
        return Optional.of(
            "Resource '" + ResourceText.format(resource) + "' is invalid: " + error.get());
      }
    }
    return Optional.empty();
  }

  // ---- Arithmetic ----

  public Resources plus(Resource resource) {
    List<Resource> list = new ArrayList<>(resources);
    add(list, resource);
    return new Resources(list);
  }

  public Resources plus(Resources that) {
    List<Resource> list = new ArrayList<>(resources);
    for (Resource resource : that.resources) {
      add(list, resource);
    }
    return new Resources(list);
  }

  /** Takes {@code resource} out; more than is present removes the element, as in Mesos. */
  public Resources minus(Resource resource) {
    List<Resource> list = new ArrayList<>(resources);
    subtract(list, resource);
    return new Resources(list);
  }

  public Resources minus(Resources that) {
    List<Resource> list = new ArrayList<>(resources);
    for (Resource resource : that.resources) {
      subtract(list, resource);
    }
    return new Resources(list);
  }

  /** True when this holds at least everything in {@code that}. */
  public boolean contains(Resources that) {
    List<Resource> remaining = new ArrayList<>(resources);
    for (Resource resource : that.resources) {
      if (remaining.stream().noneMatch(r -> ResourceMath.contains(r, resource))) {
        return false;
      }
      if (resource.hasShared() || ResourceMath.isPersistentVolume(resource)) {
        subtract(remaining, resource); // Each copy must be matched by its own copy.
      }
    }
    return true;
  }

  public boolean contains(Resource resource) {
    Resource upgraded = ResourceMath.upgrade(resource);
    return ResourceValidator.validate(upgraded).isEmpty()
        && resources.stream().anyMatch(r -> ResourceMath.contains(r, upgraded));
  }

  private static void add(List<Resource> list, Resource resource) {
    if (ResourceValidator.validate(resource).isPresent()) {
      return;
    }
    Resource that = ResourceMath.normalize(ResourceMath.upgrade(resource));
    if (ResourceMath.isEmpty(that)) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      if (ResourceMath.addable(list.get(i), that)) {
        list.set(i, ResourceMath.plus(list.get(i), that));
        return;
      }
    }
    list.add(that);
  }

  private static void subtract(List<Resource> list, Resource resource) {
    if (ResourceValidator.validate(resource).isPresent()) {
      return;
    }
    Resource that = ResourceMath.normalize(ResourceMath.upgrade(resource));
    if (ResourceMath.isEmpty(that)) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      if (ResourceMath.subtractable(list.get(i), that)) {
        Resource left = that.hasShared() ? null : ResourceMath.minus(list.get(i), that);
        boolean gone = left == null || ResourceMath.isEmpty(left)
            || (left.getType() == Value.Type.SCALAR && left.getScalar().getValue() < 0);
        if (gone) {
          list.remove(i);
        } else {
          list.set(i, left);
        }
        return;
      }
    }
  }

  // ---- Queries ----

  public boolean isEmpty() {
    return resources.isEmpty();
  }

  public int size() {
    return resources.size();
  }

  /** The sum of the scalar resources called {@code name}; 0 when there are none. */
  public double scalar(String name) {
    long fixed = 0;
    for (Resource resource : resources) {
      if (resource.getName().equals(name) && resource.getType() == Value.Type.SCALAR) {
        fixed += Values.toFixed(resource.getScalar().getValue());
      }
    }
    return Values.fromFixed(fixed);
  }

  /** The union of the ranges resources called {@code name}; empty when there are none. */
  public Value.Ranges ranges(String name) {
    List<Value.Range> all = new ArrayList<>();
    for (Resource resource : resources) {
      if (resource.getName().equals(name) && resource.getType() == Value.Type.RANGES) {
        all.addAll(resource.getRanges().getRangeList());
      }
    }
    return Values.coalesce(all);
  }

  /** The union of the set resources called {@code name}; empty when there are none. */
  public Value.Set set(String name) {
    Value.Set result = Value.Set.getDefaultInstance();
    for (Resource resource : resources) {
      if (resource.getName().equals(name) && resource.getType() == Value.Type.SET) {
        result = Values.add(result, resource.getSet());
      }
    }
    return result;
  }

  /** The resource names, sorted. */
  public Set<String> names() {
    return resources.stream().map(Resource::getName).collect(Collectors.toCollection(TreeSet::new));
  }

  public Resources filter(Predicate<Resource> predicate) {
    return new Resources(resources.stream().filter(predicate).collect(Collectors.toList()));
  }

  public Resources named(String name) {
    return filter(r -> r.getName().equals(name));
  }

  /** Resources reserved to exactly {@code role} (the innermost reservation). */
  public Resources reserved(String role) {
    return filter(r -> isReserved(r) && reservationRole(r).equals(role));
  }

  /** Resources reserved to any role. */
  public Resources reserved() {
    return filter(Resources::isReserved);
  }

  public Resources unreserved() {
    return filter(r -> !isReserved(r));
  }

  /** Unreserved resources and those reserved to {@code role} or one of its ancestors. */
  public Resources allocatableTo(String role) {
    return filter(r -> !isReserved(r) || reservationRole(r).equals(role)
        || Roles.isStrictSubroleOf(role, reservationRole(r)));
  }

  /** The same resources with {@code allocation_info.role} set to {@code role}. */
  public Resources allocatedTo(String role) {
    Objects.requireNonNull(role, "role");
    if (resources.stream().noneMatch(Resource::hasAllocationInfo)) {
      // Fast path: the elements are valid, normalized and pairwise not addable; giving each the same
      // allocation info keeps them so, so nothing needs re-validating or merging.
      List<Resource> tagged = new ArrayList<>(resources.size());
      for (Resource resource : resources) {
        Resource.Builder allocated = resource.toBuilder();
        allocated.getAllocationInfoBuilder().setRole(role);
        tagged.add(allocated.build());
      }
      return new Resources(tagged);
    }
    List<Resource> list = new ArrayList<>();
    for (Resource resource : resources) {
      Resource.Builder allocated = resource.toBuilder();
      allocated.getAllocationInfoBuilder().setRole(role);
      add(list, allocated.build());
    }
    return new Resources(list);
  }

  /** The same resources without {@code allocation_info}. */
  public Resources stripAllocationInfo() {
    if (resources.stream().noneMatch(Resource::hasAllocationInfo)) {
      return this;
    }
    Resource first = resources.get(0);
    if (resources.stream().allMatch(r -> r.hasAllocationInfo()
        && r.getAllocationInfo().equals(first.getAllocationInfo()))) {
      // Fast path: the elements differ in more than their (common) allocation info, so they stay pairwise not
      // addable, valid and normalized without it.
      List<Resource> stripped = new ArrayList<>(resources.size());
      for (Resource resource : resources) {
        stripped.add(resource.toBuilder().clearAllocationInfo().build());
      }
      return new Resources(stripped);
    }
    List<Resource> list = new ArrayList<>();
    for (Resource resource : resources) {
      add(list, resource.toBuilder().clearAllocationInfo().build());
    }
    return new Resources(list);
  }

  /**
   * The resource in the post-reservation-refinement format (Mesos 1.4+): the deprecated {@code role} and
   * {@code reservation} fields moved into {@code reservations}; already converted resources are returned as
   * they are.
   */
  public static Resource postRefinement(Resource resource) {
    return ResourceMath.upgrade(resource);
  }

  /** The same resources without reservations. */
  public Resources toUnreserved() {
    List<Resource> list = new ArrayList<>();
    for (Resource resource : resources) {
      add(list, resource.toBuilder().clearReservations().build());
    }
    return new Resources(list);
  }

  public Resources revocable() {
    return filter(Resource::hasRevocable);
  }

  public Resources nonRevocable() {
    return filter(r -> !r.hasRevocable());
  }

  public Resources persistentVolumes() {
    return filter(ResourceMath::isPersistentVolume);
  }

  @SuppressWarnings("deprecation") // Accepts resources not yet upgraded.
  public static boolean isReserved(Resource resource) {
    return resource.getReservationsCount() > 0
        || (resource.hasRole() && !Roles.ANY.equals(resource.getRole()));
  }

  /** The role of the innermost reservation; {@code *} when unreserved. */
  @SuppressWarnings("deprecation") // Accepts resources not yet upgraded.
  public static String reservationRole(Resource resource) {
    int count = resource.getReservationsCount();
    if (count > 0) {
      return resource.getReservations(count - 1).getRole();
    }
    return resource.hasRole() ? resource.getRole() : Roles.ANY;
  }

  /** The elements, for protobuf builders ({@code addAllResources(r.toList())}). */
  public List<Resource> toList() {
    return resources;
  }

  @Override
  public Iterator<Resource> iterator() {
    return resources.iterator();
  }

  /** Mesos' equality: each contains the other. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Resources)) {
      return false;
    }
    Resources that = (Resources) o;
    return size() == that.size() && contains(that) && that.contains(this);
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (Resource resource : resources) {
      hash += resource.getName().hashCode() * 31 + resource.getType().getNumber();
    }
    return hash;
  }

  /** Mesos' text: {@code cpus:2; mem:1024; ports:[31000-32000]}, or {@code {}} when empty. */
  @Override
  public String toString() {
    if (resources.isEmpty()) {
      return "{}";
    }
    return resources.stream().map(ResourceText::format).collect(Collectors.joining("; "));
  }
}
