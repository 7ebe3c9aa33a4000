package io.jmesos.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.dist.LocalCluster;
import io.jmesos.dist.MesosExecute;
import io.jmesos.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mesos} against a cluster on TLS whose read-only realm requires HTTP Basic: it reads the same {@code
 * LIBPROCESS_SSL_*} variables as the drivers and sends the configuration file's {@code principal} and {@code
 * secret}; and {@code mesos-execute --principal --secret} against {@code --authenticate_http_frameworks}.
 */
@Timeout(180)
class MesosCliSecurityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CREDENTIALS = "{\"credentials\": [{\"principal\": \"ops\", \"secret\": \"ops-secret\"}]}";
  private static final String[] VERIFY = {"VERIFY_SERVER_CERT", "true", "HOSTNAME_VALIDATION_SCHEME", "openssl",
      "VERIFY_IPADD", "true"};

  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private Run mesos(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MesosCli.run(args, env, dir.resolve("home").toString(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path credentials() throws Exception {
    Path file = dir.resolve("credentials");
    Files.writeString(file, CREDENTIALS);
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Test
  void cliReadsAMasterOnTlsWithBasicCredentials() throws Exception {
    TestCertificates ca = TestCertificates.authority(dir, "cli-ca");
    TestCertificates.Issued daemons = ca.issue("daemons");
    TestCertificates.Issued cli = ca.issue("cli");
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("work")).ip("127.0.0.1").agents(1)
        .resources("cpus:1;mem:256").env(daemons.environment(VERIFY))
        .masterFlag("credentials", credentials().toString()).masterFlag("authenticate_http_readonly", "true")
        .start()) {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> cluster.agents().get(0).slaveId().get(10, TimeUnit.SECONDS), id -> id != null);
      String address = "127.0.0.1:" + cluster.masterAddress().getPort();
      Path withSecret = Files.writeString(dir.resolve("config.toml"), "[master]\naddress = \"" + address + "\"\n"
          + "principal = \"ops\"\nsecret = \"ops-secret\"\n");
      Path withoutSecret = Files.writeString(dir.resolve("anonymous.toml"), "[master]\naddress = \"" + address
          + "\"\n");
      Map<String, String> tls = new HashMap<>(cli.environment(VERIFY));
      tls.put("MESOS_CLI_CONFIG", withSecret.toString());

      Run listed = mesos(tls, "agent", "list", "--json");
      assertThat(listed.code()).as(listed.err()).isZero();
      JsonNode agents = JSON.readTree(listed.out());
      assertThat(agents).hasSize(1);
      assertThat(agents.get(0).path("id").asText())
          .isEqualTo(cluster.agents().get(0).slaveId().get(10, TimeUnit.SECONDS).getValue());

      Map<String, String> anonymous = new HashMap<>(tls);
      anonymous.put("MESOS_CLI_CONFIG", withoutSecret.toString());
      Run refused = mesos(anonymous, "agent", "list");
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err()).startsWith("error: Unable to open url 'https://" + address + "/slaves': 401")
          .doesNotContain("ops-secret");

      Run plain = mesos(Map.of("MESOS_CLI_CONFIG", withSecret.toString()), "agent", "list");
      assertThat(plain.code()).as("plain HTTP to a TLS master").isEqualTo(1);
      assertThat(plain.err()).startsWith("error: ");
    }
  }

  @Test
  void mesosExecuteAuthenticatesWithPrincipalAndSecret() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("work")).ip("127.0.0.1").agents(1)
        .resources("cpus:1;mem:256").masterFlag("credentials", credentials().toString())
        .masterFlag("authenticate_http_frameworks", "true").masterFlag("http_framework_authenticators", "basic")
        .start()) {
      String master = "127.0.0.1:" + cluster.masterAddress().getPort();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = MesosExecute.run(new String[] {"--master=" + master, "--name=authenticated", "--command=true",
          "--resources=cpus:0.1;mem:32", "--principal=ops", "--secret=ops-secret"}, Map.of(),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(code).as(out + "\n" + err).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("TASK_FINISHED");

      ByteArrayOutputStream refusedOut = new ByteArrayOutputStream();
      int refused = MesosExecute.run(new String[] {"--master=" + master, "--name=anonymous", "--command=true",
          "--resources=cpus:0.1;mem:32", "--principal=ops", "--secret=wrong"}, Map.of(),
          new PrintStream(refusedOut, true, StandardCharsets.UTF_8),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertThat(refused).as("a wrong secret: 401, the driver aborts").isEqualTo(1);
      assertThat(refusedOut.toString(StandardCharsets.UTF_8)).doesNotContain("TASK_FINISHED");
    }
  }
}
