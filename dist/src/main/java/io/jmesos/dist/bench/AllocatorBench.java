package io.jmesos.dist.bench;

import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.allocator.Quota;
import io.jmesos.dist.bench.AllocatorBenchCluster.Offer;
import io.jmesos.resources.Resources;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Value;

/**
 * Ports of Mesos' allocator benchmarks, driving the HierarchicalDRF allocator in process:
 *
 * <ul>
 *   <li>{@code decline AGENTS FRAMEWORKS [ROUNDS]} / {@code grid [ROUNDS]}: {@code
 *       HierarchicalAllocator_BENCHMARK_Test.DeclineOffers}. Agents {@code cpus:24;mem:4096;disk:4096;
 *       ports:[31000-32000]}, each with {@code cpus:16;mem:2014;disk:1024} and 16 ports already used by one
 *       framework (round robin); every round declines every offer with a filter that never expires
 *       ({@code refuse_seconds} INT_MAX, capped at a year) and times one allocation run. Mesos runs
 *       {@code 2 x FRAMEWORKS} rounds; ROUNDS caps that.</li>
 *   <li>{@code quota [SMALL_ROLES LARGE_ROLES]}: {@code LargeAndSmallQuota}: agents {@code cpus:2;mem:2048;
 *       disk:2048}, SMALL/5 + LARGE*5 of them, small roles with quota {@code cpus:1;mem:1024;disk:1024}, large
 *       ones {@code cpus:4;mem:4096;disk:4096}, one framework per role; times the run that satisfies all quota
 *       and the following empty one.</li>
 * </ul>
 *
 * Prints min/median/max run time (wall and the allocator thread's CPU), heap used and the load average. Not a
 * test: see docs/benchmarks.md.
 */
public final class AllocatorBench {
  private static final int[] GRID_AGENTS = {1000, 5000, 10000, 20000, 50000};
  private static final int[] GRID_FRAMEWORKS = {100, 1000, 3000};

  private AllocatorBench() {}

  public static void main(String[] args) {
    String what = args.length > 0 ? args[0] : "";
    switch (what) {
      case "decline" -> decline(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
          args.length > 3 ? Integer.parseInt(args[3]) : Integer.MAX_VALUE);
      case "grid" -> {
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        for (int agents : GRID_AGENTS) {
          for (int frameworks : GRID_FRAMEWORKS) {
            decline(agents, frameworks, rounds);
          }
        }
      }
      case "quota" -> quota(args.length > 1 ? Integer.parseInt(args[1]) : 2500,
          args.length > 2 ? Integer.parseInt(args[2]) : 500);
      default -> {
        System.err.println("Usage: AllocatorBench decline AGENTS FRAMEWORKS [ROUNDS] | grid [ROUNDS]"
            + " | quota [SMALL_ROLES LARGE_ROLES]");
        System.exit(2);
      }
    }
  }

  @SuppressWarnings("deprecation") // DeclineOffers' frameworks use the single role, as in Mesos.
  private static FrameworkInfo frameworkInfo(String name, String role) {
    return FrameworkInfo.newBuilder().setUser("user").setName(name).setRole(role).build();
  }

  private static void decline(int agentCount, int frameworkCount, int maxRounds) {
    int rounds = Math.min(2 * frameworkCount, maxRounds);
    try (AllocatorBenchCluster cluster = new AllocatorBenchCluster(AllocatorOptions.DRF)) {
      long setup = System.nanoTime();
      List<FrameworkID> frameworks = new ArrayList<>();
      for (int i = 0; i < frameworkCount; i++) {
        FrameworkID id = FrameworkID.newBuilder().setValue("framework" + i).build();
        frameworks.add(id);
        cluster.allocator.addFramework(id, frameworkInfo("framework" + i, "*"), Map.of(), true);
      }
      Resources agentResources = Resources.parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]");
      Resources used = Resources.parse("cpus:16;mem:2014;disk:1024").plus(fragmentedPorts(31000, 32000, 16))
          .allocatedTo("*");
      for (int i = 0; i < agentCount; i++) {
        SlaveID id = SlaveID.newBuilder().setValue("agent" + i).build();
        SlaveInfo info = SlaveInfo.newBuilder().setHostname("agent" + i).setId(id)
            .addAllResources(agentResources.toList()).build();
        cluster.allocator.addSlave(id, info, agentResources, Map.of(frameworks.get(i % frameworkCount), used));
      }
      List<Offer> offers = cluster.takeOffers();
      System.out.printf(Locale.ROOT, "DeclineOffers %d agents x %d frameworks: setup %.1f s, %d rounds%n",
          agentCount, frameworkCount, (System.nanoTime() - setup) / 1e9, rounds);
      Filters forever = Filters.newBuilder().setRefuseSeconds(Integer.MAX_VALUE).build();
      double[] times = new double[rounds];
      double[] cpu = new double[rounds];
      long declined = 0;
      long start = System.nanoTime();
      for (int round = 0; round < rounds; round++) {
        for (Offer offer : offers) {
          cluster.allocator.recoverResources(offer.framework(), offer.agent(), offer.resources(), forever);
        }
        declined += offers.size();
        cluster.allocator.settle();
        times[round] = cluster.cycle();
        cpu[round] = cluster.lastCpuMs();
        offers = cluster.takeOffers();
        if (round < 3 || round == rounds - 1 || round % Math.max(1, rounds / 5) == 0) {
          System.out.printf(Locale.ROOT, "  round %d allocation run took %.1f ms to make %d offers after"
              + " filtering %d offers (%.1f ms CPU)%n", round, times[round], offers.size(), declined, cpu[round]);
        }
      }
      report("DeclineOffers", agentCount + " x " + frameworkCount, times, cpu,
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** {@code count} single ports spread over [begin, end], like Mesos' {@code fragment()}. */
  private static Resources fragmentedPorts(int begin, int end, int count) {
    Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
    int step = (end - begin) / count;
    for (int i = 0; i < count; i++) {
      long port = begin + (long) i * step;
      ranges.addRange(Value.Range.newBuilder().setBegin(port).setEnd(port));
    }
    return Resources.of(org.apache.mesos.Protos.Resource.newBuilder().setName("ports")
        .setType(Value.Type.RANGES).setRanges(ranges).build());
  }

  private static void quota(int smallRoles, int largeRoles) {
    for (String sorter : List.of(AllocatorOptions.DRF, AllocatorOptions.RANDOM)) {
      try (AllocatorBenchCluster cluster = new AllocatorBenchCluster(sorter)) {
        int agentCount = smallRoles / 5 + largeRoles * 5;
        Resources agentResources = Resources.parse("cpus:2;mem:2048;disk:2048");
        for (int i = 0; i < agentCount; i++) {
          SlaveID id = SlaveID.newBuilder().setValue("agent-" + i).build();
          cluster.allocator.addSlave(id, SlaveInfo.newBuilder().setHostname("agent-" + i).setId(id).build(),
              agentResources, Map.of());
        }
        cluster.allocator.settle();
        cluster.allocator.pause();
        Quota small = new Quota(Map.of("cpus", 1.0, "mem", 1024.0, "disk", 1024.0), Map.of());
        Quota large = new Quota(Map.of("cpus", 4.0, "mem", 4096.0, "disk", 4096.0), Map.of());
        for (int i = 0; i < smallRoles; i++) {
          cluster.allocator.updateQuota("smallQuotaRole" + i, small);
        }
        for (int i = 0; i < largeRoles; i++) {
          cluster.allocator.updateQuota("largeQuotaRole" + i, large);
        }
        // As Mesos: no event-driven runs while frameworks are added; the measured run is the next batch.
        cluster.allocator.pause();
        for (int i = 0; i < smallRoles + largeRoles; i++) {
          String role = i < smallRoles ? "smallQuotaRole" + i : "largeQuotaRole" + (i - smallRoles);
          FrameworkID id = FrameworkID.newBuilder().setValue("framework_" + i).build();
          cluster.allocator.addFramework(id, frameworkInfo("framework_" + i, role), Map.of(), true);
        }
        cluster.allocator.resume();
        cluster.allocator.settle();
        System.out.printf(Locale.ROOT, "LargeAndSmallQuota (%s sorter): %d agents, %d roles, %d frameworks%n",
            sorter, agentCount, smallRoles + largeRoles, smallRoles + largeRoles);
        double[] times = new double[2];
        double[] cpu = new double[2];
        times[0] = cluster.cycle();
        cpu[0] = cluster.lastCpuMs();
        int made = cluster.takeOffers().size();
        times[1] = cluster.cycle();
        cpu[1] = cluster.lastCpuMs();
        int after = cluster.takeOffers().size();
        System.out.printf(Locale.ROOT, "  made %d allocations in %.1f ms, then %d in %.1f ms%n", made, times[0],
            after, times[1]);
        report("LargeAndSmallQuota/" + sorter, agentCount + " agents", times, cpu, 0);
      }
    }
  }

  /**
   * Prints min/median/max of the runs' wall time (the allocator's {@code allocation_run_ms}) and of the allocator
   * thread's CPU time in them, which a busy machine does not stretch.
   */
  private static void report(String name, String point, double[] times, double[] cpu, double totalSeconds) {
    double[] sorted = times.clone();
    Arrays.sort(sorted);
    double[] sortedCpu = cpu.clone();
    Arrays.sort(sortedCpu);
    System.out.printf(Locale.ROOT, "RESULT %s %s: runs %d, min %.1f ms, median %.1f ms, max %.1f ms;"
        + " CPU min %.1f ms, median %.1f ms, max %.1f ms; heap used %d MiB%s; load %.2f%n", name, point,
        sorted.length, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1], sortedCpu[0],
        sortedCpu[sortedCpu.length / 2], sortedCpu[sortedCpu.length - 1], AllocatorBenchCluster.heapUsedMib(),
        totalSeconds > 0 ? String.format(Locale.ROOT, ", total %.1f s", totalSeconds) : "",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
