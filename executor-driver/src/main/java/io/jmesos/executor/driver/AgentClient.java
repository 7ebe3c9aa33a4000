package io.jmesos.executor.driver;

import io.jmesos.recordio.RecordIO;
import io.jmesos.tls.TlsContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;

/**
 * A deliberately small blocking HTTP/1.1 client for the executor API ({@code POST /api/v1/executor}): a
 * command executor must start fast, so it uses plain sockets instead of Netty. Calls use one short-lived
 * connection each; the SUBSCRIBE stream has a connection and a named reader thread of its own that decodes
 * RecordIO records and hands them to a listener.
 *
 * <p>Thread-safe: {@link #post} blocks its caller (the driver's sender thread, never the driver's actor).
 */
final class AgentClient {
  static final String PATH = "/api/v1/executor";
  static final String PROTOBUF = "application/x-protobuf";
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int CALL_TIMEOUT_MS = 30_000;
  private static final int MAX_LINE = 8192;
  private static final int MAX_ERROR_BODY = 64 << 10;
  private static final int MAX_EVENT_BYTES = 64 << 20;
  private static final AtomicInteger STREAMS = new AtomicInteger();

  private final InetSocketAddress agent;
  private final String authorization;
  private final TlsContext tls;

  /** {@code authenticationToken} may be null; otherwise it is sent as a bearer token. */
  AgentClient(InetSocketAddress agent, String authenticationToken) {
    this(agent, authenticationToken, TlsContext.disabled());
  }

  /** As above, over TLS when {@code tls} is enabled (the server verified as {@code LIBPROCESS_SSL_*} say). */
  AgentClient(InetSocketAddress agent, String authenticationToken, TlsContext tls) {
    this.tls = tls;
    this.agent = agent;
    this.authorization = authenticationToken == null ? null : "Bearer " + authenticationToken;
  }

  InetSocketAddress agent() {
    return agent;
  }

  /** A complete response to a non-streaming call. */
  static final class Response {
    final int status;
    final String body;

    Response(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  /** Receives the SUBSCRIBE stream, on the stream's reader thread. */
  interface StreamListener {
    /** The agent answered with something other than 200; the stream is over. */
    void onRejected(int status, String body);

    /** The agent accepted the subscription (200); records follow. */
    void onAccepted();

    void onRecord(byte[] record);

    /** The stream ended (EOF or an error); not called after {@link Subscription#close()}. */
    void onClosed(String reason);
  }

  /** An open SUBSCRIBE stream. */
  interface Subscription {
    /** Closes the stream without notifying the listener. Idempotent. */
    void close();
  }

  /** Sends one call and waits for the response. */
  Response post(byte[] body) throws IOException {
    try (Socket socket = connect(CALL_TIMEOUT_MS)) {
      writeRequest(socket.getOutputStream(), body);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      int status = readStatus(in);
      Map<String, String> headers = readHeaders(in);
      byte[] content = readBody(in, headers, MAX_ERROR_BODY);
      return new Response(status, new String(content, StandardCharsets.UTF_8));
    }
  }

  /** Opens the SUBSCRIBE stream on a new reader thread and returns at once. */
  Subscription subscribe(byte[] body, StreamListener listener) {
    SubscribeStream stream = new SubscribeStream(body, listener);
    Thread thread = new Thread(stream, "executor-driver-subscribe-" + STREAMS.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
    return stream;
  }

  /** A connection to the agent, TLS established and the agent verified when TLS is on. */
  private Socket connect(int readTimeoutMs) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(agent, CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(readTimeoutMs);
      if (!tls.enabled()) {
        return socket;
      }
      socket.setSoTimeout(CONNECT_TIMEOUT_MS); // bounds the handshake
      SSLSocket ssl = (SSLSocket) tls.socketFactory().createSocket(socket, agent.getHostString(), agent.getPort(),
          true);
      ssl.startHandshake();
      if (tls.checksServer()) {
        tls.verifyServer(ssl.getSession(), agent, socket.getInetAddress());
      }
      ssl.setSoTimeout(readTimeoutMs);
      return ssl;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private void writeRequest(OutputStream out, byte[] body) throws IOException {
    StringBuilder head = new StringBuilder(256)
        .append("POST ").append(PATH).append(" HTTP/1.1\r\n")
        .append("Host: ").append(agent.getHostString()).append(':').append(agent.getPort()).append("\r\n")
        .append("Content-Type: ").append(PROTOBUF).append("\r\n")
        .append("Accept: ").append(PROTOBUF).append("\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n")
        .append("Connection: close\r\n");
    if (authorization != null) {
      head.append("Authorization: ").append(authorization).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static int readStatus(InputStream in) throws IOException {
    String line = readLine(in);
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("Malformed HTTP status line '" + line + "'");
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("Malformed HTTP status line '" + line + "'", e);
    }
  }

  private static Map<String, String> readHeaders(InputStream in) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    return headers;
  }

  private static boolean chunked(Map<String, String> headers) {
    String te = headers.get("transfer-encoding");
    return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
  }

  /** Reads a whole (small) body: chunked, by Content-Length, or up to EOF; at most {@code max} bytes kept. */
  private static byte[] readBody(InputStream in, Map<String, String> headers, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (chunked(headers)) {
      for (byte[] chunk = readChunk(in); chunk != null; chunk = readChunk(in)) {
        out.write(chunk, 0, Math.min(chunk.length, Math.max(0, max - out.size())));
      }
      return out.toByteArray();
    }
    String length = headers.get("content-length");
    long remaining = length == null ? Long.MAX_VALUE : Long.parseLong(length.trim());
    byte[] buffer = new byte[8192];
    while (remaining > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        break;
      }
      remaining -= n;
      out.write(buffer, 0, Math.min(n, Math.max(0, max - out.size())));
    }
    return out.toByteArray();
  }

  /** Reads one chunk of a chunked body; null at the last (empty) chunk, after its trailers. */
  private static byte[] readChunk(InputStream in) throws IOException {
    String line = readLine(in);
    int semi = line.indexOf(';');
    String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
    int size;
    try {
      size = Integer.parseInt(hex, 16);
    } catch (NumberFormatException e) {
      throw new IOException("Malformed chunk size '" + line + "'", e);
    }
    if (size == 0) {
      while (!readLine(in).isEmpty()) {
        // Trailers are ignored.
      }
      return null;
    }
    byte[] chunk = in.readNBytes(size);
    if (chunk.length < size) {
      throw new EOFException("Stream ended inside a chunk");
    }
    readLine(in);
    return chunk;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("Connection closed by the agent");
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b);
    }
  }

  /** The SUBSCRIBE connection and its reader loop. */
  private final class SubscribeStream implements Runnable, Subscription {
    private final byte[] body;
    private final StreamListener listener;
    private volatile boolean closed;
    private volatile Socket socket;

    SubscribeStream(byte[] body, StreamListener listener) {
      this.body = body;
      this.listener = listener;
    }

    @Override
    public void run() {
      String reason;
      try (Socket s = connect(0)) {
        socket = s;
        if (closed) {
          return;
        }
        writeRequest(s.getOutputStream(), body);
        InputStream in = new BufferedInputStream(s.getInputStream());
        int status = readStatus(in);
        Map<String, String> headers = readHeaders(in);
        if (status != 200) {
          String text = new String(readBody(in, headers, MAX_ERROR_BODY), StandardCharsets.UTF_8);
          if (!closed) {
            listener.onRejected(status, text);
          }
          return;
        }
        listener.onAccepted();
        reason = readEvents(in, headers);
      } catch (IOException | RuntimeException e) {
        reason = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      if (!closed) {
        listener.onClosed(reason);
      }
    }

    private String readEvents(InputStream in, Map<String, String> headers) throws IOException {
      RecordIO.Decoder decoder = new RecordIO.Decoder(MAX_EVENT_BYTES);
      if (chunked(headers)) {
        for (byte[] chunk = readChunk(in); chunk != null && !closed; chunk = readChunk(in)) {
          deliver(decoder.feed(chunk));
        }
      } else {
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0 && !closed; n = in.read(buffer)) {
          deliver(decoder.feed(buffer, 0, n));
        }
      }
      return "End-Of-File received from agent. The agent closed the event stream";
    }

    private void deliver(java.util.List<byte[]> records) {
      for (byte[] record : records) {
        if (closed) {
          return;
        }
        listener.onRecord(record);
      }
    }

    @Override
    public void close() {
      closed = true;
      Socket s = socket;
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          // Closing a socket we abandon; nothing to report.
        }
      }
    }
  }
}
