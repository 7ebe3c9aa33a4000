package io.jmesos.allocator.hierarchical;

import java.util.Set;

/**
 * What every sorter of one allocator shares: the cluster's total scalar quantities (the denominator of every
 * share; all agents, as Mesos adds each agent to every sorter), a version bumped whenever the total changes,
 * and the resource names left out of fairness. Owned by the allocator's actor.
 */
final class SorterContext {
  private final ScalarNames names;
  private final Set<String> excludedNames;
  private long[] total = Scalars.EMPTY;
  private long version;
  private boolean[] excluded = new boolean[0];

  SorterContext(ScalarNames names, Set<String> excludedNames) {
    this.names = names;
    this.excludedNames = Set.copyOf(excludedNames);
  }

  long[] total() {
    return total;
  }

  long version() {
    return version;
  }

  void add(long[] scalars, int sign) {
    total = Scalars.add(total, scalars, sign);
    version++;
  }

  /** Dominant share of {@code allocation}: the largest fraction of any non-excluded total it holds. */
  double dominantShare(long[] allocation) {
    double share = 0;
    for (int i = 0; i < allocation.length && i < total.length; i++) {
      if (total[i] > 0 && allocation[i] > 0 && !excluded(i)) {
        share = Math.max(share, (double) allocation[i] / total[i]);
      }
    }
    return share;
  }

  private boolean excluded(int index) {
    if (excludedNames.isEmpty()) {
      return false;
    }
    if (index >= excluded.length) {
      excluded = new boolean[names.size()];
      for (int i = 0; i < excluded.length; i++) {
        excluded[i] = excludedNames.contains(names.name(i));
      }
    }
    return excluded[index];
  }
}
