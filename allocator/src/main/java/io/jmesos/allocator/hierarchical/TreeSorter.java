package io.jmesos.allocator.hierarchical;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client tree both sorters share, as Mesos' sorters build it: role {@code a/b} is a leaf under internal
 * node {@code a}; when {@code a} is itself a client while it has children, it becomes an internal node with a
 * virtual leaf {@code .} that stands for client {@code a}. Each node's allocation is its leaf's, or the sum of
 * its children's. Subclasses decide the order of each node's children. Owned by the allocator's actor.
 */
abstract class TreeSorter<T> implements Sorter<T> {
  static final String VIRTUAL = ".";

  /** One node of the tree. */
  static final class Node<T> {
    final String path;
    String name;
    Node<T> parent;
    boolean internal;
    boolean active;
    T data;
    final ArrayList<Node<T>> children = new ArrayList<>(0);
    long[] allocation = Scalars.EMPTY;
    long count;
    double weight = 1.0;
    double share;

    Node(String path, String name, boolean internal) {
      this.path = path;
      this.name = name;
      this.internal = internal;
    }
  }

  final SorterContext context;
  final Map<String, Double> weights;
  private final boolean hierarchical;
  final Node<T> root = new Node<>("", "", true);
  private final Map<String, Node<T>> leaves = new HashMap<>();
  private final Map<String, Node<T>> internals = new HashMap<>();
  private List<T> snapshot;

  /**
   * @param weights weights by path, shared with the allocator (read only here)
   * @param hierarchical whether client names are '/'-separated paths (roles) or flat (frameworks)
   */
  TreeSorter(SorterContext context, Map<String, Double> weights, boolean hierarchical) {
    this.context = context;
    this.weights = weights;
    this.hierarchical = hierarchical;
  }

  /** Puts {@code child} among {@code parent}'s children. */
  abstract void attach(Node<T> parent, Node<T> child);

  /** Takes {@code child} out of {@code parent}'s children. */
  abstract void detach(Node<T> parent, Node<T> child);

  /** Called before a node's allocation or weight changes and after, to keep the order up to date. */
  abstract void changing(Node<T> node);

  abstract void changed(Node<T> node);

  /** Orders {@code node}'s children for a sort; DRF keeps them ordered, random shuffles them. */
  abstract List<Node<T>> ordered(Node<T> node);

  /** Whether {@link #sort()} may return the previous snapshot when nothing changed. */
  abstract boolean cacheable();

  final void invalidate() {
    snapshot = null;
  }

  @Override
  public void add(String client, T data) {
    if (leaves.containsKey(client)) {
      throw new IllegalStateException("Client '" + client + "' is already in the sorter");
    }
    String[] tokens = hierarchical ? client.split("/") : new String[] {client};
    Node<T> current = root;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < tokens.length - 1; i++) {
      if (path.length() > 0) {
        path.append('/');
      }
      path.append(tokens[i]);
      current = internalFor(current, path.toString(), tokens[i]);
    }
    Node<T> leaf;
    Node<T> existing = internals.get(client);
    if (existing != null) {
      leaf = new Node<>(client, VIRTUAL, false);
      current = existing;
    } else {
      leaf = new Node<>(client, tokens[tokens.length - 1], false);
    }
    leaf.data = data;
    leaf.weight = weightOf(client);
    leaf.parent = current;
    leaves.put(client, leaf);
    attach(current, leaf);
    invalidate();
  }

  private Node<T> internalFor(Node<T> parent, String path, String name) {
    Node<T> internal = internals.get(path);
    if (internal != null) {
      return internal;
    }
    internal = new Node<>(path, name, true);
    internal.weight = weightOf(path);
    internal.parent = parent;
    Node<T> leaf = leaves.get(path);
    if (leaf != null && leaf.parent == parent && !VIRTUAL.equals(leaf.name)) {
      // Client `path` gains a child: it becomes an internal node holding a virtual leaf for itself.
      detach(parent, leaf);
      internal.allocation = leaf.allocation.clone();
      internal.count = leaf.count;
      leaf.name = VIRTUAL;
      leaf.parent = internal;
      internal.children.add(leaf);
    }
    internal.share = share(internal);
    internals.put(path, internal);
    attach(parent, internal);
    return internal;
  }

  @Override
  public void remove(String client) {
    Node<T> leaf = leaves.remove(client);
    if (leaf == null) {
      return;
    }
    if (!Scalars.isZero(leaf.allocation)) {
      unallocated(client, leaf.allocation.clone());
    }
    Node<T> parent = leaf.parent;
    detach(parent, leaf);
    while (parent != root) {
      Node<T> grand = parent.parent;
      if (parent.children.isEmpty()) {
        detach(grand, parent);
        internals.remove(parent.path);
      } else if (parent.children.size() == 1 && VIRTUAL.equals(parent.children.get(0).name)) {
        Node<T> only = parent.children.get(0);
        detach(grand, parent);
        internals.remove(parent.path);
        only.name = parent.name;
        only.parent = grand;
        attach(grand, only);
      } else {
        break;
      }
      parent = grand;
    }
    invalidate();
  }

  @Override
  public boolean contains(String client) {
    return leaves.containsKey(client);
  }

  @Override
  public int count() {
    return leaves.size();
  }

  @Override
  public void activate(String client) {
    Node<T> leaf = leaf(client);
    if (!leaf.active) {
      leaf.active = true;
      invalidate();
    }
  }

  @Override
  public void deactivate(String client) {
    Node<T> leaf = leaves.get(client);
    if (leaf != null && leaf.active) {
      leaf.active = false;
      invalidate();
    }
  }

  @Override
  public void updateWeight(String path, double weight) {
    for (Node<T> node : java.util.Arrays.asList(internals.get(path), leaves.get(path))) {
      if (node != null) {
        changing(node);
        node.weight = weight;
        node.share = share(node);
        changed(node);
      }
    }
    invalidate();
  }

  @Override
  public void allocated(String client, long[] scalars) {
    update(leaf(client), scalars, 1);
  }

  @Override
  public void unallocated(String client, long[] scalars) {
    update(leaf(client), scalars, -1);
  }

  private void update(Node<T> leaf, long[] scalars, int sign) {
    for (Node<T> node = leaf; node != root; node = node.parent) {
      changing(node);
      node.allocation = Scalars.add(node.allocation, scalars, sign);
      if (sign > 0) {
        node.count++;
      }
      node.share = share(node);
      changed(node);
    }
    invalidate();
  }

  @Override
  public long[] allocation(String client) {
    Node<T> leaf = leaves.get(client);
    return leaf == null ? Scalars.EMPTY : leaf.allocation;
  }

  @Override
  public double share(String client) {
    Node<T> leaf = leaves.get(client);
    return leaf == null ? 0 : share(leaf);
  }

  final double share(Node<T> node) {
    return context.dominantShare(node.allocation) / node.weight;
  }

  private double weightOf(String path) {
    Double weight = weights.get(path);
    return weight == null ? 1.0 : weight;
  }

  private Node<T> leaf(String client) {
    Node<T> leaf = leaves.get(client);
    if (leaf == null) {
      throw new IllegalStateException("Client '" + client + "' is not in the sorter");
    }
    return leaf;
  }

  @Override
  public List<T> sort() {
    if (snapshot != null && cacheable()) {
      return snapshot;
    }
    ArrayList<T> result = new ArrayList<>(leaves.size());
    collect(root, result);
    snapshot = Collections.unmodifiableList(result);
    return snapshot;
  }

  private void collect(Node<T> node, List<T> into) {
    for (Node<T> child : ordered(node)) {
      if (child.internal) {
        collect(child, into);
      } else if (child.active) {
        into.add(child.data);
      }
    }
  }
}
