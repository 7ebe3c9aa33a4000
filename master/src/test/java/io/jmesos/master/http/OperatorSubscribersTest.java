package io.jmesos.master.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.Actor;
import io.jmesos.actor.ManualClock;
import io.jmesos.allocator.SimpleAllocator;
import io.jmesos.http.EventStream;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.registry.Registrar;
import io.jmesos.master.registry.RegistryStores;
import io.jmesos.master.state.MasterState;
import io.jmesos.recordio.RecordIO;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.v1.master.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The operator event stream's bounds, on a master context with streams whose backlog the test sets. */
@Timeout(30)
class OperatorSubscribersTest {
  private final ManualClock clock = new ManualClock();
  private final Actor actor = new Actor("operator-subscribers-test", clock);

  @AfterEach
  void stop() {
    actor.close();
  }

  private MasterContext context(Map<String, String> flags) throws Exception {
    MasterFlags masterFlags = MasterFlags.of(flags);
    MasterInfo info = MasterInfo.newBuilder().setId("m").setIp(0x0100007f).setPort(5050).setVersion("1.11.0")
        .build();
    Registrar registrar = new Registrar(actor, RegistryStores.create(masterFlags), Duration.ofSeconds(5),
        Duration.ofSeconds(5), failure -> { });
    return actor.call(() -> new MasterContext(actor, masterFlags, new MasterState(info, 0),
        new SimpleAllocator(clock), registrar)).get(10, TimeUnit.SECONDS);
  }

  private void onActor(Runnable task) throws Exception {
    actor.call(() -> {
      task.run();
      return null;
    }).get(10, TimeUnit.SECONDS);
  }

  /** A subscriber whose unread backlog passes the bound is disconnected; a reading one keeps its stream. */
  @Test
  void slowSubscriberIsDisconnectedOnceItsBacklogPassesTheBound() throws Exception {
    MasterContext ctx = context(Map.of("registry", "in_memory"));
    OperatorSubscribers subscribers = new OperatorSubscribers(ctx, new OperatorState(ctx), 1000);
    FakeStream slow = new FakeStream();
    FakeStream reading = new FakeStream();
    onActor(() -> {
      subscribers.subscribe(slow.responder(), true);
      subscribers.subscribe(reading.responder(), false);
    });
    assertThat(subscribers.size()).isEqualTo(2);
    assertThat(decode(slow.chunks.get(0), true).getType()).isEqualTo(Event.Type.SUBSCRIBED);

    slow.pending = 1001;
    onActor(() -> subscribers.agentRemoved(SlaveID.newBuilder().setValue("a1").build()));

    assertThat(slow.closed).isTrue();
    assertThat(slow.chunks).hasSize(1);
    assertThat(ctx.state.metrics.slowOperatorSubscribersDisconnected).isEqualTo(1);
    assertThat(reading.closed).isFalse();
    assertThat(reading.chunks).hasSize(2);
    Event removed = decode(reading.chunks.get(1), false);
    assertThat(removed.getType()).isEqualTo(Event.Type.AGENT_REMOVED);
    assertThat(removed.getAgentRemoved().getAgentId().getValue()).isEqualTo("a1");
    assertThat(subscribers.size()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(15));
    onActor(() -> { });
    assertThat(decode(reading.chunks.get(2), false).getType()).isEqualTo(Event.Type.HEARTBEAT);
    assertThat(slow.chunks).hasSize(1);
  }

  /** Mesos' MasterAPITest.MaxEventStreamSubscribers: a subscriber beyond the maximum closes the oldest. */
  @Test
  void subscriberBeyondTheMaximumClosesTheOldest() throws Exception {
    MasterContext ctx = context(Map.of("registry", "in_memory", "max_operator_event_stream_subscribers", "2"));
    OperatorSubscribers subscribers = new OperatorSubscribers(ctx, new OperatorState(ctx));
    FakeStream first = new FakeStream();
    FakeStream second = new FakeStream();
    FakeStream third = new FakeStream();
    onActor(() -> {
      subscribers.subscribe(first.responder(), true);
      subscribers.subscribe(second.responder(), true);
      subscribers.subscribe(third.responder(), true);
    });
    assertThat(first.closed).isTrue();
    assertThat(second.closed).isFalse();
    assertThat(third.closed).isFalse();
    assertThat(subscribers.size()).isEqualTo(2);
  }

  private static Event decode(byte[] chunk, boolean json) throws Exception {
    List<byte[]> records = new RecordIO.Decoder(1 << 20).feed(chunk);
    assertThat(records).hasSize(1);
    if (!json) {
      return Event.parseFrom(records.get(0));
    }
    return io.jmesos.json.MesosJson.parse(new String(records.get(0), java.nio.charset.StandardCharsets.UTF_8),
        Event.newBuilder()).build();
  }

  /** A stream that records what is sent and reports the backlog the test sets. */
  private static final class FakeStream implements EventStream {
    final List<byte[]> chunks = new CopyOnWriteArrayList<>();
    final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    volatile long pending;
    volatile boolean closed;

    HttpResponder responder() {
      return new HttpResponder() {
        @Override
        public void respond(HttpResponse response) {
          throw new AssertionError("expected a stream, got " + response);
        }

        @Override
        public EventStream stream(int status, Map<String, String> headers) {
          assertThat(status).isEqualTo(200);
          return FakeStream.this;
        }
      };
    }

    @Override
    public void send(byte[] chunk) {
      if (!closed) {
        chunks.add(chunk);
      }
    }

    @Override
    public void close() {
      closed = true;
      onClose.forEach(Runnable::run);
    }

    @Override
    public boolean isOpen() {
      return !closed;
    }

    @Override
    public long pendingBytes() {
      return pending;
    }

    @Override
    public void onClose(Runnable callback) {
      onClose.add(callback);
    }
  }
}
