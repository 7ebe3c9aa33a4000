package io.jmesos.dist.bench;

import io.jmesos.dist.LocalCluster;
import io.jmesos.resources.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.SchedulerDriver;

/**
 * Launch latency of a command task on a local cluster (one master, one agent, real processes): for each
 * task, the wall time from the framework's ACCEPT (launchTasks) to TASK_RUNNING and to TASK_FINISHED as the
 * framework sees them. Tasks run one after another so that each measures an idle cluster.
 *
 * <p>Usage: {@code bin/mesos-bench launch [tasks (default 20)] [warm-up tasks (default 3)]
 * [--command_executor=jvm|embedded]}; the option is passed to the agent (default: the agent's default,
 * {@code embedded}); {@code jvm} measures the start of a command executor JVM per task.
 */
public final class LaunchLatency extends BenchScheduler {
  private final int total;
  private final Resources taskResources = Resources.parse("cpus:0.1;mem:32");
  private final long[] acceptNanos;
  private final long[] runningNanos;
  private final long[] finishedNanos;
  private final CountDownLatch done = new CountDownLatch(1);
  private int launched;
  private boolean inFlight;
  private volatile String failure;

  LaunchLatency(int total) {
    this.total = total;
    this.acceptNanos = new long[total];
    this.runningNanos = new long[total];
    this.finishedNanos = new long[total];
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (Offer offer : offers) {
      if (inFlight || launched == total
          || !Resources.of(offer.getResourcesList()).stripAllocationInfo().contains(taskResources)) {
        driver.declineOffer(offer.getId(), Filters.newBuilder().setRefuseSeconds(0.001).build());
        continue;
      }
      int n = launched++;
      inFlight = true;
      TaskInfo task = TaskInfo.newBuilder()
          .setName("bench-" + n)
          .setTaskId(TaskID.newBuilder().setValue(Integer.toString(n)))
          .setSlaveId(offer.getSlaveId())
          .addAllResources(taskResources.toList())
          .setCommand(CommandInfo.newBuilder().setValue("true"))
          .build();
      acceptNanos[n] = System.nanoTime();
      driver.launchTasks(List.of(offer.getId()), List.of(task), Filters.newBuilder().setRefuseSeconds(0.001).build());
    }
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    long now = System.nanoTime();
    int n = Integer.parseInt(status.getTaskId().getValue());
    if (status.getState() == TaskState.TASK_RUNNING) {
      runningNanos[n] = now;
    } else if (status.getState() == TaskState.TASK_FINISHED) {
      finishedNanos[n] = now;
      inFlight = false;
      if (n == total - 1) {
        done.countDown();
      } else {
        driver.reviveOffers();
      }
    } else if (status.getState() != TaskState.TASK_STARTING) {
      failure = "task " + n + " reached " + status.getState() + ": " + status.getMessage();
      done.countDown();
    }
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    failure = message;
    done.countDown();
  }

  public static void main(String[] args) throws Exception {
    List<Integer> numbers = new ArrayList<>();
    Map<String, String> env = new HashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--command_executor=")) {
        env.put("MESOS_COMMAND_EXECUTOR", arg.substring("--command_executor=".length()));
      } else {
        numbers.add(Integer.parseInt(arg));
      }
    }
    int tasks = numbers.size() > 0 ? numbers.get(0) : 20;
    int warmup = numbers.size() > 1 ? numbers.get(1) : 3;
    Path work = Files.createTempDirectory("jmesos-bench-launch");
    try (LocalCluster cluster = LocalCluster.start("127.0.0.1", 0, 1, work, "cpus:2;mem:2048", env)) {
      LaunchLatency bench = new LaunchLatency(tasks + warmup);
      FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("").setName("launch-latency-bench").build();
      MesosSchedulerDriver driver = new MesosSchedulerDriver(bench, framework, cluster.masterUrl());
      driver.start();
      if (!bench.done.await(10, TimeUnit.MINUTES) || bench.failure != null) {
        driver.stop();
        throw new IllegalStateException("Benchmark failed: " + bench.failure);
      }
      driver.stop();
      driver.join();
      bench.report(warmup);
    }
  }

  private void report(int warmup) {
    List<Double> toRunning = new ArrayList<>();
    List<Double> toFinished = new ArrayList<>();
    for (int i = warmup; i < total; i++) {
      toRunning.add((runningNanos[i] - acceptNanos[i]) / 1e6);
      toFinished.add((finishedNanos[i] - acceptNanos[i]) / 1e6);
    }
    System.out.printf(Locale.ROOT, "command task 'true', %d measured after %d warm-up, one at a time%n",
        total - warmup, warmup);
    System.out.printf(Locale.ROOT, "%-26s %8s %8s %8s %8s%n", "", "min", "median", "p90", "max");
    line("ACCEPT -> TASK_RUNNING ms", toRunning);
    line("ACCEPT -> TASK_FINISHED ms", toFinished);
  }

  private static void line(String name, List<Double> values) {
    Collections.sort(values);
    System.out.printf(Locale.ROOT, "%-26s %8.1f %8.1f %8.1f %8.1f%n", name, values.get(0),
        values.get(values.size() / 2), values.get((int) Math.min(values.size() - 1, Math.ceil(values.size() * 0.9) - 1)),
        values.get(values.size() - 1));
  }
}
