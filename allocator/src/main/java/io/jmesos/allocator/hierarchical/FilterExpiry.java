package io.jmesos.allocator.hierarchical;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When refusal filters are due: buckets of (agent, client) by deadline, rounded up to the millisecond so
 * filters installed together share a bucket. {@link #sweep} drops what is due. Lighter than a clock timer per
 * filter, which matters with millions of filters (a refused filter applies until the deadline either way:
 * {@link AgentFilters#filtered} compares deadlines). Owned by the allocator's actor.
 */
final class FilterExpiry {
  private static final long GRANULARITY = 1_000_000L;

  private static final class Bucket {
    final List<Agent> agents = new ArrayList<>();
    final List<Client> clients = new ArrayList<>();
  }

  private final TreeMap<Long, Bucket> buckets = new TreeMap<>();

  /** The deadline a filter for {@code durationNanos} from {@code now} gets (rounded up). */
  static long deadline(long now, long durationNanos) {
    long raw = durationNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE - GRANULARITY : now + durationNanos;
    return ((raw + GRANULARITY - 1) / GRANULARITY) * GRANULARITY;
  }

  void add(long deadline, Agent agent, Client client) {
    Bucket bucket = buckets.computeIfAbsent(deadline, k -> new Bucket());
    bucket.agents.add(agent);
    bucket.clients.add(client);
  }

  /** Expires every filter due by {@code now}. */
  void sweep(long now) {
    while (!buckets.isEmpty() && buckets.firstKey() <= now) {
      Map.Entry<Long, Bucket> first = buckets.pollFirstEntry();
      Bucket bucket = first.getValue();
      for (int i = 0; i < bucket.agents.size(); i++) {
        Agent agent = bucket.agents.get(i);
        Client client = bucket.clients.get(i);
        if (!agent.removed && !client.removed) {
          int expired = agent.filters.expire(client.id, now);
          client.roleState.activeFilters -= expired;
        }
      }
    }
  }
}
