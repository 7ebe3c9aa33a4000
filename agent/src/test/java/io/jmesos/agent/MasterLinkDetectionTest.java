package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.jmesos.actor.Actor;
import io.jmesos.actor.MessageDispatcher;
import io.jmesos.actor.SystemClock;
import io.jmesos.agent.master.MasterLink;
import io.jmesos.agent.testing.FakeMaster;
import io.jmesos.detector.MasterEndpoints;
import io.jmesos.detector.StandaloneMasterDetector;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.transport.Connection;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MessageTap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's {@link MasterLink} following a detector between two fake masters: waiting without a leader,
 * registering once one is appointed, moving to a new leader, and fencing: what reaches the link from a connection
 * other than the one it opened to the current leader is dropped.
 */
@Timeout(30)
class MasterLinkDetectionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SlaveID ID = SlaveID.newBuilder().setValue("M1-S0").build();

  private final Actor actor = new Actor("agent-under-test", SystemClock.get());
  private final StandaloneMasterDetector detector = new StandaloneMasterDetector();
  private final FakeMaster a = new FakeMaster();
  private final FakeMaster b = new FakeMaster();
  private final Recorder recorder = new Recorder();
  /** The agent's end of each connection, by the master port it leads to (learnt from the first send). */
  private final Map<Integer, Connection> agentEnds = new ConcurrentHashMap<>();
  private MasterLink link;

  @BeforeEach
  void start() throws Exception {
    a.start();
    b.start();
    MessageDispatcher<Connection> handlers = new MessageDispatcher<Connection>("agent handlers")
        .install(KillTaskMessage.getDefaultInstance(), (c, m) -> recorder.kills.add(m.getTaskId().getValue()));
    MessageTap tap = new MessageTap() {
      @Override
      public void inbound(Connection connection, Envelope envelope, Runnable deliver) {
        deliver.run();
      }

      @Override
      public void outbound(Connection connection, Envelope envelope, Runnable send) {
        agentEnds.putIfAbsent(((java.net.InetSocketAddress) connection.remoteAddress()).getPort(), connection);
        send.run();
      }
    };
    link = actor.call(() -> {
      MasterLink l = new MasterLink(actor, detector, Limits.DEFAULT, Duration.ofMillis(10), recorder, handlers, tap);
      l.start();
      return l;
    }).get();
  }

  @AfterEach
  void stop() throws Exception {
    actor.call(() -> {
      link.close();
      return null;
    }).get();
    link.shutdownClient();
    detector.close();
    actor.close();
    a.close();
    b.close();
  }

  @Test
  void waitsWithoutALeaderAndRegistersOnceOneIsAppointed() throws Exception {
    assertThat(actor.call(() -> link.state()).get()).isEqualTo(MasterLink.State.DISCONNECTED);
    assertThat(actor.call(() -> link.master()).get()).isEmpty();
    assertThat(a.connectionCount()).isZero();

    detector.appoint(Optional.of(info(a)));
    a.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    a.send(SlaveRegisteredMessage.newBuilder().setSlaveId(ID).build());
    Awaitility.await().atMost(WAIT).until(() -> recorder.registrations.size() == 1);
    assertThat(recorder.registrations).containsExactly("registered");
    assertThat(b.connectionCount()).isZero();
  }

  @Test
  void followsANewLeaderAndIgnoresWhatStillComesFromTheOldOne() throws Exception {
    detector.appoint(Optional.of(info(a)));
    a.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    a.send(SlaveRegisteredMessage.newBuilder().setSlaveId(ID).build());
    Awaitility.await().atMost(WAIT).until(() -> recorder.registrations.size() == 1);
    a.send(kill("from-a-while-leading"));
    Awaitility.await().atMost(WAIT).until(() -> recorder.kills.size() == 1);
    Connection toA = agentEnds.get(a.address().getPort());

    recorder.id = ID; // the agent has an id now: it re-registers
    detector.appoint(Optional.of(info(b)));
    ReregisterSlaveMessage reregister = b.await(ReregisterSlaveMessage.getDefaultInstance(), 1);
    assertThat(reregister.getSlave().getId()).isEqualTo(ID);
    assertThat(recorder.registrations).containsExactly("registered", "disconnected");
    Awaitility.await().atMost(WAIT).until(() -> !toA.isOpen());
    b.send(SlaveReregisteredMessage.newBuilder().setSlaveId(ID).build());
    Awaitility.await().atMost(WAIT).until(() -> recorder.registrations.size() == 3);
    assertThat(recorder.registrations).containsExactly("registered", "disconnected", "reregistered");

    // A message read from the old master's connection that reaches the link after the switch (Mesos' spoofed
    // message of FaultToleranceTest.SplitBrainMasters) is dropped; the same message from the leader is handled.
    link.onMessage(toA, MessageDispatcher.envelope(kill("from-a-after-the-switch")));
    b.send(kill("from-b"));
    Awaitility.await().atMost(WAIT).until(() -> recorder.kills.size() == 2);
    actor.call(() -> null).get();
    assertThat(recorder.kills).containsExactly("from-a-while-leading", "from-b");
    assertThat(a.count(ReregisterSlaveMessage.getDefaultInstance())).isZero();
  }

  @Test
  void losingTheLeaderDisconnectsAndWaits() throws Exception {
    detector.appoint(Optional.of(info(a)));
    a.await(RegisterSlaveMessage.getDefaultInstance(), 1);
    a.send(SlaveRegisteredMessage.newBuilder().setSlaveId(ID).build());
    Awaitility.await().atMost(WAIT).until(() -> recorder.registrations.size() == 1);

    detector.appoint(Optional.empty());
    Awaitility.await().atMost(WAIT).until(() -> recorder.registrations.size() == 2);
    assertThat(actor.call(() -> link.state()).get()).isEqualTo(MasterLink.State.DISCONNECTED);
    assertThat(actor.call(() -> link.send(kill("dropped"))).get()).isFalse();
    Connection toA = agentEnds.get(a.address().getPort());
    Awaitility.await().atMost(WAIT).until(() -> !toA.isOpen());
    assertThat(a.connectionCount()).isEqualTo(1);
  }

  private static KillTaskMessage kill(String task) {
    return KillTaskMessage.newBuilder().setTaskId(TaskID.newBuilder().setValue(task))
        .setFrameworkId(org.apache.mesos.Protos.FrameworkID.newBuilder().setValue("fw")).build();
  }

  private static MasterInfo info(FakeMaster master) {
    return MasterEndpoints.standaloneInfo(master.address());
  }

  /** The agent's side of the link, recording what it hears. */
  private static final class Recorder implements MasterLink.Listener {
    final List<String> registrations = new CopyOnWriteArrayList<>();
    final List<String> kills = new CopyOnWriteArrayList<>();
    volatile SlaveID id;

    @Override
    public Message registration() {
      org.apache.mesos.Protos.SlaveInfo.Builder slave = org.apache.mesos.Protos.SlaveInfo.newBuilder()
          .setHostname("agent");
      if (id == null) {
        return RegisterSlaveMessage.newBuilder().setSlave(slave).build();
      }
      return ReregisterSlaveMessage.newBuilder().setSlave(slave.setId(id)).build();
    }

    @Override
    public void registered(SlaveID slaveId, boolean reregistered, SlaveReregisteredMessage details) {
      registrations.add(reregistered ? "reregistered" : "registered");
    }

    @Override
    public void disconnected() {
      registrations.add("disconnected");
    }

    @Override
    public void shutdown(String message) {
      registrations.add("shutdown");
    }
  }
}
