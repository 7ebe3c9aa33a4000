package io.jmesos.master.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jmesos.internal.Messages.AuthenticateMessage;
import io.jmesos.internal.Messages.AuthenticationStartMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.master.Master;
import io.jmesos.master.core.AgentAuthenticator;
import io.jmesos.master.core.AgentManager;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.transport.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.mesos.Protos.Credential;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Agents authenticating to the master over the internal protocol (SASL CRAM-MD5), as Mesos' {@code
 * authentication_tests.cpp}: {@code AuthenticatedSlave}, {@code UnauthenticatedSlave}, {@code
 * DisableSlaveAuthentication}, a wrong secret, an authentication that times out; the start-up errors of
 * {@code --authenticators}; and {@code --authenticate_frameworks}, which requires Basic credentials on the
 * scheduler API (jmesos' drivers speak HTTP).
 */
@Timeout(60)
class AgentAuthenticationTest {
  @TempDir
  Path dir;
  private TestCluster cluster;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger authenticatorLog = (Logger) LoggerFactory.getLogger(AgentAuthenticator.class);
  private final Logger managerLog = (Logger) LoggerFactory.getLogger(AgentManager.class);

  @BeforeEach
  void watchLogs() {
    // The tests' root level is WARN; the outcomes this test reads are logged at INFO.
    authenticatorLog.setLevel(Level.INFO);
    managerLog.setLevel(Level.INFO);
    logs.start();
    authenticatorLog.addAppender(logs);
    managerLog.addAppender(logs);
  }

  @AfterEach
  void stop() {
    authenticatorLog.detachAppender(logs);
    managerLog.detachAppender(logs);
    authenticatorLog.setLevel(null);
    managerLog.setLevel(null);
    if (cluster != null) {
      cluster.close();
    }
  }

  private MasterFlags flags(String... pairs) throws Exception {
    Map<String, String> map = new HashMap<>(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory",
        "credentials", Credentials.write(dir).toString()));
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return MasterFlags.of(map);
  }

  private FakeAgent connect() throws Exception {
    FakeAgent agent = new FakeAgent();
    agent.connect(cluster.address);
    return agent;
  }

  private static Credential credential(String principal, String secret) {
    return Credential.newBuilder().setPrincipal(principal).setSecret(secret).build();
  }

  private double metric(String name) throws Exception {
    return cluster.metrics().get(name).asDouble();
  }

  private boolean logged(String text) {
    return logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
  }

  @Test
  void authenticatedAgentRegisters() throws Exception {
    cluster = new TestCluster(flags("authenticate_agents", "true"), Limits.DEFAULT);
    try (FakeAgent agent = connect()) {
      assertThat(agent.authenticate(credential("alice", "alice-secret"))).isTrue();
      agent.sendRegistration("cpus:1;mem:128");
      assertThat(agent.expect(SlaveRegisteredMessage.getDefaultInstance()).getSlaveId().getValue()).isNotEmpty();
    }
    assertThat(metric("master/slave_registrations")).isEqualTo(1.0);
    assertThat(metric("master/messages_authenticate")).isEqualTo(1.0);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logged("Successfully authenticated principal "
        + "'alice'"));
    assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("alice-secret"));
  }

  @Test
  void unauthenticatedAgentIsRefused() throws Exception {
    cluster = new TestCluster(flags("authenticate_agents", "true"), Limits.DEFAULT);
    try (FakeAgent agent = connect()) {
      agent.sendRegistration("cpus:1;mem:128");
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> logged("Refusing registration of agent at /127.0.0.1:"));
      cluster.settle();
      assertThat(agent.hasQueued(SlaveRegisteredMessage.getDefaultInstance())).isFalse();
      assertThat(metric("master/slave_registrations")).isZero();

      // Authenticating afterwards on the same connection lets the (retried) registration through.
      assertThat(agent.authenticate(credential("bob", "bob-pw"))).isTrue();
      agent.sendRegistration("cpus:1;mem:128");
      agent.expect(SlaveRegisteredMessage.getDefaultInstance());
    }
  }

  /** Mesos' {@code SlaveAuthorizationTest}: register_agents decides which authenticated principals may join. */
  @Test
  void registerAgentsAclLetsOnlyItsPrincipalsRegister() throws Exception {
    cluster = new TestCluster(flags("authenticate_agents", "true", "acls", "{\"register_agents\": ["
        + "{\"principals\": {\"values\": [\"alice\"]}, \"agents\": {\"type\": \"ANY\"}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"agents\": {\"type\": \"NONE\"}}]}"), Limits.DEFAULT);
    try (FakeAgent refused = connect()) {
      assertThat(refused.authenticate(credential("bob", "bob-pw"))).isTrue();
      refused.sendRegistration("cpus:1;mem:128");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logged("Not authorized to register agent "
          + "providing resources 'cpus:1; mem:128' with principal 'bob'"));
      cluster.settle();
      assertThat(refused.hasQueued(SlaveRegisteredMessage.getDefaultInstance())).isFalse();
      assertThat(metric("master/slave_registrations")).isZero();
    }
    try (FakeAgent allowed = connect()) {
      assertThat(allowed.authenticate(credential("alice", "alice-secret"))).isTrue();
      allowed.sendRegistration("cpus:1;mem:128");
      assertThat(allowed.expect(SlaveRegisteredMessage.getDefaultInstance()).getSlaveId().getValue()).isNotEmpty();
    }
    assertThat(metric("master/slave_registrations")).isEqualTo(1.0);
  }

  @Test
  void wrongSecretFailsAndTheAgentStaysUnregistered() throws Exception {
    cluster = new TestCluster(flags("authenticate_agents", "true"), Limits.DEFAULT);
    try (FakeAgent agent = connect()) {
      assertThat(agent.authenticate(credential("alice", "bob-pw"))).isFalse();
      agent.sendRegistration("cpus:1;mem:128");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logged("Refusing registration of agent at"));
      cluster.settle();
      assertThat(agent.hasQueued(SlaveRegisteredMessage.getDefaultInstance())).isFalse();
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logged("was unsuccessful: Invalid credentials"));
    assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("bob-pw"));
    assertThat(metric("master/slave_registrations")).isZero();
  }

  @Test
  void anotherConnectionMustAuthenticateAnew() throws Exception {
    cluster = new TestCluster(flags("authenticate_agents", "true"), Limits.DEFAULT);
    try (FakeAgent first = connect(); FakeAgent second = connect()) {
      assertThat(first.authenticate(credential("alice", "alice-secret"))).isTrue();
      second.sendRegistration("cpus:1;mem:128");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logged("Refusing registration of agent at"));
      cluster.settle();
      assertThat(second.hasQueued(SlaveRegisteredMessage.getDefaultInstance())).isFalse();
    }
  }

  @Test
  void registrationDuringAuthenticationIsQueuedUntilItEnds() throws Exception {
    cluster = new TestCluster(flags("authenticate_agents", "true"), Limits.DEFAULT);
    try (FakeAgent agent = connect()) {
      agent.send(AuthenticateMessage.newBuilder().setPid("slave(1)@127.0.0.1:5051").build());
      agent.sendRegistration("cpus:1;mem:128");
      // The messages cross a socket: wait until the master has queued the registration.
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> logged("Queuing up registration request from /127.0.0.1:"));
      // Never finished: the master times the session out, then refuses the queued registration.
      cluster.advance(Duration.ofSeconds(15));
      assertThat(logged("timed out")).isTrue();
      assertThat(logged("Refusing registration of agent at /127.0.0.1:")).isTrue();
      agent.send(AuthenticationStartMessage.newBuilder().setMechanism("CRAM-MD5").build());
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> logged("Ignoring authentication start from /127.0.0.1:"));
      cluster.settle();
      assertThat(agent.hasQueued(SlaveRegisteredMessage.getDefaultInstance())).isFalse();
    }
  }

  @Test
  void withoutAuthenticateAgentsAnAgentMayStillAuthenticateOrNot() throws Exception {
    cluster = new TestCluster(flags(), Limits.DEFAULT);
    try (FakeAgent plain = connect(); FakeAgent authenticated = connect()) {
      plain.sendRegistration("cpus:1;mem:128");
      plain.expect(SlaveRegisteredMessage.getDefaultInstance());
      assertThat(authenticated.authenticate(credential("ops", "ops-secret"))).isTrue();
      authenticated.sendRegistration("cpus:1;mem:128");
      authenticated.expect(SlaveRegisteredMessage.getDefaultInstance());
    }
  }

  @Test
  void authenticatorsFlagIsCheckedAsMesosDoes() {
    assertThatThrownBy(() -> Master.builder().flags(flags("authenticators", "kerberos")).build())
        .hasMessage("Authenticator 'kerberos' not found. Check the spelling (compare to 'crammd5') or verify that "
            + "the authenticator was loaded successfully (see --modules)");
    assertThatThrownBy(() -> Master.builder().flags(flags("authenticators", "crammd5,crammd5")).build())
        .hasMessage("Multiple authenticators not supported");
  }

  @Test
  void authenticateFrameworksRequiresBasicOnTheSchedulerApi() throws Exception {
    cluster = new TestCluster(flags("authenticate_frameworks", "true"), Limits.DEFAULT);
    TestScheduler scheduler = cluster.scheduler(true);
    var info = TestScheduler.frameworkInfo().setPrincipal("alice");
    Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
    assertThat(scheduler.authorization(null).post(subscribe, Map.of()).status()).isEqualTo(401);
    assertThat(scheduler.authorization(Credentials.BOB).post(subscribe, Map.of()).status()).isEqualTo(400);
    assertThat(scheduler.authorization(Credentials.ALICE).subscribe(info.build()).getType())
        .isEqualTo(Event.Type.SUBSCRIBED);
  }

  @Test
  void authenticateFrameworksWithoutCredentialsIsAStartUpError() {
    assertThatThrownBy(() -> Master.builder().flags(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0",
        "registry", "in_memory", "authenticate_frameworks", "true"))).build())
        .hasMessageContaining("No credentials provided for the default 'basic' HTTP authenticator for realm "
            + "'mesos-master-scheduler'");
  }
}
