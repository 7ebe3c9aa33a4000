package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.actor.ManualClock;
import io.jmesos.allocator.SimpleAllocator;
import io.jmesos.flags.FlagsException;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.RecordingAllocator;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.transport.Limits;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The master's allocator flags: Mesos' names, formats, defaults and errors, and what reaches the allocator. */
@Timeout(60)
class AllocatorFlagsTest {

  @Test
  void defaultsAreMesos() {
    MasterFlags flags = MasterFlags.defaults();
    assertThat(flags.roleSorter()).isEqualTo("drf");
    assertThat(flags.frameworkSorter()).isEqualTo("drf");
    assertThat(flags.weights()).isEmpty();
    assertThat(flags.fairSharingExcludedResourceNames()).isEmpty();
    assertThat(flags.minAllocatableResources())
        .containsExactly(Map.of("cpus", 0.01), Map.of("mem", 32.0));
    assertThat(flags.asMap()).containsEntry("min_allocatable_resources", "cpus:0.01|mem:32")
        .containsEntry("role_sorter", "drf").containsEntry("framework_sorter", "drf")
        .doesNotContainKey("weights");
  }

  @Test
  void valuesParseInMesosSyntax() {
    MasterFlags flags = MasterFlags.parse(new String[] {"--weights=web=2,batch=0.5,,eng/dev=3",
        "--role_sorter=random", "--framework_sorter=random", "--fair_sharing_excluded_resource_names=gpus, fpgas",
        "--min_allocatable_resources=disk:1|cpus:1;mem:32; mem:32"}, Map.of());
    assertThat(flags.weights()).containsExactly(Map.entry("web", 2.0), Map.entry("batch", 0.5),
        Map.entry("eng/dev", 3.0));
    assertThat(flags.roleSorter()).isEqualTo("random");
    assertThat(flags.frameworkSorter()).isEqualTo("random");
    assertThat(flags.fairSharingExcludedResourceNames()).containsExactly("gpus", "fpgas");
    assertThat(flags.minAllocatableResources())
        .containsExactly(Map.of("disk", 1.0), Map.of("cpus", 1.0, "mem", 64.0));
    // The deprecated name of --role_sorter and the environment work too.
    assertThat(MasterFlags.parse(new String[] {"--user_sorter=random"}, Map.of()).roleSorter()).isEqualTo("random");
    assertThat(MasterFlags.parse(new String[0], Map.of("MESOS_WEIGHTS", "a=4")).weights())
        .containsExactly(Map.entry("a", 4.0));
  }

  @Test
  void badWeightsAreMesosErrors() {
    assertThatThrownBy(() -> parse("--weights=web"))
        .isInstanceOf(FlagsException.class)
        .hasMessage("Failed to validate flag 'weights': Invalid weight: 'web'. --weights should be of the form "
            + "'role=weight,role=weight'");
    assertThatThrownBy(() -> parse("--weights=a=1=2"))
        .hasMessageContaining("Invalid weight: 'a=1=2'. --weights should be of the form");
    assertThatThrownBy(() -> parse("--weights=web=0"))
        .hasMessage("Failed to validate flag 'weights': Invalid weight: 'web=0'. Weights must be positive");
    assertThatThrownBy(() -> parse("--weights=web=-1.5"))
        .hasMessageEndingWith("Invalid weight: 'web=-1.5'. Weights must be positive");
    // Like atof, text that is not a number weighs 0.
    assertThatThrownBy(() -> parse("--weights=web=heavy"))
        .hasMessageEndingWith("Invalid weight: 'web=heavy'. Weights must be positive");
    assertThatThrownBy(() -> parse("--weights=-hidden=1"))
        .hasMessageEndingWith("Invalid weight: '-hidden=1'. -hidden is not a valid role");
  }

  @Test
  void badSortersAndMinimumsAreClearErrors() {
    assertThatThrownBy(() -> parse("--role_sorter=fair"))
        .isInstanceOf(FlagsException.class)
        .hasMessage("Failed to validate flag 'role_sorter': Unknown sorter 'fair'; may be one of: [drf, random]");
    assertThatThrownBy(() -> parse("--framework_sorter=lottery"))
        .hasMessageContaining("Unknown sorter 'lottery'");
    assertThatThrownBy(() -> parse("--min_allocatable_resources=cpus"))
        .hasMessage("Failed to validate flag 'min_allocatable_resources': Error parsing "
            + "min_allocatable_resources 'cpus': Failed to parse 'cpus': missing or extra ':'");
    assertThatThrownBy(() -> parse("--min_allocatable_resources=cpus:1|mem:lots"))
        .hasMessageEndingWith("Failed to parse 'lots' to quantity: only scalar values are allowed");
    assertThatThrownBy(() -> parse("--min_allocatable_resources=mem:-32"))
        .hasMessageEndingWith("Failed to parse '-32' to quantity: negative values are not allowed");
    assertThatThrownBy(() -> parse("--offer_timeout=0secs"))
        .hasMessage("Failed to validate flag 'offer_timeout': Must be greater than zero");
  }

  @Test
  void theBuiltInAllocatorNeedsEqualSorters() {
    MasterFlags flags = MasterFlags.of(Map.of("allocator", "HierarchicalDRF", "role_sorter", "random"));
    assertThatThrownBy(() -> Master.builder().flags(flags).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Failed to create allocator 'HierarchicalDRF': Unsupported combination of 'role_sorter' and "
            + "'framework_sorter': must be equal (for now)");
  }

  @Test
  void theAllocatorReceivesTheFlagsAndTheWeights() throws Exception {
    MasterFlags flags = MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory",
            "weights", "web=2,batch=0.5",
        "role_sorter", "random", "framework_sorter", "random", "fair_sharing_excluded_resource_names", "gpus",
        "min_allocatable_resources", "cpus:1;mem:64|disk:10", "allocation_interval", "250ms"));
    RecordingAllocator[] recording = new RecordingAllocator[1];
    try (TestCluster cluster = new TestCluster(flags, Limits.DEFAULT,
        allocator -> recording[0] = new RecordingAllocator(allocator))) {
      cluster.settle();
      RecordingAllocator allocator = recording[0];
      assertThat(allocator.options.allocationInterval()).hasMillis(250);
      assertThat(allocator.options.roleSorter()).isEqualTo("random");
      assertThat(allocator.options.frameworkSorter()).isEqualTo("random");
      assertThat(allocator.options.fairnessExcludedResourceNames()).isEqualTo(Set.of("gpus"));
      assertThat(allocator.options.minAllocatableResources())
          .isEqualTo(List.of(Map.of("cpus", 1.0, "mem", 64.0), Map.of("disk", 10.0)));
      assertThat(allocator.weightUpdates).containsExactly(Map.of("web", 2.0, "batch", 0.5));
    }
  }

  @Test
  void withoutWeightsTheAllocatorGetsNoUpdate() throws Exception {
    ManualClock clock = new ManualClock();
    RecordingAllocator allocator = new RecordingAllocator(new SimpleAllocator(clock));
    try (Master master = Master.builder().flags(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0",
            "registry", "in_memory")))
        .clock(clock).allocator(allocator).build()) {
      master.start();
      master.settle();
      assertThat(allocator.options.roleSorter()).isEqualTo("drf");
      assertThat(allocator.options.minAllocatableResources())
          .isEqualTo(List.of(Map.of("cpus", 0.01), Map.of("mem", 32.0)));
      assertThat(allocator.weightUpdates).isEmpty();
    }
  }

  private static MasterFlags parse(String arg) {
    return MasterFlags.parse(new String[] {arg}, Map.of());
  }
}
