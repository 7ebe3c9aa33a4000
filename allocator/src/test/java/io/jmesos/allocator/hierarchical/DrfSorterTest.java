package io.jmesos.allocator.hierarchical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DrfSorterTest {
  private final ScalarNames names = new ScalarNames();
  private final SorterContext context = new SorterContext(names, Set.of());

  private long[] cpus(double value) {
    return Scalars.of(Map.of("cpus", value), names);
  }

  private static List<String> walk(Sorter<String> sorter) {
    List<String> order = new ArrayList<>();
    sorter.ordered().forEach(order::add);
    return order;
  }

  @Test
  void allocationsWhileTheTotalChangesEndInDrfOrder() {
    DrfSorter<String> sorter = new DrfSorter<>(context, Map.of(), true);
    for (String client : List.of("a", "b", "c", "d/x", "d/y")) {
      sorter.add(client, client);
      sorter.activate(client);
    }
    context.add(cpus(10), 1);
    sorter.allocated("a", cpus(1));
    assertThat(walk(sorter)).containsExactly("b", "c", "d/x", "d/y", "a");

    // Agents arrive one by one, each with resources already used by someone: no walk in between.
    context.add(cpus(10), 1);
    sorter.allocated("b", cpus(4));
    context.add(cpus(10), 1);
    sorter.allocated("d/x", cpus(2));
    sorter.allocated("c", cpus(1.5));
    sorter.allocated("c", cpus(1.5));
    sorter.unallocated("b", cpus(1));
    sorter.allocated("d/y", cpus(0.5));

    // Shares of 30 cpus: a 1, b 3, c 3, d 2.5 (x 2, y 0.5); b ties with c on share, goes first on fewer
    // allocations (1 against 2).
    assertThat(walk(sorter)).containsExactly("a", "d/y", "d/x", "b", "c");
    assertThat(sorter.share("b")).isEqualTo(0.1);
    sorter.allocated("a", cpus(5));
    assertThat(walk(sorter)).containsExactly("d/y", "d/x", "b", "c", "a");
  }
}
