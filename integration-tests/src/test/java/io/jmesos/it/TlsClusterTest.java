package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.dist.LocalCluster;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.scheduler.DriverOptions;
import io.jmesos.tls.TestCertificates;
import io.jmesos.tls.TlsContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole cluster over TLS, as {@code LIBPROCESS_SSL_*} set up with server verification on: the agent registers
 * with the master over the internal protocol on TLS, a scheduler driver subscribes over HTTPS and runs a command
 * task whose command executor (a child JVM given the agent's TLS variables) talks to its agent over TLS. A plain
 * HTTP client is refused. Certificates are made at run time.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void schedulerDriverRunsATaskOverTls() throws Exception {
    // Absolute: the executor reads the same files from its sandbox.
    Path work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "tls-").toAbsolutePath();
    TestCertificates ca = TestCertificates.authority(work, "cluster-ca");
    TestCertificates.Issued daemons = ca.issue("daemons");
    TestCertificates.Issued framework = ca.issue("framework");
    String[] verify = {"VERIFY_SERVER_CERT", "true", "HOSTNAME_VALIDATION_SCHEME", "openssl", "VERIFY_IPADD", "true"};
    try (LocalCluster cluster = LocalCluster.builder(work).ip("127.0.0.1").agents(1).resources("cpus:1;mem:512")
        .agentFlag("command_executor", "jvm").env(daemons.environment(verify)).start();
        HttpClient https = new HttpClient("tls-it", framework.context(verify));
        HttpClient plain = new HttpClient("plain-it")) {
      // The agent registers with the master over the internal protocol on TLS.
      SlaveID agent = await().atMost(Duration.ofSeconds(60))
          .until(() -> cluster.agents().get(0).slaveId().get(10, TimeUnit.SECONDS), id -> id != null);
      JsonNode state = JSON.readTree(https.get(cluster.masterAddress(), "/state").get(20, TimeUnit.SECONDS)
          .bodyText());
      assertThat(state.get("slaves")).hasSize(1);
      assertThat(state.get("slaves").get(0).get("id").asText()).isEqualTo(agent.getValue());
      assertThatThrownBy(() -> plain.get(cluster.masterAddress(), "/state").get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);

      QueueScheduler scheduler = new QueueScheduler("tls");
      MesosSchedulerDriver driver = new MesosSchedulerDriver(scheduler,
          FrameworkInfo.newBuilder().setUser("").setName("tls").build(), List.of(), cluster.masterUrl(), true, null,
          DriverOptions.defaults().withTls(framework.context(verify)));
      driver.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.frameworkId().isPresent());
        // The command executor JVM has only its environment (the agent's TLS variables) to go by.
        scheduler.submit(driver, "over-tls", "test \"$LIBPROCESS_SSL_ENABLED\" = true", agent);
        await().atMost(Duration.ofSeconds(90)).until(() -> scheduler.raw("over-tls").stream()
            .anyMatch(s -> s.getState() == TaskState.TASK_FINISHED));
        assertThat(scheduler.raw("over-tls")).extracting(s -> s.getState())
            .contains(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
        assertThat(scheduler.errors()).isEmpty();
      } finally {
        driver.stop();
      }
      HttpResponse tasks = https.get(cluster.masterAddress(), "/tasks").get(20, TimeUnit.SECONDS);
      assertThat(tasks.status()).isEqualTo(200);
      assertThat(tasks.bodyText()).contains("TASK_FINISHED");
    }
  }

  @Test
  void daemonsRefuseToStartWithABadTlsSetup() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "tls-bad-");
    assertThatThrownBy(() -> LocalCluster.builder(work).ip("127.0.0.1").agents(0)
        .env(Map.of("LIBPROCESS_SSL_ENABLED", "true")).start())
        .hasMessage("SSL requires key! NOTE: Set path with LIBPROCESS_SSL_KEY_FILE");
    assertThat(TlsContext.disabled().scheme()).isEqualTo("http");
  }
}
