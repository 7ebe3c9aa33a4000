package io.jmesos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jmesos.actor.MessageDispatcher;
import io.jmesos.internal.Messages;
import io.jmesos.transport.Connection;
import io.jmesos.transport.ConnectionHandler;
import io.jmesos.transport.Limits;
import io.jmesos.transport.TransportFuzzing;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * The internal protocol as a server reads it after the preamble: varint-framed envelopes, each payload parsed as
 * the message its type names (as the master's and the agent's dispatch tables do). Any bytes end in envelopes
 * dispatched or dropped, or the connection closed (a bad length, a frame too large, a malformed envelope); no
 * exception reaches the handler's caller, and the bytes in flight return to zero once the connection is gone.
 */
@Timeout(120)
class FrameDecoderFuzzTest {
  private static final TransportFuzzing SERVER = new TransportFuzzing(Limits.DEFAULT.withMaxFrameBytes(1 << 16));
  private static final MessageDispatcher<Connection> DISPATCHER = new MessageDispatcher<Connection>("fuzz")
      .install(Messages.RegisterSlaveMessage.getDefaultInstance(), (c, m) -> m.getSlave().getHostname())
      .install(Messages.ReregisterSlaveMessage.getDefaultInstance(), (c, m) -> m.getTasksCount())
      .install(Messages.StatusUpdateMessage.getDefaultInstance(), (c, m) -> m.getUpdate().getStatus().getState())
      .install(Messages.RunTaskGroupMessage.getDefaultInstance(), (c, m) -> m.getTaskGroup().getTasksCount())
      .install(Messages.ExitedExecutorMessage.getDefaultInstance(), (c, m) -> m.getStatus())
      .install(Messages.PongSlaveMessage.getDefaultInstance(), (c, m) -> { });
  private static final AtomicInteger DISPATCHED = new AtomicInteger();

  @BeforeAll
  static void quiet() {
    FuzzSupport.quiet();
  }

  @AfterAll
  static void restore() {
    FuzzSupport.restore();
  }

  @FuzzTest(maxDuration = "10s")
  void frames(byte[] data) {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    ConnectionHandler handler = new ConnectionHandler() {
      @Override
      public void onConnect(Connection connection) {}

      @Override
      public void onMessage(Connection connection, Messages.Envelope envelope) {
        try {
          DISPATCHER.dispatch(connection, envelope);
          DISPATCHED.incrementAndGet();
        } catch (RuntimeException e) {
          failure.set(e); // the transport would close the connection: the test fails instead
          throw e;
        }
      }

      @Override
      public void onDisconnect(Connection connection) {}
    };
    EmbeddedChannel channel = SERVER.internal(handler);
    // Two reads, split in the middle: a frame may straddle them.
    int half = data.length / 2;
    channel.writeInbound(Unpooled.wrappedBuffer(data, 0, half));
    if (channel.isActive()) {
      channel.writeInbound(Unpooled.wrappedBuffer(data, half, data.length - half));
    }
    channel.checkException();
    channel.finishAndReleaseAll();
    if (failure.get() != null) {
      throw failure.get();
    }
    assertThat(SERVER.bytesInFlight()).isZero();
  }
}
