package io.jmesos.allocator;

import io.jmesos.actor.Clock;
import io.jmesos.resources.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;

/**
 * Refusal filters from DECLINE (and the unused part of ACCEPT): for {@code refuse_seconds} a framework is not
 * offered resources on an agent that are contained in what it refused, as Mesos' {@code RefusedOfferFilter}.
 * Expiry is timed by the injected clock and reported through {@code onExpiry}. Owned by the allocator's actor.
 */
final class RefusalFilters {
  /** Mesos caps refusals at a year. */
  static final Duration MAX_REFUSAL = Duration.ofDays(365);
  static final Duration DEFAULT_REFUSAL = Duration.ofSeconds(5);

  private final Map<FrameworkID, Map<SlaveID, List<Filter>>> filters = new HashMap<>();

  private static final class Filter {
    final Resources resources;
    Clock.Timer timer;

    Filter(Resources resources) {
      this.resources = resources;
    }
  }

  /** How long to refuse for a requested {@code refuse_seconds}: zero for none, defaults for negatives. */
  static Duration refusal(double refuseSeconds) {
    if (Double.isNaN(refuseSeconds) || refuseSeconds < 0) {
      return DEFAULT_REFUSAL;
    }
    if (refuseSeconds > MAX_REFUSAL.toSeconds()) {
      return MAX_REFUSAL;
    }
    return Duration.ofNanos((long) (refuseSeconds * 1e9));
  }

  /** Installs a filter; {@code expire} is scheduled to run on the actor and must call {@link #expire}. */
  void add(FrameworkID frameworkId, SlaveID slaveId, Resources resources, Duration duration,
      TimerFactory timers) {
    Filter filter = new Filter(resources.stripAllocationInfo());
    filters.computeIfAbsent(frameworkId, k -> new HashMap<>())
        .computeIfAbsent(slaveId, k -> new ArrayList<>())
        .add(filter);
    filter.timer = timers.schedule(duration, () -> remove(frameworkId, slaveId, filter));
  }

  /** True when an unexpired filter of {@code frameworkId} on {@code slaveId} covers all of {@code offer}. */
  boolean filtered(FrameworkID frameworkId, SlaveID slaveId, Resources offer) {
    Map<SlaveID, List<Filter>> byAgent = filters.get(frameworkId);
    List<Filter> list = byAgent == null ? null : byAgent.get(slaveId);
    if (list == null) {
      return false;
    }
    Resources stripped = offer.stripAllocationInfo();
    return list.stream().anyMatch(f -> f.resources.contains(stripped));
  }

  /** Drops every filter of a framework, cancelling their timers (REVIVE, framework removal). */
  void clear(FrameworkID frameworkId) {
    Map<SlaveID, List<Filter>> byAgent = filters.remove(frameworkId);
    if (byAgent != null) {
      byAgent.values().forEach(list -> list.forEach(f -> f.timer.cancel()));
    }
  }

  /** Drops every filter on an agent. */
  void clearAgent(SlaveID slaveId) {
    for (Map<SlaveID, List<Filter>> byAgent : filters.values()) {
      List<Filter> list = byAgent.remove(slaveId);
      if (list != null) {
        list.forEach(f -> f.timer.cancel());
      }
    }
  }

  int size() {
    return filters.values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).sum();
  }

  private void remove(FrameworkID frameworkId, SlaveID slaveId, Filter filter) {
    Map<SlaveID, List<Filter>> byAgent = filters.get(frameworkId);
    if (byAgent == null) {
      return;
    }
    List<Filter> list = byAgent.get(slaveId);
    if (list == null) {
      return;
    }
    for (Iterator<Filter> it = list.iterator(); it.hasNext();) {
      if (it.next() == filter) {
        it.remove();
      }
    }
    if (list.isEmpty()) {
      byAgent.remove(slaveId);
    }
    if (byAgent.isEmpty()) {
      filters.remove(frameworkId);
    }
  }

  /** Schedules a filter's expiry onto the owning actor. */
  @FunctionalInterface
  interface TimerFactory {
    Clock.Timer schedule(Duration delay, Runnable onExpiry);
  }
}
