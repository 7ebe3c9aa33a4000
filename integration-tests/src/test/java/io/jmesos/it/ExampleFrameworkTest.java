package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.dist.LocalCluster;
import io.jmesos.examples.ExampleFramework;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example framework, written only against {@code org.apache.mesos}, runs several tasks on its own
 * executor across a master and two agents in this JVM (executors are real child processes).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExampleFrameworkTest {

  @Test
  void exampleFrameworkRunsAllItsTasksToFinished() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "example-");
    try (LocalCluster cluster = LocalCluster.start("127.0.0.1", 0, 2, work, "cpus:1;mem:512", Map.of())) {
      int tasks = 6;
      ExampleFramework scheduler = new ExampleFramework(ExampleFramework.exampleExecutor(), tasks);
      FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("").setName("example").build();
      MesosSchedulerDriver driver = new MesosSchedulerDriver(scheduler, framework, cluster.masterUrl());
      Status status = CompletableFuture.supplyAsync(driver::run).get(100, TimeUnit.SECONDS);

      assertThat(status).isEqualTo(Status.DRIVER_STOPPED);
      assertThat(scheduler.failed()).isFalse();
      assertThat(scheduler.finishedTasks()).isEqualTo(tasks);
      assertThat(scheduler.messages().keySet())
          .contains("finished task 0", "finished task " + (tasks - 1))
          .hasSize(tasks);
    }
  }
}
