package io.jmesos.executor.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real probes: commands in a sandbox, GETs against a local HTTP server, connections to a local port. */
@Timeout(60)
class LocalProbesTest {
  @TempDir
  Path sandbox;

  private LocalProbes probes() {
    return new LocalProbes(Map.of("PATH", "/usr/bin:/bin", "BASE", "base"), sandbox.toFile(),
        LocalProbes.sandboxStderr(sandbox.toFile()), argv -> argv, LocalProbes.defaultPool());
  }

  private static CheckStatusInfo result(Probe probe) throws Exception {
    return probe.start().get(30, TimeUnit.SECONDS);
  }

  private static CheckInfo commandCheck(CommandInfo command) {
    return CheckInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckInfo.Command.newBuilder().setCommand(command)).build();
  }

  @Test
  void aCommandRunsInTheSandboxWithTheEnvironmentAndItsOwnVariablesAndReportsItsExitCode() throws Exception {
    CommandInfo command = CommandInfo.newBuilder()
        .setValue("echo checked >&2; test \"$PWD\" = \"" + sandbox + "\" && test \"$BASE\" = base"
            + " && test \"$OWN\" = own && exit 7")
        .setEnvironment(Environment.newBuilder().addVariables(
            Environment.Variable.newBuilder().setName("OWN").setValue("own")))
        .build();

    CheckStatusInfo status = result(probes().forCheck(commandCheck(command)));

    assertThat(status.getType()).isEqualTo(CheckInfo.Type.COMMAND);
    assertThat(status.getCommand().getExitCode()).isEqualTo(7);
    assertThat(Files.readString(sandbox.resolve("stderr"))).isEqualTo("checked\n");
  }

  @Test
  void aCommandWithoutAShellRunsTheExecutable() throws Exception {
    CommandInfo command = CommandInfo.newBuilder().setShell(false).setValue("/bin/sh")
        .addArguments("sh").addArguments("-c").addArguments("exit 5").build();
    assertThat(result(probes().forCheck(commandCheck(command))).getCommand().getExitCode()).isEqualTo(5);
  }

  @Test
  void aCommandThatCannotStartIsAnError() {
    CommandInfo command = CommandInfo.newBuilder().setShell(false).setValue("/nonexistent/check").build();
    assertThatThrownBy(() -> result(probes().forCheck(commandCheck(command))))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ProbeException.class)
        .hasMessageContaining("Failed to create subprocess");
  }

  @Test
  void abortingACommandKillsItsWholeProcessTree() throws Exception {
    // 96 marks this test's processes: a background child and a foreground one.
    CommandInfo command = CommandInfo.newBuilder().setValue("touch started; sleep 96 & sleep 96; wait").build();
    var attempt = probes().forCheck(commandCheck(command)).start();
    await().atMost(Duration.ofSeconds(20)).until(() -> count("sleep 96") == 2 && Files.exists(sandbox.resolve(
        "started")));

    attempt.cancel(true);

    await().atMost(Duration.ofSeconds(20)).until(() -> count("sleep 96") == 0);
  }

  @Test
  void theCheckLoopTimesACommandOutAndKillsIt() throws Exception {
    CommandInfo command = CommandInfo.newBuilder().setValue("sleep 95").build();
    CheckInfo check = commandCheck(command).toBuilder().setDelaySeconds(0).setIntervalSeconds(1)
        .setTimeoutSeconds(0.5).build();
    List<CheckStatusInfo> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.ExecutorService home = java.util.concurrent.Executors.newSingleThreadExecutor();
    Checker checker = Checker.start(check, "t1", probes().forCheck(check), io.jmesos.actor.SystemClock.get(), home,
        reported::add);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> count("sleep 95") > 0);
      ProcessHandle first = ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().map(c -> c.endsWith("sleep 95")).orElse(false)).findFirst()
          .orElseThrow();
      // Killed at its timeout, long before it would have ended.
      first.onExit().get(10, TimeUnit.SECONDS);
      // The next attempt comes an interval later; timeouts give the empty status, which is no change.
      await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.allProcesses()
          .anyMatch(p -> p.pid() != first.pid() && p.info().commandLine().map(c -> c.endsWith("sleep 95"))
              .orElse(false)));
      assertThat(reported).isEmpty();
    } finally {
      checker.stop();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> count("sleep 95") == 0);
    home.shutdown();
  }

  @Test
  void httpChecksGetTheStatusOfTheLocalEndpoint() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      int code = path.equals("/ok") ? 200 : path.equals("/moved") ? 302 : 503;
      if (code == 302) {
        exchange.getResponseHeaders().add("Location", "/ok");
      }
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    });
    server.start();
    try {
      int port = server.getAddress().getPort();
      assertThat(httpStatus(port, "/ok")).isEqualTo(200);
      assertThat(httpStatus(port, "/moved")).isEqualTo(200); // Redirects are followed, as curl -L.
      assertThat(httpStatus(port, "/down")).isEqualTo(503);
      HealthCheck health = HealthCheck.newBuilder().setType(HealthCheck.Type.HTTP)
          .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(port).setPath("/ok")).build();
      assertThat(result(probes().forHealthCheck(health)).getHttp().getStatusCode()).isEqualTo(200);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anHttpCheckOfAClosedPortIsAnError() throws Exception {
    int port = closedPort();
    assertThatThrownBy(() -> httpStatus(port, "/"))
        .hasCauseInstanceOf(ProbeException.class)
        .hasMessageContaining("GET http://127.0.0.1:" + port + "/ failed");
  }

  @Test
  void tcpChecksReportWhetherTheConnectionWasMade() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      CheckInfo open = CheckInfo.newBuilder().setType(CheckInfo.Type.TCP)
          .setTcp(CheckInfo.Tcp.newBuilder().setPort(listening.getLocalPort())).build();
      assertThat(result(probes().forCheck(open)).getTcp().getSucceeded()).isTrue();
    }
    CheckInfo closed = CheckInfo.newBuilder().setType(CheckInfo.Type.TCP)
        .setTcp(CheckInfo.Tcp.newBuilder().setPort(closedPort())).build();
    CheckStatusInfo status = result(probes().forCheck(closed));
    assertThat(status.getType()).isEqualTo(CheckInfo.Type.TCP);
    assertThat(status.getTcp().hasSucceeded()).isTrue();
    assertThat(status.getTcp().getSucceeded()).isFalse();
  }

  @Test
  void withoutASandboxCommandOutputIsDiscarded() {
    assertThat(LocalProbes.sandboxStderr(null)).isEqualTo(ProcessBuilder.Redirect.DISCARD);
    assertThat(LocalProbes.sandboxStderr(new File("/x")).file()).isEqualTo(new File("/x/stderr"));
  }

  private int httpStatus(int port, String path) throws Exception {
    CheckInfo check = CheckInfo.newBuilder().setType(CheckInfo.Type.HTTP)
        .setHttp(CheckInfo.Http.newBuilder().setPort(port).setPath(path)).build();
    return result(probes().forCheck(check)).getHttp().getStatusCode();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static long count(String commandLineEnd) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.endsWith(commandLineEnd)).orElse(false)).count();
  }
}
