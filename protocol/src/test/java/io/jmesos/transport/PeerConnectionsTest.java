package io.jmesos.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The count of HTTP connections that the idle reaping decides on. */
class PeerConnectionsTest {
  @Test
  void twoIdleConnectionsAtOnceAboveAThresholdOfOneLeaveOneOpen() {
    PeerConnections peers = new PeerConnections("test", Limits.DEFAULT);
    EmbeddedChannel first = new EmbeddedChannel();
    EmbeddedChannel second = new EmbeddedChannel();
    peers.http(first);
    peers.http(second);
    assertThat(peers.httpConnections()).isEqualTo(2);

    // Both idle at the same moment, neither closed yet: only one may go.
    assertThat(peers.reapHttp(first, 1)).isTrue();
    assertThat(peers.reapHttp(second, 1)).isFalse();
    assertThat(peers.httpConnections()).isEqualTo(1);

    // The reaped one's close does not count it a second time; a connection asked twice is reaped once.
    first.close();
    assertThat(peers.httpConnections()).isEqualTo(1);
    assertThat(peers.reapHttp(first, 0)).isFalse();
    assertThat(peers.httpConnections()).isEqualTo(1);
    second.close();
    assertThat(peers.httpConnections()).isZero();
    assertThat(peers.reapHttp(second, 0)).isFalse();
    assertThat(peers.httpConnections()).isZero();
  }
}
