package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.ShutdownMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.UnregisterSlaveMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MasterLinkTest {
  @TempDir
  Path workDir;
  AgentHarness h;

  @BeforeEach
  void setUp() throws InterruptedException {
    h = new AgentHarness(workDir).start();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void registersWithSlaveInfoAndRetriesUntilAnswered() {
    RegisterSlaveMessage first = h.master.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    assertThat(first.getSlave().getHostname()).isEqualTo("test-agent");
    assertThat(first.getSlave().getPort()).isEqualTo(h.agent.address().getPort());
    assertThat(first.getSlave().hasId()).isFalse();
    assertThat(first.getPid()).isEqualTo("127.0.0.1:" + h.agent.address().getPort());
    assertThat(first.getSlave().getResourcesList()).extracting(r -> r.getName())
        .contains("cpus", "mem", "disk", "ports");
    assertThat(first.getSlave().getAttributesList()).extracting(a -> a.getName()).containsExactly("rack");

    h.settle();
    h.clock.advance(Duration.ofMinutes(1));
    h.master.await(RegisterSlaveMessage.getDefaultInstance(), 2);
    h.settle();
    h.clock.advance(Duration.ofMinutes(1));
    h.master.await(RegisterSlaveMessage.getDefaultInstance(), 3);

    h.master.send(SlaveRegisteredMessage.newBuilder().setSlaveId(AgentHarness.SLAVE_ID).build());
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.metrics().get("slave/registered").asDouble() == 1.0);
    int attempts = h.master.count(RegisterSlaveMessage.getDefaultInstance());
    h.clock.advance(Duration.ofMinutes(5));
    h.settle();
    assertThat(h.master.count(RegisterSlaveMessage.getDefaultInstance())).isEqualTo(attempts);

    JsonNode state = h.state();
    assertThat(state.get("id").asText()).isEqualTo("M1-S0");
    assertThat(state.get("hostname").asText()).isEqualTo("test-agent");
    assertThat(state.get("pid").asText()).isEqualTo("slave(1)@127.0.0.1:" + h.agent.address().getPort());
    assertThat(state.get("resources").get("cpus").asDouble()).isEqualTo(2.0);
    assertThat(state.get("resources").get("ports").asText()).isEqualTo("[31000-32000]");
    assertThat(state.get("attributes").get("rack").asText()).isEqualTo("r1");
    assertThat(state.get("flags").get("executor_registration_timeout").asText()).isEqualTo("1mins");
  }

  @Test
  void answersPingsWithPongs() {
    h.register();
    h.master.send(PingSlaveMessage.newBuilder().setConnected(true).build());
    h.master.await(PongSlaveMessage.getDefaultInstance(), 1);
    h.master.send(PingSlaveMessage.newBuilder().setConnected(true).build());
    h.master.await(PongSlaveMessage.getDefaultInstance(), 2);
  }

  @Test
  void reregistersWithItsIdAfterTheConnectionDrops() {
    h.register();
    h.master.dropConnection();
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.metrics().get("slave/registered").asDouble() == 0.0);
    h.clock.advance(Duration.ofMinutes(1));
    ReregisterSlaveMessage reregister = h.master.await(ReregisterSlaveMessage.getDefaultInstance(), 1);
    assertThat(reregister.getSlave().getId()).isEqualTo(AgentHarness.SLAVE_ID);
    assertThat(h.master.connectionCount()).isEqualTo(2);
    h.master.send(SlaveReregisteredMessage.newBuilder().setSlaveId(AgentHarness.SLAVE_ID).build());
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.metrics().get("slave/registered").asDouble() == 1.0);
  }

  @Test
  void reconnectsWhenThePingsStop() {
    h.master.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    h.master.send(SlaveRegisteredMessage.newBuilder().setSlaveId(AgentHarness.SLAVE_ID)
        .setPingIntervalSeconds(1).setMaxMissedPings(3).build());
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.metrics().get("slave/registered").asDouble() == 1.0);
    h.clock.advance(Duration.ofSeconds(2));
    h.settle();
    assertThat(h.master.connectionCount()).isEqualTo(1);
    h.clock.advance(Duration.ofSeconds(2));
    h.settle();
    h.clock.advance(Duration.ofMinutes(1));
    ReregisterSlaveMessage reregister = h.master.await(ReregisterSlaveMessage.getDefaultInstance(), 1);
    assertThat(reregister.getSlave().getId()).isEqualTo(AgentHarness.SLAVE_ID);
    assertThat(h.master.connectionCount()).isEqualTo(2);
  }

  @Test
  void closeUnregistersFromTheMasterSoItNeedNotWaitForMissedPings() throws Exception {
    h.register();
    h.agent.close();
    h.agent.terminated().get(10, TimeUnit.SECONDS);
    UnregisterSlaveMessage unregister = h.master.await(UnregisterSlaveMessage.getDefaultInstance(), 1);
    assertThat(unregister.getSlaveId()).isEqualTo(AgentHarness.SLAVE_ID);
  }

  @Test
  void stopsWhenTheMasterSaysShutdown() throws Exception {
    h.register();
    h.master.send(ShutdownMessage.newBuilder().setMessage("agent removed").build());
    h.agent.terminated().get(10, TimeUnit.SECONDS);
  }
}
