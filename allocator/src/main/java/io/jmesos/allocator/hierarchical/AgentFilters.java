package io.jmesos.allocator.hierarchical;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The refusal filters installed on one agent, indexed by client (framework and role) id: a deadline and a
 * refusal per client in flat arrays, so the allocation loop checks a framework with two array reads and an
 * identity comparison. A second filter for the same client and agent (rare) goes to an overflow map. A filter
 * is in force while the clock is before its deadline. Owned by the allocator's actor.
 */
final class AgentFilters {
  private long[] deadlines = new long[0];
  private Refusal[] refusals = new Refusal[0];
  private Map<Integer, List<Entry>> extra;
  /** The most recent refusal on this agent, reused when the next one refuses the same resources. */
  Refusal last;

  private record Entry(Refusal refusal, long deadline) {}

  /** True when an unexpired filter of {@code client} covers all of {@code offer}. */
  boolean filtered(int client, Candidate offer, long now) {
    if (client < deadlines.length && deadlines[client] > now && refusals[client].covers(offer)) {
      return true;
    }
    if (extra != null) {
      List<Entry> more = extra.get(client);
      if (more != null) {
        for (Entry entry : more) {
          if (entry.deadline > now && entry.refusal.covers(offer)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Installs a filter; returns how many expired filters it replaced (0 or 1). */
  int add(int client, Refusal refusal, long deadline, long now) {
    if (client >= deadlines.length) {
      int size = Math.max(client + 1, deadlines.length * 2);
      deadlines = Arrays.copyOf(deadlines, size);
      refusals = Arrays.copyOf(refusals, size);
    }
    if (refusals[client] == null || deadlines[client] <= now) {
      int replaced = refusals[client] == null ? 0 : 1;
      refusals[client] = refusal;
      deadlines[client] = deadline;
      return replaced;
    }
    if (extra == null) {
      extra = new HashMap<>();
    }
    extra.computeIfAbsent(client, k -> new ArrayList<>(1)).add(new Entry(refusal, deadline));
    return 0;
  }

  /** Drops the client's filters that are due by {@code now}; returns how many. */
  int expire(int client, long now) {
    int removed = 0;
    if (client < deadlines.length && refusals[client] != null && deadlines[client] <= now) {
      refusals[client] = null;
      deadlines[client] = 0;
      removed++;
    }
    if (extra != null) {
      List<Entry> more = extra.get(client);
      if (more != null) {
        for (Iterator<Entry> it = more.iterator(); it.hasNext();) {
          if (it.next().deadline <= now) {
            it.remove();
            removed++;
          }
        }
        if (more.isEmpty()) {
          extra.remove(client);
        }
      }
    }
    return removed;
  }

  /** Drops all of the client's filters (REVIVE, removal); returns how many. */
  int clear(int client) {
    return expire(client, Long.MAX_VALUE);
  }

  /** Number of filters of {@code client} on this agent. */
  int count(int client) {
    int count = client < refusals.length && refusals[client] != null ? 1 : 0;
    if (extra != null && extra.containsKey(client)) {
      count += extra.get(client).size();
    }
    return count;
  }
}
