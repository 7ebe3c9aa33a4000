package io.jmesos.dist.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients that behave as an attacker would, against a running master, to measure what they cost it (see
 * docs/security.md, "Hardened inputs"). Each scenario prints what it did and what the master looked like
 * after (its resident memory and open files with {@code --pid}, whether the port still answers).
 *
 * <p>Usage: {@code bin/mesos-bench hostile SCENARIO --master=HOST:PORT [--pid=PID] [options]}:
 * <ul>
 *   <li>{@code half-headers [--connections=5000] [--wait=20]}: connections that send half a request header
 *       and then nothing; counts how many the master still holds open after {@code wait} seconds;
 *   <li>{@code bodies [--connections=397] [--mb=15] [--wait=10]}: connections that each send a request
 *       declaring an N MiB body and all of it but the last byte, then hold;
 *   <li>{@code slow-scheduler [--calls=2000] [--tasks=1000]}: a framework that subscribes and never reads its
 *       event stream while it sends RECONCILE calls (each for that many unknown tasks) on other connections.
 * </ul>
 * Not a test: run by hand against a master of one's own.
 */
public final class HostileClients {
  private final InetSocketAddress master;
  private final long pid;
  private final Map<String, String> options;

  private HostileClients(InetSocketAddress master, long pid, Map<String, String> options) {
    this.master = master;
    this.pid = pid;
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("Usage: mesos-bench hostile half-headers|bodies|slow-scheduler --master=HOST:PORT "
          + "[--pid=PID] [--connections=N] [--mb=N] [--wait=SECS] [--calls=N] [--tasks=N]");
      System.exit(2);
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].replaceFirst("^--", "").split("=", 2);
      options.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    String[] hostPort = options.getOrDefault("master", "127.0.0.1:5050").split(":");
    HostileClients h = new HostileClients(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])),
        Long.parseLong(options.getOrDefault("pid", "0")), options);
    switch (args[0]) {
      case "half-headers" -> h.halfHeaders();
      case "bodies" -> h.bodies();
      case "slow-scheduler" -> h.slowScheduler();
      default -> throw new IllegalArgumentException("Unknown scenario " + args[0]);
    }
  }

  private int option(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
  }

  private void halfHeaders() throws Exception {
    int n = option("connections", 5000);
    List<SocketChannel> channels = new ArrayList<>();
    byte[] half = "POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Ty".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < n; i++) {
      try {
        SocketChannel c = SocketChannel.open(master);
        c.write(ByteBuffer.wrap(half));
        c.configureBlocking(false);
        channels.add(c);
      } catch (IOException e) {
        System.out.printf("connection %d failed: %s%n", i, e);
        break;
      }
    }
    System.out.printf("opened %d half-header connections; master %s%n", channels.size(), masterStats());
    int waitSecs = option("wait", 20);
    long start = System.nanoTime();
    for (int t = 0; t <= waitSecs; t += 5) {
      long deadline = start + TimeUnit.SECONDS.toNanos(t);
      while (System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      System.out.printf("after %2d s: %d still open; %s; master %s%n", t, countOpen(channels), health(),
          masterStats());
    }
    for (SocketChannel c : channels) {
      c.close();
    }
  }

  private static int countOpen(List<SocketChannel> channels) {
    int open = 0;
    ByteBuffer sink = ByteBuffer.allocate(4096);
    for (SocketChannel c : channels) {
      try {
        int n = 0;
        while (c.isOpen() && n >= 0) {
          sink.clear();
          n = c.read(sink); // an answer (408) then the end, or nothing yet
          if (n == 0) {
            open++;
            break;
          }
        }
      } catch (IOException e) {
        // reset by the master: closed
      }
    }
    return open;
  }

  private void bodies() throws Exception {
    int n = option("connections", 397);
    long size = option("mb", 15) * (1L << 20);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Socket> sockets = new ArrayList<>();
    List<Future<String>> sent = new ArrayList<>();
    byte[] chunk = new byte[64 << 10];
    for (int i = 0; i < n; i++) {
      Socket s = new Socket();
      sockets.add(s);
      sent.add(pool.submit(() -> {
        s.connect(master, 5000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (long left = size - 1; left > 0; left -= chunk.length) {
          out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        out.flush();
        return "held";
      }));
    }
    Map<String, Integer> outcomes = new HashMap<>();
    for (Future<String> f : sent) {
      String outcome;
      try {
        outcome = f.get(120, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        outcome = "failed: " + e.getCause().getClass().getSimpleName();
      }
      outcomes.merge(outcome, 1, Integer::sum);
    }
    pool.shutdown();
    System.out.printf("%d connections x %d MiB body less one byte: %s; master %s%n", n, size >> 20, outcomes,
        masterStats());
    int waitSecs = option("wait", 10);
    TimeUnit.SECONDS.sleep(waitSecs);
    Map<String, Integer> answers = new HashMap<>();
    for (Socket s : sockets) {
      answers.merge(firstLine(s), 1, Integer::sum);
    }
    System.out.printf("after %d s: answers %s; %s; master %s%n", waitSecs, answers, health(), masterStats());
    for (Socket s : sockets) {
      s.close();
    }
  }

  private static String firstLine(Socket s) {
    try {
      s.setSoTimeout(50);
      InputStream in = s.getInputStream();
      byte[] head = new byte[12];
      int n = in.readNBytes(head, 0, head.length);
      return n <= 0 ? "closed" : new String(head, 0, n, StandardCharsets.US_ASCII).trim();
    } catch (java.net.SocketTimeoutException e) {
      return "no answer (open)";
    } catch (IOException e) {
      return "reset";
    }
  }

  /**
   * "open" while the master keeps the stream, else how it ended: reads what the kernel holds (a few KiB, the
   * receive buffer is small) to see whether the end follows.
   */
  private static String streamState(Socket s) {
    try {
      s.setSoTimeout(50);
      byte[] sink = new byte[65536];
      while (s.getInputStream().read(sink) >= 0) {
        // drain
      }
      return "closed by the master";
    } catch (java.net.SocketTimeoutException e) {
      return "open";
    } catch (IOException e) {
      return "reset by the master";
    }
  }

  private void slowScheduler() throws Exception {
    int calls = option("calls", 2000);
    int tasks = option("tasks", 1000);
    Socket subscribe = new Socket();
    subscribe.setReceiveBufferSize(4096);
    subscribe.connect(master, 5000);
    String body = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\",\"name\":\"slow\"}}}";
    subscribe.getOutputStream().write(request("", body).getBytes(StandardCharsets.UTF_8));
    String head = readUntil(subscribe.getInputStream(), "\"framework_id\":{\"value\":\"", 64 << 10);
    Matcher stream = Pattern.compile("(?i)Mesos-Stream-Id: *([^\\r\\n]+)").matcher(head);
    if (!stream.find()) {
      throw new IllegalStateException("No Mesos-Stream-Id in " + head);
    }
    String frameworkId = readUntil(subscribe.getInputStream(), "\"", 256);
    frameworkId = frameworkId.substring(0, frameworkId.length() - 1);
    System.out.printf("subscribed framework %s on stream %s; now reading nothing; master %s%n", frameworkId,
        stream.group(1), masterStats());
    StringBuilder reconcile = new StringBuilder("{\"framework_id\":{\"value\":\"" + frameworkId
        + "\"},\"type\":\"RECONCILE\",\"reconcile\":{\"tasks\":[");
    for (int i = 0; i < tasks; i++) {
      reconcile.append(i == 0 ? "" : ",").append("{\"task_id\":{\"value\":\"t").append(i).append("\"}}");
    }
    String call = request(stream.group(1), reconcile.append("]}}").toString());
    Map<String, Integer> statuses = new HashMap<>();
    try (Socket calling = new Socket()) {
      calling.connect(master, 5000);
      OutputStream out = calling.getOutputStream();
      InputStream in = calling.getInputStream();
      for (int i = 1; i <= calls; i++) {
        out.write(call.getBytes(StandardCharsets.UTF_8));
        String answer = readUntil(in, "\r\n\r\n", 4096);
        statuses.merge(answer.substring(9, 12), 1, Integer::sum);
        Matcher length = Pattern.compile("(?i)Content-Length: *(\\d+)").matcher(answer);
        in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        if (i % (calls / 5) == 0) {
          System.out.printf("%d RECONCILE calls (%d events asked): answers %s; stream %s; master %s%n", i,
              (long) i * tasks, statuses, streamState(subscribe), masterStats());
        }
      }
    }
    subscribe.close();
  }

  private String request(String streamId, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST /api/v1/scheduler HTTP/1.1\r\nHost: " + master.getHostString() + "\r\n"
        + "Content-Type: application/json\r\nAccept: application/json\r\n"
        + (streamId.isEmpty() ? "" : "Mesos-Stream-Id: " + streamId + "\r\n")
        + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
  }

  /** Reads byte by byte until {@code marker} has been read; returns all that was read. */
  private static String readUntil(InputStream in, String marker, int max) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < max) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Connection closed after " + sb);
      }
      sb.append((char) b);
      if (sb.length() >= marker.length() && sb.lastIndexOf(marker) == sb.length() - marker.length()) {
        return sb.toString();
      }
    }
    throw new IOException("No '" + marker + "' in the first " + max + " bytes");
  }

  private String health() {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(master, 5000);
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String line = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return String.format("GET /health: %s in %d ms", line.trim(), (System.nanoTime() - start) / 1_000_000);
    } catch (IOException e) {
      return "GET /health failed: " + e;
    }
  }

  private String masterStats() {
    if (pid <= 0) {
      return "(no --pid)";
    }
    try {
      long rssKb = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
          .findFirst().orElse(-1);
      long fds;
      try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
        fds = list.count();
      }
      return String.format("RSS %d MiB, %d open files", rssKb >> 10, fds);
    } catch (IOException e) {
      return "(stats unavailable: " + e + ")";
    }
  }
}
