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

  RandomSorter(SorterContext context, Map<String, Double> weights, boolean hierarchical, Random random) {
    super(context, weights, hierarchical);
    this.random = random;
  }

  @Override
  void attach(Node<T> parent, Node<T> child) {
    parent.children.add(child);
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

  @Override
  List<Node<T>> ordered(Node<T> node) {
    int n = node.children.size();
    if (n <= 1) {
      return node.children;
    }
    boolean uniform = true;
    for (int i = 0; i < n && uniform; i++) {
      uniform = node.children.get(i).weight == 1.0;
    }
    if (uniform) {
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
