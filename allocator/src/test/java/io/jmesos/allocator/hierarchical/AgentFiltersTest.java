package io.jmesos.allocator.hierarchical;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.resources.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AgentFiltersTest {
  private final ScalarNames names = new ScalarNames();
  private final Candidate offer = Candidate.of(Resources.parse("cpus:1;mem:64"), names, true);
  private final Refusal refusal = new Refusal(Resources.parse("cpus:2;mem:128"), names);

  @Test
  void filtersOfManyClientsStayApartThroughGrowthAndExpiry() {
    AgentFilters filters = new AgentFilters();
    for (int client = 0; client < 500; client += 3) {
      assertThat(filters.add(client, refusal, 100 + client, 0)).isZero();
    }

    for (int client = 0; client < 500; client++) {
      boolean installed = client % 3 == 0;
      assertThat(filters.filtered(client, offer, 50)).as("client %d", client).isEqualTo(installed);
      assertThat(filters.count(client)).isEqualTo(installed ? 1 : 0);
    }
    // Deadlines differ by client: at 300 the filters of clients below 200 are due.
    for (int client = 0; client < 500; client += 3) {
      assertThat(filters.expire(client, 300)).isEqualTo(client <= 200 ? 1 : 0);
      assertThat(filters.filtered(client, offer, 250)).isEqualTo(client > 200 && 100 + client > 250);
    }
    assertThat(filters.clear(498)).isEqualTo(1);
    assertThat(filters.filtered(498, offer, 0)).isFalse();
  }

  @Test
  void tableKeepsOnlyLiveFiltersWhenClientsComeAndGo() {
    AgentFilters filters = new AgentFilters();
    for (int client = 0; client < 10_000; client++) {
      filters.add(client, refusal, 10, 0);
      assertThat(filters.clear(client)).isEqualTo(1);
    }
    filters.add(7, refusal, 10, 0);
    filters.add(9_999, refusal, 10, 0);

    assertThat(filters.filtered(7, offer, 5)).isTrue();
    assertThat(filters.filtered(9_999, offer, 5)).isTrue();
    assertThat(filters.filtered(8, offer, 5)).isFalse();
  }

  @Test
  void secondFilterOfTheSameClientGoesToTheOverflow() {
    AgentFilters filters = new AgentFilters();
    Refusal small = new Refusal(Resources.parse("cpus:0.5"), names);
    filters.add(4, small, 100, 0);
    assertThat(filters.filtered(4, offer, 10)).isFalse();

    assertThat(filters.add(4, refusal, 50, 10)).isZero();

    assertThat(filters.count(4)).isEqualTo(2);
    assertThat(filters.filtered(4, offer, 20)).isTrue();
    assertThat(filters.expire(4, 60)).isEqualTo(1);
    assertThat(filters.filtered(4, offer, 60)).isFalse();
    assertThat(filters.count(4)).isEqualTo(1);
  }
}
