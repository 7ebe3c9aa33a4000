package io.jmesos.allocator.hierarchical;

import java.util.List;

/**
 * Orders clients (roles in the role sorter, frameworks within one role) for allocation, as Mesos'
 * {@code Sorter}. Role clients are paths ({@code a/b/c}); a node's allocation includes its descendants'. New
 * clients start inactive; {@link #sort()} returns active clients only. Pure policy: no threads, no I/O; owned
 * by the allocator's actor.
 *
 * @param <T> what the allocator attaches to each client
 */
interface Sorter<T> {
  void add(String client, T data);

  void remove(String client);

  boolean contains(String client);

  void activate(String client);

  void deactivate(String client);

  /** Sets the weight of a path (a role, or an ancestor of roles). */
  void updateWeight(String path, double weight);

  void allocated(String client, long[] scalars);

  void unallocated(String client, long[] scalars);

  /** The client's allocation (its own and its descendants'), as a scalar vector; do not modify. */
  long[] allocation(String client);

  /** The client's dominant share divided by its weight. */
  double share(String client);

  /**
   * The active clients in allocation order. The list is a snapshot: later changes to the sorter do not alter
   * it, so callers may iterate it while allocating.
   */
  List<T> sort();

  /**
   * The active clients in allocation order, possibly a live view: valid only while the sorter is not changed
   * (the allocation loop defers its sorter updates until it is done with an agent).
   */
  default Iterable<T> ordered() {
    return sort();
  }

  int count();
}
