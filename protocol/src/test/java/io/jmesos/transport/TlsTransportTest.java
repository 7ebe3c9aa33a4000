package io.jmesos.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.tls.TestCertificates;
import io.jmesos.tls.TlsContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on a {@link MesosServer} and its clients, after libprocess' {@code ssl_tests.cpp}: HTTP and the internal
 * protocol over TLS, downgrades, certificate verification both ways, a silent client (MESOS-10114), protocol
 * versions. Certificates are made at run time.
 */
@Timeout(120)
class TlsTransportTest {
  @TempDir
  static Path dir;
  static TestCertificates ca;
  static TestCertificates.Issued server;
  static TestCertificates.Issued client;

  private final AtomicInteger served = new AtomicInteger();
  private final List<Envelope> received = new CopyOnWriteArrayList<>();
  private MesosServer mesos;
  private HttpClient http;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.authority(dir, "trusted");
    server = ca.issue("server");
    client = ca.issue("client");
  }

  private InetSocketAddress start(TlsContext tls) throws InterruptedException {
    HttpRouter router = new HttpRouter().route((req, resp) -> {
      served.incrementAndGet();
      resp.respond(HttpResponse.text(200, "echo:" + req.bodyText()));
    }, "/echo");
    ConnectionHandler internal = new ConnectionHandler() {
      @Override
      public void onConnect(Connection connection) {}

      @Override
      public void onMessage(Connection connection, Envelope envelope) {
        received.add(envelope);
        connection.send(PongSlaveMessage.getDefaultInstance());
      }

      @Override
      public void onDisconnect(Connection connection) {}
    };
    mesos = new MesosServer("tls-test", new InetSocketAddress("127.0.0.1", 0), router, internal,
        Limits.DEFAULT.withIdentifyTimeout(Duration.ofSeconds(2)), MessageTap.NONE, tls);
    return mesos.start();
  }

  private HttpResponse echo(TlsContext tls, InetSocketAddress address) throws Exception {
    http = new HttpClient("tls-client", tls);
    return http.post(address, "/echo", "text/plain", "hi".getBytes(StandardCharsets.UTF_8), Map.of())
        .get(20, TimeUnit.SECONDS);
  }

  /** A client verifying the server as docs/ssl.md recommends: openssl scheme, IP names accepted. */
  private static TlsContext verifyingClient() {
    return client.context("VERIFY_SERVER_CERT", "true", "HOSTNAME_VALIDATION_SCHEME", "openssl",
        "VERIFY_IPADD", "true");
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    if (mesos != null) {
      mesos.close();
    }
  }

  @Test
  void httpOverTls() throws Exception {
    InetSocketAddress address = start(server.context());
    HttpResponse r = echo(verifyingClient(), address);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("echo:hi");
    assertThat(http.scheme()).isEqualTo("https");
  }

  @Test
  void internalProtocolOverTls() throws Exception {
    InetSocketAddress address = start(server.context());
    List<Envelope> replies = new CopyOnWriteArrayList<>();
    try (MessageClient agent = new MessageClient("agent", Limits.DEFAULT, (c, e) -> replies.add(e),
        MessageTap.NONE, verifyingClient())) {
      Connection c = agent.connect(address).get(20, TimeUnit.SECONDS);
      c.send(PingSlaveMessage.newBuilder().setConnected(true).build());
      await().atMost(Duration.ofSeconds(10)).until(() -> !replies.isEmpty());
    }
    assertThat(received).hasSize(1);
    assertThat(received.get(0).getType()).isEqualTo(PingSlaveMessage.getDescriptor().getFullName());
    assertThat(replies.get(0).getType()).isEqualTo(PongSlaveMessage.getDescriptor().getFullName());
  }

  @Test
  void plainClientIsRefusedWithoutDowngrade() throws Exception {
    InetSocketAddress address = start(server.context());
    assertThatThrownBy(() -> echo(TlsContext.disabled(), address)).isInstanceOf(ExecutionException.class);
    // On the wire: the request is not answered, the connection is closed.
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(served).hasValue(0);
  }

  @Test
  void plainAndTlsClientsAreBothAcceptedWithDowngrade() throws Exception {
    InetSocketAddress address = start(server.context("SUPPORT_DOWNGRADE", "true"));
    assertThat(echo(TlsContext.disabled(), address).status()).isEqualTo(200);
    http.close();
    assertThat(echo(verifyingClient(), address).status()).isEqualTo(200);
    List<Envelope> replies = new CopyOnWriteArrayList<>();
    try (MessageClient agent = new MessageClient("agent", Limits.DEFAULT, (c, e) -> replies.add(e))) {
      agent.connect(address).get(20, TimeUnit.SECONDS).send(PingSlaveMessage.newBuilder().setConnected(true)
          .build());
      await().atMost(Duration.ofSeconds(10)).until(() -> !replies.isEmpty());
    }
    assertThat(served).hasValue(2);
  }

  @Test
  void untrustedServerCertificateIsRefusedByAVerifyingClient() throws Exception {
    TestCertificates other = TestCertificates.authority(dir, "untrusted");
    InetSocketAddress address = start(other.issue("impostor").context());
    assertThatThrownBy(() -> echo(verifyingClient(), address))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SSLException.class);
    assertThat(served).hasValue(0);
    // jmesos' default client verifies too; with verification turned off (libprocess' default) it connects.
    http.close();
    assertThatThrownBy(() -> echo(client.context(), address))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SSLException.class);
    http.close();
    assertThat(served).hasValue(0);
    assertThat(echo(client.context("VERIFY_SERVER_CERT", "false"), address).status()).isEqualTo(200);
  }

  @Test
  void serverCertificateForAnotherNameIsRefused() throws Exception {
    InetSocketAddress address = start(ca.issue("elsewhere", List.of("elsewhere.example"), List.of("10.1.2.3"),
        false).context());
    assertThatThrownBy(() -> echo(verifyingClient(), address))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SSLPeerUnverifiedException.class)
        .hasMessageContaining("doesn't match IP address 127.0.0.1");
    http.close();
    // The openssl scheme refuses a connection made to an IP address unless VERIFY_IPADD is on.
    assertThatThrownBy(() -> echo(client.context("VERIFY_SERVER_CERT", "true", "HOSTNAME_VALIDATION_SCHEME",
        "openssl"), address)).hasMessageContaining("LIBPROCESS_SSL_VERIFY_IPADD is false");
    assertThat(served).hasValue(0);
  }

  @Test
  void hostnameIsValidatedByName() throws Exception {
    InetSocketAddress address = start(server.context());
    // Connected to by name, the certificate's DNS name is what counts (VERIFY_IPADD off).
    http = new HttpClient("tls-client", client.context("VERIFY_SERVER_CERT", "true", "HOSTNAME_VALIDATION_SCHEME",
        "openssl"));
    HttpResponse r = http.get(new InetSocketAddress("localhost", address.getPort()), "/echo")
        .get(20, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void requiredClientCertificateIsRefusedWhenMissing() throws Exception {
    InetSocketAddress address = start(server.context("REQUIRE_CLIENT_CERT", "true",
        "HOSTNAME_VALIDATION_SCHEME", "openssl"));
    // A TLS client without a certificate (as curl without --cert).
    SSLContext anonymous = SSLContext.getInstance("TLS");
    anonymous.init(null, new TrustManager[] {trustAll()}, null);
    try (SSLSocket s = (SSLSocket) anonymous.getSocketFactory().createSocket("127.0.0.1", address.getPort())) {
      s.setSoTimeout(10_000);
      s.setEnabledProtocols(new String[] {"TLSv1.2"});
      assertThatThrownBy(() -> {
        s.startHandshake();
        s.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        int b = s.getInputStream().read();
        if (b == -1) {
          throw new SSLException("closed");
        }
      }).isInstanceOf(java.io.IOException.class);
    }
    assertThat(served).hasValue(0);
    // With a certificate the authority signed, the request is served.
    assertThat(echo(verifyingClient(), address).status()).isEqualTo(200);
    // One signed by an unknown authority is refused.
    http.close();
    TestCertificates.Issued stranger = TestCertificates.authority(dir, "stranger-ca").issue("stranger");
    assertThatThrownBy(() -> echo(stranger.context(), address)).isInstanceOf(ExecutionException.class);
    assertThat(served).hasValue(1);
  }

  @Test
  void silentClientDoesNotBlockAnotherClientsHandshake() throws Exception {
    InetSocketAddress address = start(server.context());
    try (Socket silent = new Socket(address.getAddress(), address.getPort());
        Socket halfHello = new Socket(address.getAddress(), address.getPort())) {
      // One says nothing (MESOS-10114); the other starts a TLS record and stops.
      halfHello.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
      halfHello.getOutputStream().flush();
      long start = System.nanoTime();
      assertThat(echo(verifyingClient(), address).status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      // Both are dropped once the identification timeout (2 s here) passes.
      assertClosedWithin(silent, Duration.ofSeconds(10));
      assertClosedWithin(halfHello, Duration.ofSeconds(10));
    }
  }

  private static void assertClosedWithin(Socket s, Duration limit) throws Exception {
    s.setSoTimeout((int) limit.toMillis());
    InputStream in = s.getInputStream();
    try {
      assertThat(in.read()).isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + limit, e);
    }
  }

  @Test
  void tlsVersionsFollowTheEnableFlags() throws Exception {
    InetSocketAddress address = start(server.context("ENABLE_TLS_V1_2", "false", "ENABLE_TLS_V1_3", "true"));
    // Mesos' default client offers TLS 1.2 only: no common version.
    assertThatThrownBy(() -> echo(client.context(), address)).isInstanceOf(ExecutionException.class);
    assertThat(negotiated(client.context("ENABLE_TLS_V1_3", "true"), address)).isEqualTo("TLSv1.3");
    http.close();
    assertThat(echo(client.context("ENABLE_TLS_V1_2", "false", "ENABLE_TLS_V1_3", "true"), address).status())
        .isEqualTo(200);
    mesos.close();
    InetSocketAddress tls12 = start(server.context());
    assertThat(negotiated(client.context("ENABLE_TLS_V1_3", "true"), tls12)).isEqualTo("TLSv1.2");
  }

  private static String negotiated(TlsContext tls, InetSocketAddress address) throws Exception {
    try (SSLSocket s = (SSLSocket) tls.socketFactory().createSocket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      OutputStream out = s.getOutputStream();
      out.write("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(response).startsWith("HTTP/1.1 200");
      return s.getSession().getProtocol();
    }
  }

  private static X509TrustManager trustAll() {
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
  }
}
