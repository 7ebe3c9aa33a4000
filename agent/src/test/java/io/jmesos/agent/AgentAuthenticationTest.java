package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.agent.http.AgentAuthentication;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.AuthenticateMessage;
import io.jmesos.internal.Messages.AuthenticationErrorMessage;
import io.jmesos.internal.Messages.AuthenticationStartMessage;
import io.jmesos.internal.Messages.AuthenticationStepMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.security.CredentialSet;
import io.jmesos.security.SaslServerSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent authenticates to the master (SASL CRAM-MD5) before it registers, as Mesos' {@code
 * authentication_tests.cpp} agent cases: success then registration, a retry after a timeout (Mesos' backoff), an
 * error retried, a refusal that stops the agent; and {@code --credential} read as Mesos reads it.
 */
@Timeout(60)
class AgentAuthenticationTest {
  private static final Optional<CredentialSet> MASTER_CREDENTIALS =
      Optional.of(CredentialSet.of(Map.of("agent-principal", "agent-secret")));

  @TempDir
  Path workDir;
  @TempDir
  Path dir;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private AgentHarness start(String credentialJson) throws Exception {
    Path credential = dir.resolve("credential");
    Files.writeString(credential, credentialJson);
    h = new AgentHarness(workDir).start(Map.of("credential", "file://" + credential,
        "authentication_timeout_min", "5secs", "authentication_backoff_factor", "1secs",
        "authentication_timeout_max", "1mins"));
    return h;
  }

  /** Plays the master's authenticator for the n-th AuthenticateMessage, the agent's first steps. */
  private void authenticate(int n) {
    authenticate(n, 1);
  }

  /** As above, the agent's {@code s}-th start and step being this attempt's. */
  private void authenticate(int n, int s) {
    AuthenticateMessage hello = h.master.await(AuthenticateMessage.getDefaultInstance(), n);
    assertThat(hello.getPid()).isEqualTo("slave(1)@127.0.0.1:" + h.agent.address().getPort());
    SaslServerSession session = new SaslServerSession(MASTER_CREDENTIALS, "master", h.master::send);
    session.begin();
    session.start(h.master.await(AuthenticationStartMessage.getDefaultInstance(), s));
    session.step(h.master.await(AuthenticationStepMessage.getDefaultInstance(), s));
  }

  @Test
  void authenticatesThenRegisters() throws Exception {
    start("{\"principal\": \"agent-principal\", \"secret\": \"agent-secret\"}");
    h.master.await(AuthenticateMessage.getDefaultInstance(), 1);
    h.settle();
    assertThat(h.master.count(RegisterSlaveMessage.getDefaultInstance())).isZero();

    authenticate(1);

    RegisterSlaveMessage register = h.master.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    assertThat(register.getSlave().getHostname()).isEqualTo("test-agent");
    h.master.send(SlaveRegisteredMessage.newBuilder().setSlaveId(AgentHarness.SLAVE_ID).build());
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.metrics().get("slave/registered").asDouble() == 1.0);
    // The CRAM-MD5 response is the principal and a digest: the secret never crossed the wire.
    assertThat(h.master.all(AuthenticationStepMessage.getDefaultInstance()).get(0).getData().toStringUtf8())
        .matches("agent-principal [0-9a-f]{32}");
  }

  @Test
  void retriesAnAuthenticationThatTimesOut() throws Exception {
    start("{\"principal\": \"agent-principal\", \"secret\": \"agent-secret\"}");
    h.master.await(AuthenticateMessage.getDefaultInstance(), 1);
    h.settle();
    // The first timeout is drawn from [min, min + factor * 2] = [5s, 7s].
    h.clock.advance(Duration.ofSeconds(4));
    h.settle();
    assertThat(h.master.count(AuthenticateMessage.getDefaultInstance())).isEqualTo(1);
    h.clock.advance(Duration.ofSeconds(3));
    h.master.await(AuthenticateMessage.getDefaultInstance(), 2);
    // The second from [5s, 9s]: the master answers this one.
    authenticate(2, 1);
    h.master.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    assertThat(h.master.connectionCount()).isEqualTo(1);
  }

  @Test
  void retriesAfterAnAuthenticationError() throws Exception {
    start("{\"principal\": \"agent-principal\", \"secret\": \"agent-secret\"}");
    h.master.await(AuthenticateMessage.getDefaultInstance(), 1);
    h.master.send(AuthenticationErrorMessage.newBuilder().setError("No authenticator loaded").build());
    h.master.await(AuthenticateMessage.getDefaultInstance(), 2);
    assertThat(h.master.count(RegisterSlaveMessage.getDefaultInstance())).isZero();
  }

  @Test
  void stopsWhenTheMasterRefusesTheCredential() throws Exception {
    start("{\"principal\": \"agent-principal\", \"secret\": \"wrong-secret\"}");
    authenticate(1);
    assertThatThrownBy(() -> h.agent.terminated().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("Master " + h.master.hostPort() + " refused authentication");
    assertThat(h.master.count(RegisterSlaveMessage.getDefaultInstance())).isZero();
  }

  @Test
  void withoutACredentialRegistersAtOnce() throws Exception {
    h = new AgentHarness(workDir).start();
    h.master.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    assertThat(h.master.count(AuthenticateMessage.getDefaultInstance())).isZero();
  }

  @Test
  void credentialFileAsMesosReadsIt() throws Exception {
    Path file = dir.resolve("c");
    Files.writeString(file, "{\"principal\": \"p\", \"secret\": \"s\"}");
    assertThat(AgentAuthentication.credential(flags("credential", "file://" + file)).orElseThrow().getPrincipal())
        .isEqualTo("p");
    assertThat(AgentAuthentication.credential(flags()).isEmpty()).isTrue();

    Files.writeString(file, "");
    assertThatThrownBy(() -> AgentAuthentication.credential(flags("credential", file.toString())))
        .hasMessage("Empty credential file '" + file + "' (see --credential flag)");
    Files.writeString(file, "p topsecret\n");
    assertThatThrownBy(() -> AgentAuthentication.credential(flags("credential", file.toString())))
        .hasMessageStartingWith("Invalid json format: ").hasMessageEndingWith("(see --credential flag)")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> AgentAuthentication.credential(flags("credential", dir.resolve("none").toString())))
        .hasMessage("Failed to read credential file '" + dir.resolve("none")
            + "': No such file or directory (see --credential flag)");
    assertThatThrownBy(() -> AgentAuthentication.credential(flags("authenticatee", "kerberos")))
        .hasMessageStartingWith("Could not create authenticatee module 'kerberos'");
  }

  private io.jmesos.agent.flags.AuthenticationFlags flags(String... pairs) {
    Map<String, String> map = new java.util.HashMap<>(Map.of("work_dir", workDir.toString(),
        "master", "127.0.0.1:5050"));
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return AgentFlags.of(map).authentication;
  }
}
