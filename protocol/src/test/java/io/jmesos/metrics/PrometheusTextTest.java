package io.jmesos.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void aMesosKeyBecomesMesosPrefixedWithEveryInvalidCharacterReplaced() {
    assertThat(PrometheusText.name("master/tasks_running")).isEqualTo("mesos_master_tasks_running");
    assertThat(PrometheusText.name("registrar/state_store_ms/p99.9")).isEqualTo("mesos_registrar_state_store_ms_p99_9");
    assertThat(PrometheusText.name("allocator/mesos/roles/web-team:a/shares/dominant"))
        .isEqualTo("mesos_allocator_mesos_roles_web_team_a_shares_dominant");
  }

  @Test
  void eachMetricHasHelpGivingTheMesosKeyATypeAndOneSample() {
    String text = PrometheusText.render(Map.of("master/elected", 1.0, "master/cpus_percent", 0.25));
    assertThat(text).startsWith("# HELP mesos_master_cpus_percent Mesos metric master/cpus_percent\n"
        + "# TYPE mesos_master_cpus_percent gauge\n"
        + "mesos_master_cpus_percent 0.25\n"
        + "# HELP mesos_master_elected Mesos metric master/elected\n"
        + "# TYPE mesos_master_elected gauge\n"
        + "mesos_master_elected 1\n");
  }

  @Test
  void keysThatMapToOneNameKeepTheFirstInSortedOrder() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("allocator/mesos/roles/a_b/shares/dominant", 2.0);
    metrics.put("allocator/mesos/roles/a-b/shares/dominant", 1.0);
    String text = PrometheusText.render(metrics);
    assertThat(text).containsOnlyOnce("# TYPE mesos_allocator_mesos_roles_a_b_shares_dominant gauge")
        .contains("mesos_allocator_mesos_roles_a_b_shares_dominant 1\n");
  }

  @Test
  void valuesAreWrittenAsPrometheusFloats() {
    assertThat(PrometheusText.value(3.0)).isEqualTo("3");
    assertThat(PrometheusText.value(-0.5)).isEqualTo("-0.5");
    assertThat(PrometheusText.value(1.5e20)).isEqualTo("1.5e20");
    assertThat(PrometheusText.value(Double.NaN)).isEqualTo("NaN");
    assertThat(PrometheusText.value(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(PrometheusText.value(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void jvmAndProcessMetricsFollowTheMesosOnes() {
    String text = PrometheusText.render(Map.of());
    assertThat(text).contains("# TYPE jvm_memory_bytes_used gauge\n", "jvm_memory_bytes_used{area=\"heap\"} ",
        "# TYPE jvm_gc_collection_seconds_total counter\n", "# TYPE jvm_threads_current gauge\n",
        "# TYPE process_start_time_seconds gauge\n", "# TYPE process_uptime_seconds gauge\n");
  }
}
