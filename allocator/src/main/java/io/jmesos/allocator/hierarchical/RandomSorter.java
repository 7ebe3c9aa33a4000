package io.jmesos.allocator.hierarchical;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mesos' {@code RandomSorter}: every {@link #sort()} shuffles each level of the tree at random, a child's chance
 * to come first being proportional to its weight (a weighted shuffle: each child draws {@code u^(1/w)} and
 * children go in descending order of their draws). Allocations are tracked for shares and metrics but do not
 * influence the order. Owned by the allocator's actor.
 */
final class RandomSorter<T> extends TreeSorter<T> {
  private final Random random;
  /** False while every node weighs 1 (the usual case), so a walk need not check each level's weights. */
  private boolean weighted;

  RandomSorter(SorterContext context, Map<String, Double> weights, boolean hierarchical, Random random) {
    super(context, weights, hierarchical);
    this.random = random;
  }

  @Override
  void attach(Node<T> parent, Node<T> child) {
    weighted |= child.weight != 1.0;
    parent.children.add(child);
  }

  @Override
  public void updateWeight(String path, double weight) {
    weighted |= weight != 1.0;
    super.updateWeight(path, weight);
  }

  @Override
  void detach(Node<T> parent, Node<T> child) {
    parent.children.remove(child);
  }

  @Override
  void changing(Node<T> node) {}

  @Override
  void changed(Node<T> node) {}

  @Override
  boolean cacheable() {
    return false;
  }

  /**
   * A walk that shuffles each level lazily: a level of equal weights draws its next child only when the caller
   * asks for one (Fisher-Yates, one swap per step), so a run that stops after a few clients of a large level
   * does not pay for shuffling all of it. The order has the same distribution as {@link #sort()}'s.
   */
  @Override
  public Iterable<T> ordered() {
    return () -> new java.util.Iterator<T>() {
      private final java.util.ArrayDeque<Level<T>> stack = new java.util.ArrayDeque<>(List.of(level(root)));
      private T next = advance();

      private T advance() {
        while (!stack.isEmpty()) {
          Level<T> top = stack.peek();
          Node<T> child = top.next(random);
          if (child == null) {
            stack.pop();
          } else if (child.internal) {
            stack.push(level(child));
          } else if (child.active) {
            return child.data;
          }
        }
        return null;
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

  private Level<T> level(Node<T> node) {
    return uniform(node) ? new Level<>(new ArrayList<>(node.children), true) : new Level<>(ordered(node), false);
  }

  /** One level of a walk: its children, shuffled up to {@code position} when lazy. */
  private static final class Level<T> {
    final List<Node<T>> children;
    final boolean lazy;
    int position;

    Level(List<Node<T>> children, boolean lazy) {
      this.children = children;
      this.lazy = lazy;
    }

    Node<T> next(Random random) {
      int n = children.size();
      if (position >= n) {
        return null;
      }
      if (lazy && n - position > 1) {
        java.util.Collections.swap(children, position, position + random.nextInt(n - position));
      }
      return children.get(position++);
    }
  }

  private boolean uniform(Node<?> node) {
    if (!weighted) {
      return true;
    }
    for (Node<?> child : node.children) {
      if (child.weight != 1.0) {
        return false;
      }
    }
    return true;
  }

  @Override
  List<Node<T>> ordered(Node<T> node) {
    int n = node.children.size();
    if (n <= 1) {
      return node.children;
    }
    if (uniform(node)) {
      List<Node<T>> shuffled = new ArrayList<>(node.children);
      java.util.Collections.shuffle(shuffled, random);
      return shuffled;
    }
    double[] keys = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      double weight = Math.max(node.children.get(i).weight, 1e-9);
      keys[i] = Math.pow(random.nextDouble(), 1.0 / weight);
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> keys[i]).reversed());
    List<Node<T>> shuffled = new ArrayList<>(n);
    for (Integer i : order) {
      shuffled.add(node.children.get(i));
    }
    return shuffled;
  }
}
