package io.jmesos.allocator.hierarchical;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Weighted dominant resource fairness, as Mesos' {@code DRFSorter}: at every level of the tree, children are
 * ordered by dominant share divided by weight, then by how many allocations they received, then by path.
 *
 * <p>Unlike Mesos, which re-sorts everything when anything changed, each node's children are kept sorted
 * incrementally: an allocation moves only the nodes on its leaf's path (binary search and an array shift), and
 * {@link #sort()} returns the previous snapshot when nothing changed. A change of the cluster total changes
 * every share and re-sorts the whole tree once, lazily. Owned by the allocator's actor.
 */
final class DrfSorter<T> extends TreeSorter<T> {
  private final Comparator<Node<T>> order = DrfSorter::compare;
  private long seenVersion = -1;

  DrfSorter(SorterContext context, Map<String, Double> weights, boolean hierarchical) {
    super(context, weights, hierarchical);
  }

  @Override
  void attach(Node<T> parent, Node<T> child) {
    refresh();
    int at = Collections.binarySearch(parent.children, child, order);
    parent.children.add(at < 0 ? -at - 1 : at, child);
  }

  @Override
  void detach(Node<T> parent, Node<T> child) {
    refresh();
    int at = Collections.binarySearch(parent.children, child, order);
    if (at >= 0 && parent.children.get(at) == child) {
      parent.children.remove(at);
    } else {
      parent.children.remove(child);
    }
  }

  /** Share, then allocation count, then path: Mesos' DRF order. */
  private static int compare(Node<?> a, Node<?> b) {
    int byShare = Double.compare(a.share, b.share);
    if (byShare != 0) {
      return byShare;
    }
    int byCount = Long.compare(a.count, b.count);
    return byCount != 0 ? byCount : a.path.compareTo(b.path);
  }

  /**
   * Takes a node out of its place before its allocation or weight changes, unless the cluster total changed
   * since the last sort: then the next walk re-sorts every level anyway (adding agents one by one updates
   * allocations without a full re-sort per agent).
   */
  @Override
  void changing(Node<T> node) {
    if (seenVersion == context.version()) {
      detach(node.parent, node);
    }
  }

  @Override
  void changed(Node<T> node) {
    if (seenVersion == context.version()) {
      attach(node.parent, node);
    }
  }

  @Override
  List<Node<T>> ordered(Node<T> node) {
    refresh();
    return node.children;
  }

  /** A live depth-first walk over the sorted tree: no copy per call. */
  @Override
  public Iterable<T> ordered() {
    refresh();
    return () -> new java.util.Iterator<T>() {
      /** Ancestors of {@code node} and the positions to resume them at; allocated when first descending. */
      private java.util.ArrayDeque<Node<T>> parents;
      private java.util.ArrayDeque<Integer> positions;
      private Node<T> node = root;
      private int position;
      private T next = advance();

      private T advance() {
        while (true) {
          if (position >= node.children.size()) {
            if (parents == null || parents.isEmpty()) {
              return null;
            }
            node = parents.pop();
            position = positions.pop();
            continue;
          }
          Node<T> child = node.children.get(position++);
          if (child.internal) {
            if (parents == null) {
              parents = new java.util.ArrayDeque<>();
              positions = new java.util.ArrayDeque<>();
            }
            parents.push(node);
            positions.push(position);
            node = child;
            position = 0;
          } else if (child.active) {
            return child.data;
          }
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public T next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        T result = next;
        next = advance();
        return result;
      }
    };
  }

  @Override
  boolean cacheable() {
    if (seenVersion != context.version()) {
      invalidate();
      return false;
    }
    return true;
  }

  /** Recomputes every share and re-sorts every level after the cluster total changed. */
  private void refresh() {
    if (seenVersion == context.version()) {
      return;
    }
    seenVersion = context.version();
    resort(root);
    invalidate();
  }

  private void resort(Node<T> node) {
    for (Node<T> child : node.children) {
      child.share = share(child);
      if (child.internal) {
        resort(child);
      }
    }
    node.children.sort(order);
  }
}
