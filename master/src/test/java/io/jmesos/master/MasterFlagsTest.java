package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.flags.FlagsException;
import io.jmesos.master.flags.MasterFlags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MasterFlagsTest {

  @Test
  void defaultsAreMesos() throws Exception {
    MasterFlags flags = MasterFlags.parse(new String[0], Map.of());
    assertThat(flags.port()).isEqualTo(5050);
    assertThat(flags.allocator()).isEqualTo("HierarchicalDRF");
    assertThat(flags.allocationInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(flags.agentPingTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(flags.maxAgentPingTimeouts()).isEqualTo(5);
    assertThat(flags.offerTimeout()).isEmpty();
    assertThat(flags.registry()).isEqualTo("replicated_log");
    assertThat(flags.registryStoreTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(flags.registryFetchTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(flags.recoveryAgentRemovalLimit()).isEqualTo(1.0);
    assertThat(flags.zk()).isNull();
    assertThat(flags.zkSessionTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(flags.advertiseIp()).isNull();
    assertThat(flags.advertisePort()).isNull();
  }

  @Test
  void commandLineWinsOverEnvironment() throws Exception {
    MasterFlags flags = MasterFlags.parse(new String[] {"--port=6060", "--offer_timeout=30secs", "--quiet"},
        Map.of("MESOS_PORT", "7070", "MESOS_AGENT_PING_TIMEOUT", "2mins"));
    assertThat(flags.port()).isEqualTo(6060);
    assertThat(flags.agentPingTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(flags.offerTimeout()).contains(Duration.ofSeconds(30));
    assertThat(flags.logging.quiet()).isTrue();
    assertThat(MasterFlags.parse(new String[] {"--no-quiet"}, Map.of("MESOS_QUIET", "true")).logging.quiet()).isFalse();
  }

  @Test
  void badFlagsAreClearErrors() {
    assertThatThrownBy(() -> MasterFlags.parse(new String[] {"--bogus=1"}, Map.of()))
        .isInstanceOf(FlagsException.class).hasMessage("Failed to load unknown flag 'bogus'");
    assertThatThrownBy(() -> MasterFlags.parse(new String[] {"--port=abc"}, Map.of()))
        .isInstanceOf(FlagsException.class).hasMessageContaining("port");
    assertThatThrownBy(() -> MasterFlags.parse(new String[] {"--allocation_interval=5"}, Map.of()))
        .isInstanceOf(FlagsException.class).hasMessageContaining("Invalid duration");
    assertThatThrownBy(() -> MasterFlags.parse(new String[] {"--registry=zk"}, Map.of()))
        .isInstanceOf(FlagsException.class).hasMessageContaining("'zk' is not a supported option");
  }

  @Test
  void ofLoadsNamedValuesAndAsMapShowsEveryValueButHelp() {
    MasterFlags flags = MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "offer_timeout", "90secs"));
    assertThat(flags.ip()).isEqualTo("127.0.0.1");
    assertThat(flags.port()).isZero();
    assertThat(flags.hostname()).isNull();
    assertThat(flags.asMap()).containsEntry("port", "0").containsEntry("offer_timeout", "1.5mins")
        .containsEntry("allocation_interval", "1secs").containsEntry("quiet", "false")
        .doesNotContainKeys("help", "hostname", "cluster");
    assertThatThrownBy(() -> MasterFlags.of(Map.of("max_agent_ping_timeouts", "0")))
        .isInstanceOf(FlagsException.class).hasMessageContaining("max_agent_ping_timeouts");
    assertThatThrownBy(() -> MasterFlags.of(Map.of("agent_ping_timeout", "0secs")))
        .isInstanceOf(FlagsException.class).hasMessageContaining("must be positive");
  }

  @Test
  void helpPrintsUsageAndExitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicInteger code = new AtomicInteger(-1);
    MasterMain.run(new String[] {"--help"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        System.err, code::set);
    assertThat(code.get()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--agent_ping_timeout=VALUE")
        .contains("(default: 15secs)");
  }

  @Test
  void unknownFlagExitsOneAndUnknownAllocatorFailsStart() {
    AtomicInteger code = new AtomicInteger(-1);
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    MasterMain.run(new String[] {"--nope"}, Map.of(), System.out, err, code::set);
    assertThat(code.get()).isEqualTo(1);
    code.set(-1);
    MasterMain.run(new String[] {"--allocator=NoSuch", "--port=0"}, Map.of(), System.out, err, code::set);
    assertThat(code.get()).isEqualTo(1);
  }

  @Test
  void advertiseFlagsTakeAnIpLiteralAndAPort() {
    MasterFlags flags = MasterFlags.of(Map.of("advertise_ip", "10.0.0.7", "advertise_port", "8080"));
    assertThat(flags.advertiseIp()).isEqualTo("10.0.0.7");
    assertThat(flags.advertisePort()).isEqualTo(8080);
    assertThat(MasterFlags.of(Map.of("advertise_ip", "::1")).advertiseIp()).isEqualTo("::1");
    assertThatThrownBy(() -> MasterFlags.of(Map.of("advertise_ip", "master.example")))
        .isInstanceOf(FlagsException.class).hasMessageContaining("advertise_ip");
    assertThatThrownBy(() -> MasterFlags.of(Map.of("advertise_ip", "10.0.0.256")))
        .isInstanceOf(FlagsException.class).hasMessageContaining("advertise_ip");
    assertThatThrownBy(() -> MasterFlags.of(Map.of("advertise_port", "70000")))
        .isInstanceOf(FlagsException.class).hasMessageContaining("advertise_port");
  }

  @Test
  void aReplicatedLogRegistryWithZooKeeperNeedsQuorum() {
    String zk = "zk://127.0.0.1:2181/mesos";
    assertThat(MasterMain.checkRegistry(MasterFlags.of(Map.of("zk", zk))))
        .contains("Need to specify --quorum for replicated log based registry when using ZooKeeper");
    assertThat(MasterMain.checkRegistry(MasterFlags.of(Map.of("zk", zk, "quorum", "2")))).isEmpty();
    assertThat(MasterMain.checkRegistry(MasterFlags.of(Map.of("zk", zk, "registry", "in_memory")))).isEmpty();
    assertThat(MasterMain.checkRegistry(MasterFlags.of(Map.of()))).isEmpty();

    AtomicInteger code = new AtomicInteger(-1);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    MasterMain.run(new String[] {"--zk=" + zk, "--port=0"}, Map.of(), System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8), code::set);
    assertThat(code.get()).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Need to specify --quorum");
  }

  @Test
  void anUnusableZooKeeperUrlFailsStart() {
    AtomicInteger code = new AtomicInteger(-1);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    MasterMain.run(new String[] {"--zk=zk://127.0.0.1:2181/", "--registry=in_memory", "--port=0"}, Map.of(),
        System.out, new PrintStream(err, true, StandardCharsets.UTF_8), code::set);
    assertThat(code.get()).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Failed to create a master contender");
  }
}
