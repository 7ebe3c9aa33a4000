package io.jmesos.allocator.hierarchical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RandomSorterTest {
  private static RandomSorter<String> sorter(long seed, String... clients) {
    RandomSorter<String> sorter = new RandomSorter<>(new SorterContext(new ScalarNames(), Set.of()), Map.of(),
        true, new Random(seed));
    for (String client : clients) {
      sorter.add(client, client);
      sorter.activate(client);
    }
    return sorter;
  }

  private static List<String> walk(Sorter<String> sorter) {
    List<String> order = new ArrayList<>();
    sorter.ordered().forEach(order::add);
    return order;
  }

  @Test
  void walkVisitsEveryActiveClientOnceAndKeepsSubtreesTogether() {
    RandomSorter<String> sorter = sorter(7, "a", "b", "c/d", "c/e", "c/f/g", "h");
    sorter.deactivate("b");

    for (int i = 0; i < 50; i++) {
      List<String> order = walk(sorter);
      assertThat(order).containsExactlyInAnyOrder("a", "c/d", "c/e", "c/f/g", "h");
      int first = order.indexOf("c/d");
      int last = first;
      for (String c : List.of("c/e", "c/f/g")) {
        first = Math.min(first, order.indexOf(c));
        last = Math.max(last, order.indexOf(c));
      }
      assertThat(last - first).as("subtree c in %s", order).isEqualTo(2);
    }
  }

  @Test
  void everyClientComesFirstAboutEquallyOften() {
    RandomSorter<String> sorter = sorter(11, "a", "b", "c", "d");
    Map<String, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      firsts.merge(sorter.ordered().iterator().next(), 1, Integer::sum);
    }

    assertThat(firsts).hasSize(4);
    assertThat(firsts.values()).allSatisfy(count -> assertThat(count).isBetween(850, 1150));
  }
}
