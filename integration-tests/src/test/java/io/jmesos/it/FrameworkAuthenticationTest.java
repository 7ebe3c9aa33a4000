package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.dist.LocalCluster;
import io.jmesos.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.Credential;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real {@link MesosSchedulerDriver} against a master with {@code --authenticate_http_frameworks}: with its
 * {@link Credential} it registers (and the master fills in the principal), without one, with a wrong secret or
 * naming another principal it is refused and aborts with the master's answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameworkAuthenticationTest {
  private static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "authn-");
    Path credentials = work.resolve("credentials");
    Files.writeString(credentials, "{\"credentials\": [{\"principal\": \"alice\", \"secret\": \"alice-secret\"}]}");
    Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
    cluster = LocalCluster.builder(work).agents(0)
        .masterFlag("credentials", credentials.toString())
        .masterFlag("authenticate_http_frameworks", "true")
        .masterFlag("http_framework_authenticators", "basic")
        .start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static FrameworkInfo framework(String principal) {
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder().setUser("").setName("authn-" + principal);
    if (principal != null) {
      info.setPrincipal(principal);
    }
    return info.build();
  }

  private static Credential credential(String secret) {
    return Credential.newBuilder().setPrincipal("alice").setSecret(secret).build();
  }

  private static JsonNode frameworks() throws Exception {
    try (HttpClient http = new HttpClient("authn-it")) {
      return new ObjectMapper().readTree(http.get(cluster.masterAddress(), "/frameworks")
          .get(10, TimeUnit.SECONDS).body()).get("frameworks");
    }
  }

  @Test
  void aDriverWithItsCredentialRegistersAsItsPrincipal() throws Exception {
    Outcome outcome = new Outcome();
    MesosSchedulerDriver driver = new MesosSchedulerDriver(outcome, framework(null), cluster.masterUrl(),
        credential("alice-secret"));
    try {
      assertThat(driver.start()).isEqualTo(Status.DRIVER_RUNNING);
      FrameworkID id = outcome.registered.get(30, TimeUnit.SECONDS);
      JsonNode registered = null;
      for (JsonNode f : frameworks()) {
        if (f.get("id").asText().equals(id.getValue())) {
          registered = f;
        }
      }
      assertThat(registered).isNotNull();
      assertThat(registered.get("principal").asText()).isEqualTo("alice");
    } finally {
      driver.stop();
    }
    assertThat(driver.join()).isEqualTo(Status.DRIVER_STOPPED);
  }

  @Test
  void aDriverWithoutCredentialIsRefused() throws Exception {
    Outcome outcome = new Outcome();
    assertThat(refusal(outcome, new MesosSchedulerDriver(outcome, framework(null), cluster.masterUrl())))
        .contains("401");
  }

  @Test
  void aDriverWithAWrongSecretIsRefused() throws Exception {
    Outcome outcome = new Outcome();
    assertThat(refusal(outcome, new MesosSchedulerDriver(outcome, framework("alice"), cluster.masterUrl(),
        credential("not-the-secret")))).contains("401");
  }

  @Test
  void aDriverNamingAnotherPrincipalIsRefused() throws Exception {
    Outcome outcome = new Outcome();
    assertThat(refusal(outcome, new MesosSchedulerDriver(outcome, framework("bob"), cluster.masterUrl(),
        credential("alice-secret")))).contains("400", "Authenticated principal 'alice' does not match principal "
            + "'bob' set in `FrameworkInfo`");
  }

  /** Runs the driver until the master refuses it; returns the error its scheduler heard. */
  private static String refusal(Outcome outcome, MesosSchedulerDriver driver) throws Exception {
    Status status = CompletableFuture.supplyAsync(driver::run).get(30, TimeUnit.SECONDS);
    assertThat(status).isEqualTo(Status.DRIVER_ABORTED);
    assertThat(outcome.registered).isNotDone();
    return outcome.error.get(10, TimeUnit.SECONDS);
  }

  /** Records registration and errors. Callbacks run on the driver's thread. */
  private static final class Outcome implements Scheduler {
    final CompletableFuture<FrameworkID> registered = new CompletableFuture<>();
    final CompletableFuture<String> error = new CompletableFuture<>();

    @Override
    public void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo) {
      registered.complete(frameworkId);
    }

    @Override
    public void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {}

    @Override
    public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {}

    @Override
    public void offerRescinded(SchedulerDriver driver, OfferID offerId) {}

    @Override
    public void statusUpdate(SchedulerDriver driver, TaskStatus status) {}

    @Override
    public void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, byte[] data) {}

    @Override
    public void disconnected(SchedulerDriver driver) {}

    @Override
    public void slaveLost(SchedulerDriver driver, SlaveID slaveId) {}

    @Override
    public void executorLost(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, int status) {}

    @Override
    public void error(SchedulerDriver driver, String message) {
      error.complete(message);
    }
  }
}
