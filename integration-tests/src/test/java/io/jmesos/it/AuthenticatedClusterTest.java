package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.dist.LocalCluster;
import io.jmesos.examples.ExampleFramework;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.Credential;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every authentication of a cluster on at once, with the real components: the agent authenticates to the master
 * (SASL CRAM-MD5, {@code --authenticate_agents}, agent {@code --credential}), the real {@link
 * MesosSchedulerDriver} with its {@link Credential} against {@code --authenticate_frameworks}, and the example
 * framework's own executor (the executor driver, a child process) presenting the token the agent gave it to an
 * executor API with {@code --authenticate_http_executors}. Its tasks finish: each step was accepted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthenticatedClusterTest {

  private static Path secretFile(Path dir, String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Test
  void aFrameworkRunsItsExecutorsTasksOnAnAuthenticatedAgent() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "authn-all-");
    Path credentials = secretFile(work, "credentials", "{\"credentials\": ["
        + "{\"principal\": \"agent\", \"secret\": \"agent-secret\"},"
        + "{\"principal\": \"alice\", \"secret\": \"alice-secret\"}]}");
    Path agentCredential = secretFile(work, "credential", "{\"principal\": \"agent\", \"secret\": \"agent-secret\"}");
    Path jwtKey = secretFile(work, "jwt-key", "the agent's key for executor tokens");
    try (LocalCluster cluster = LocalCluster.builder(work).agents(1).resources("cpus:1;mem:512")
        .masterFlag("credentials", credentials.toString())
        .masterFlag("authenticate_agents", "true")
        .masterFlag("authenticate_frameworks", "true")
        .agentFlag("credential", "file://" + agentCredential)
        .agentFlag("authenticate_http_executors", "true")
        .agentFlag("jwt_secret_key", jwtKey.toString())
        .start()) {
      int tasks = 2;
      ExampleFramework scheduler = new ExampleFramework(ExampleFramework.exampleExecutor(), tasks);
      FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("").setName("authn-all").setPrincipal("alice")
          .build();
      Credential credential = Credential.newBuilder().setPrincipal("alice").setSecret("alice-secret").build();
      MesosSchedulerDriver driver = new MesosSchedulerDriver(scheduler, framework, cluster.masterUrl(), credential);
      Status status = CompletableFuture.supplyAsync(driver::run).get(100, TimeUnit.SECONDS);

      assertThat(status).isEqualTo(Status.DRIVER_STOPPED);
      assertThat(scheduler.failed()).isFalse();
      assertThat(scheduler.finishedTasks()).isEqualTo(tasks);
    }
  }
}
