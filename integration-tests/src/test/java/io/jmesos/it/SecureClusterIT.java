package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.scheduler.DriverOptions;
import io.jmesos.tls.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Credential;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every security feature at once, on real {@code bin/mesos-master} and {@code bin/mesos-agent} processes: TLS with
 * verification ({@code LIBPROCESS_SSL_*}, certificates made at run time), agent CRAM-MD5 authentication, framework
 * and read-only HTTP authentication against a credentials file, the local authorizer's run_tasks and
 * view_frameworks/view_tasks ACLs, and executor JWTs. The setup is the one of "Running a secure cluster" in
 * {@code docs/security.md}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecureClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The user tasks run as: alice may launch tasks as this user only. */
  private static final String USER = System.getProperty("user.name");
  private static final String[] VERIFY = {"VERIFY_SERVER_CERT", "true", "HOSTNAME_VALIDATION_SCHEME", "openssl",
      "VERIFY_IPADD", "true"};
  private static final Duration WITHIN = Duration.ofSeconds(45);
  private static final Duration POLL = Duration.ofMillis(200);

  @Test
  void authenticationAuthorizationAndTlsTogether() throws Exception {
    // Absolute: the command executor reads the same TLS files from its sandbox.
    Path work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "secure-").toAbsolutePath();
    TestCertificates ca = TestCertificates.authority(work, "secure-ca");
    Map<String, String> daemonTls = ca.issue("daemons").environment(VERIFY);
    TestCertificates.Issued client = ca.issue("client");
    Path credentials = secret(work.resolve("credentials"), "{\"credentials\": ["
        + "{\"principal\": \"agent\", \"secret\": \"agent-secret\"},"
        + "{\"principal\": \"alice\", \"secret\": \"alice-secret\"},"
        + "{\"principal\": \"bob\", \"secret\": \"bob-secret\"},"
        + "{\"principal\": \"ops\", \"secret\": \"ops-secret\"}]}");
    Path agentCredential = secret(work.resolve("agent-credential"),
        "{\"principal\": \"agent\", \"secret\": \"agent-secret\"}");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path jwtKey = secret(work.resolve("jwt-key"), HexFormat.of().formatHex(key));
    Path acls = Files.writeString(work.resolve("acls.json"), acls());
    int masterPort = Processes.freePort();
    int agentPort = Processes.freePort();
    InetSocketAddress master = new InetSocketAddress("127.0.0.1", masterPort);
    InetSocketAddress agent = new InetSocketAddress("127.0.0.1", agentPort);

    try (Processes processes = new Processes(work.resolve("logs"));
        HttpClient https = new HttpClient("secure-it", client.context(VERIFY));
        HttpClient plain = new HttpClient("plain-it")) {
      processes.start("master", daemonTls, "mesos-master", "--ip=127.0.0.1", "--port=" + masterPort,
          "--work_dir=" + work.resolve("master"), "--credentials=" + credentials, "--acls=file://" + acls,
          "--authenticate_agents", "--authenticate_frameworks", "--authenticate_http_readonly");
      processes.start("agent", daemonTls, "mesos-agent", "--master=127.0.0.1:" + masterPort, "--ip=127.0.0.1",
          "--port=" + agentPort, "--work_dir=" + work.resolve("agent"), "--resources=cpus:2;mem:1024;disk:1024",
          "--credential=" + agentCredential, "--authenticate_http_executors", "--jwt_secret_key=" + jwtKey,
          "--command_executor=jvm");

      // The agent authenticates (CRAM-MD5 over TLS) and registers; /state needs a principal.
      String agentId = Polls.awaitValue("agent registered", WITHIN, POLL, () -> {
        JsonNode slaves = json(get(https, master, "/state", "ops", "ops-secret")).path("slaves");
        return slaves.size() == 1 ? Optional.of(slaves.get(0).path("id").asText()) : Optional.empty();
      });
      assertThat(processes.log("master")).contains("Successfully authenticated principal 'agent'");
      assertThat(get(https, master, "/state", null, null).status()).isEqualTo(401);
      assertThat(get(https, master, "/state", "ops", "wrong").status()).isEqualTo(401);

      // Plain HTTP is refused on both ports (no downgrade): the connection is closed without an answer.
      assertThatThrownBy(() -> plain.get(master, "/health").get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      assertThatThrownBy(() -> plain.get(agent, "/health").get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      // The executor API wants the executor's JWT.
      HttpResponse noToken = https.post(agent, "/api/v1/executor", "application/json",
          "{}".getBytes(StandardCharsets.UTF_8), Map.of()).get(20, TimeUnit.SECONDS);
      assertThat(noToken.status()).isEqualTo(401);
      assertThat(noToken.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"mesos-agent-executor\"");

      // A framework without credentials is refused.
      QueueScheduler anonymous = new QueueScheduler("anonymous");
      MesosSchedulerDriver refused = driver(anonymous, null, null, client, masterPort);
      assertThat(CompletableFuture.supplyAsync(refused::run).get(30, TimeUnit.SECONDS))
          .isEqualTo(Status.DRIVER_ABORTED);
      assertThat(anonymous.frameworkId()).isEmpty();
      assertThat(anonymous.errors()).anySatisfy(e -> assertThat(e).contains("401"));

      // alice, with her credential, runs a task as USER (its executor authenticates with its token), and may not
      // run one as nobody.
      QueueScheduler alice = new QueueScheduler("alice");
      MesosSchedulerDriver driver = driver(alice, "alice", "alice-secret", client, masterPort);
      try {
        assertThat(driver.start()).isEqualTo(Status.DRIVER_RUNNING);
        FrameworkID frameworkId = Polls.awaitValue("alice registered", WITHIN, POLL, alice::frameworkId);
        SlaveID slave = SlaveID.newBuilder().setValue(agentId).build();
        alice.submit(driver, "allowed", "echo secure", slave);
        alice.submit(driver, slave, List.of(task("forbidden", "nobody", slave)));
        Polls.eventually("both tasks ended", Duration.ofSeconds(60), POLL, () -> {
          assertThat(alice.first("allowed", TaskState.TASK_FINISHED)).as(alice.describe()).isPresent();
          assertThat(alice.first("forbidden", TaskState.TASK_ERROR)).as(alice.describe()).isPresent();
        });
        assertThat(alice.raw("allowed")).extracting(TaskStatus::getState)
            .contains(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
        TaskStatus error = alice.first("forbidden", TaskState.TASK_ERROR).orElseThrow();
        assertThat(error.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_UNAUTHORIZED);
        assertThat(alice.raw("forbidden")).hasSize(1);
        assertThat(alice.errors()).isEmpty();
        // While alice is connected: she sees her framework and its finished task (once acknowledged); bob may view
        // only frameworks of user bob; ops sees everything.
        Polls.eventually("alice's /state lists her finished task", WITHIN, POLL, () -> {
          JsonNode asAlice = json(get(https, master, "/state", "alice", "alice-secret"));
          assertThat(DaemonEndpoints.framework(asAlice, frameworkId.getValue())).isPresent();
          Map<String, List<JsonNode>> placements =
              DaemonEndpoints.placements(asAlice, frameworkId.getValue(), "allowed");
          assertThat(DaemonEndpoints.onlyIn(placements, "completed_tasks")).as(DaemonEndpoints.describe(placements))
              .hasValueSatisfying(t -> assertThat(t.path("state").asText()).isEqualTo("TASK_FINISHED"));
        });
        HttpResponse asBob = get(https, master, "/state", "bob", "bob-secret");
        assertThat(asBob.status()).isEqualTo(200);
        assertThat(json(asBob).path("frameworks")).isEmpty();
        assertThat(asBob.bodyText()).doesNotContain(frameworkId.getValue());
        assertThat(get(https, master, "/tasks", "bob", "bob-secret").bodyText()).doesNotContain("allowed");
        assertThat(json(get(https, master, "/state", "ops", "ops-secret")).path("frameworks")).hasSize(1);
      } finally {
        driver.stop();
      }
      JsonNode metrics = json(get(https, master, "/metrics/snapshot", "ops", "ops-secret"));
      assertThat(metrics.path("master/tasks_finished").asInt()).isEqualTo(1);
      assertThat(metrics.path("master/tasks_error").asInt()).isEqualTo(1);
      assertThat(metrics.path("master/messages_authenticate").asInt()).isGreaterThanOrEqualTo(1);
    }
  }

  /** alice may run tasks as {@link #USER} only; alice views frameworks and tasks of that user, bob of user bob. */
  private static String acls() {
    String mine = "{\"principals\": {\"values\": [\"alice\"]}, \"users\": {\"values\": [\"" + USER + "\"]}},"
        + "{\"principals\": {\"values\": [\"bob\"]}, \"users\": {\"values\": [\"bob\"]}},"
        + "{\"principals\": {\"values\": [\"alice\", \"bob\"]}, \"users\": {\"type\": \"NONE\"}}";
    return "{\"run_tasks\": ["
        + "{\"principals\": {\"values\": [\"alice\"]}, \"users\": {\"values\": [\"" + USER + "\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}],"
        + "\"view_frameworks\": [" + mine + "], \"view_tasks\": [" + mine + "]}";
  }

  private static MesosSchedulerDriver driver(QueueScheduler scheduler, String principal, String secret,
      TestCertificates.Issued client, int masterPort) {
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder().setUser(USER).setName("secure-" + principal);
    Credential credential = null;
    if (principal != null) {
      info.setPrincipal(principal);
      credential = Credential.newBuilder().setPrincipal(principal).setSecret(secret).build();
    }
    return new MesosSchedulerDriver(scheduler, info.build(), List.of(), "127.0.0.1:" + masterPort, true,
        credential, DriverOptions.defaults().withTls(client.context(VERIFY)));
  }

  private static TaskInfo task(String id, String user, SlaveID agent) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id)).setSlaveId(agent)
        .setCommand(CommandInfo.newBuilder().setShell(true).setValue("true").setUser(user))
        .addResources(RecordingScheduler.scalar("cpus", 0.1))
        .addResources(RecordingScheduler.scalar("mem", 32))
        .build();
  }

  private static HttpResponse get(HttpClient https, InetSocketAddress target, String path, String principal,
      String secret) throws IOException, InterruptedException {
    Map<String, String> headers = principal == null ? Map.of() : Map.of("Authorization", "Basic "
        + Base64.getEncoder().encodeToString((principal + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    try {
      return https.request(target, "GET", path, headers, new byte[0]).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("GET " + path + " failed: " + e, e); // not up yet: the polls retry on IOException
    }
  }

  private static JsonNode json(HttpResponse response) throws IOException {
    if (response.status() != 200) {
      throw new IOException("answered " + response.status() + ": " + response.bodyText());
    }
    return JSON.readTree(response.body());
  }

  /** Writes {@code content} readable by its owner only (the daemons warn about a file others may read). */
  private static Path secret(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
