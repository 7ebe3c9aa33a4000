package io.jmesos.allocator.hierarchical;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The refusal filters installed on one agent, by client (framework and role) id: a small open-addressing table
 * keyed by client id with a deadline and a refusal per slot, so the allocation loop checks a framework with a
 * hash probe and an identity comparison, and an agent only holds room for the clients that refused it (not for
 * every client id there is). A second filter for the same client and agent (rare) goes to an overflow map. A
 * filter is in force while the clock is before its deadline. Owned by the allocator's actor.
 */
final class AgentFilters {
  private static final int[] NO_KEYS = new int[0];

  /** Client id + 1 per slot, 0 for a free slot; a slot stays with its client once taken (until a rehash). */
  private int[] keys = NO_KEYS;
  private long[] deadlines = new long[0];
  private Refusal[] refusals = new Refusal[0];
  private int taken;
  private Map<Integer, List<Entry>> extra;
  /** The most recent refusal on this agent, reused when the next one refuses the same resources. */
  Refusal last;

  private record Entry(Refusal refusal, long deadline) {}

  /** The slot of {@code client}, or -1. */
  private int find(int client) {
    if (keys.length == 0) {
      return -1;
    }
    int mask = keys.length - 1;
    for (int slot = hash(client) & mask; ; slot = (slot + 1) & mask) {
      int key = keys[slot];
      if (key == client + 1) {
        return slot;
      }
      if (key == 0) {
        return -1;
      }
    }
  }

  /** The slot of {@code client}, taking a free one (and growing the table) when it has none. */
  private int slotFor(int client) {
    int slot = find(client);
    if (slot >= 0) {
      return slot;
    }
    if (2 * (taken + 1) > keys.length) {
      rehash();
    }
    int mask = keys.length - 1;
    slot = hash(client) & mask;
    while (keys[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    keys[slot] = client + 1;
    taken++;
    return slot;
  }

  /** Rebuilds the table, keeping only the slots that hold a filter, with room for one more at half load. */
  private void rehash() {
    int[] oldKeys = keys;
    long[] oldDeadlines = deadlines;
    Refusal[] oldRefusals = refusals;
    int live = 0;
    for (Refusal refusal : oldRefusals) {
      if (refusal != null) {
        live++;
      }
    }
    int capacity = 4;
    while (2 * (live + 1) > capacity) {
      capacity *= 2;
    }
    keys = new int[capacity];
    deadlines = new long[capacity];
    refusals = new Refusal[capacity];
    taken = 0;
    int mask = capacity - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldRefusals[i] != null) {
        int slot = hash(oldKeys[i] - 1) & mask;
        while (keys[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        deadlines[slot] = oldDeadlines[i];
        refusals[slot] = oldRefusals[i];
        taken++;
      }
    }
  }

  private static int hash(int client) {
    int h = client * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** True when an unexpired filter of {@code client} covers all of {@code offer}. */
  boolean filtered(int client, Candidate offer, long now) {
    int slot = find(client);
    if (slot >= 0 && deadlines[slot] > now && refusals[slot].covers(offer)) {
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
    int slot = slotFor(client);
    if (refusals[slot] == null || deadlines[slot] <= now) {
      int replaced = refusals[slot] == null ? 0 : 1;
      refusals[slot] = refusal;
      deadlines[slot] = deadline;
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
    int slot = find(client);
    if (slot >= 0 && refusals[slot] != null && deadlines[slot] <= now) {
      refusals[slot] = null;
      deadlines[slot] = 0;
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
    int slot = find(client);
    int count = slot >= 0 && refusals[slot] != null ? 1 : 0;
    if (extra != null && extra.containsKey(client)) {
      count += extra.get(client).size();
    }
    return count;
  }
}
