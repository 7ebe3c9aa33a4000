package io.jmesos.executor.checks;

import io.jmesos.executor.CommandArgv;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.HealthCheck;
import org.apache.mesos.Protos.NetworkInfo;

/**
 * The probes of a command task's checks, run from the executor's side of the task as Mesos' command executor
 * runs them (it shares the task's network namespace): a COMMAND check is a shell command (or an executable) in
 * the task's sandbox with the given environment plus the check's own variables, its output appended to the
 * sandbox's {@code stderr}; an HTTP check is a GET of {@code scheme://127.0.0.1:port/path} ({@code [::1]} for
 * IPv6) following redirects, its status code the result ({@code https} trusts any certificate, as Mesos'
 * {@code curl -k}); a TCP check is a connection to {@code 127.0.0.1:port}. Aborting a command kills its whole
 * process tree; aborting a connection closes it.
 *
 * <p>Thread-safe. Every blocking step (fork, connect, read) runs on the given pool.
 */
public final class LocalProbes {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static volatile ExecutorService defaultPool;

  private final Map<String, String> environment;
  private final File workDir;
  private final ProcessBuilder.Redirect output;
  private final UnaryOperator<List<String>> wrapper;
  private final Executor blocking;

  /**
   * @param environment the environment of a check command before the check's own variables
   * @param workDir the directory a check command runs in (the sandbox), or null for the current one
   * @param output where a check command's standard output and error go
   * @param wrapper turns a check command's argv into the argv to run (to switch user, say)
   * @param blocking the pool for forks and connections
   */
  public LocalProbes(Map<String, String> environment, File workDir, ProcessBuilder.Redirect output,
      UnaryOperator<List<String>> wrapper, Executor blocking) {
    this.environment = Map.copyOf(environment);
    this.workDir = workDir;
    this.output = Objects.requireNonNull(output, "output");
    this.wrapper = Objects.requireNonNull(wrapper, "wrapper");
    this.blocking = Objects.requireNonNull(blocking, "blocking");
  }

  /** The output of check commands appended to {@code <sandbox>/stderr}, or discarded without a sandbox. */
  public static ProcessBuilder.Redirect sandboxStderr(File sandbox) {
    return sandbox == null ? ProcessBuilder.Redirect.DISCARD
        : ProcessBuilder.Redirect.appendTo(new File(sandbox, "stderr"));
  }

  /** A process-wide pool of daemon threads named {@code check-probe-N}, idle ones ending after a minute. */
  public static Executor defaultPool() {
    ExecutorService pool = defaultPool;
    if (pool == null) {
      synchronized (LocalProbes.class) {
        pool = defaultPool;
        if (pool == null) {
          pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "check-probe-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
          defaultPool = pool;
        }
      }
    }
    return pool;
  }

  /** The probe of a (general) check. */
  public Probe forCheck(CheckInfo check) {
    Duration backstop = backstop(CheckTiming.of(check));
    switch (check.getType()) {
      case COMMAND:
        return command(check.getCommand().getCommand());
      case HTTP:
        return http("http", false, check.getHttp().getPort(), check.getHttp().getPath(), backstop);
      case TCP:
        return tcp(false, check.getTcp().getPort(), backstop);
      default:
        throw new IllegalArgumentException("'" + check.getType() + "' is not a valid check type");
    }
  }

  /** The probe of a health check. */
  public Probe forHealthCheck(HealthCheck check) {
    Duration backstop = backstop(CheckTiming.of(check));
    switch (check.getType()) {
      case COMMAND:
        return command(check.getCommand());
      case HTTP: {
        HealthCheck.HTTPCheckInfo http = check.getHttp();
        return http(http.hasScheme() ? http.getScheme() : "http", http.getProtocol() == NetworkInfo.Protocol.IPv6,
            http.getPort(), http.getPath(), backstop);
      }
      case TCP:
        return tcp(check.getTcp().getProtocol() == NetworkInfo.Protocol.IPv6, check.getTcp().getPort(),
            backstop);
      default:
        throw new IllegalArgumentException("'" + check.getType() + "' is not a valid health check type");
    }
  }

  /**
   * How long a connection may block on its own: a second past the check's timeout (the check aborts it first;
   * this only bounds a thread that missed the abort), or forever without a timeout.
   */
  private static Duration backstop(CheckTiming timing) {
    return timing.timeout == null ? Duration.ZERO : timing.timeout.plusSeconds(1);
  }

  Probe command(CommandInfo command) {
    return new Probe() {
      @Override
      public CompletableFuture<CheckStatusInfo> start() {
        CompletableFuture<CheckStatusInfo> result = new CompletableFuture<>();
        blocking.execute(() -> runCommand(command, result));
        return result;
      }

      @Override
      public String subject() {
        return "Command";
      }
    };
  }

  private void runCommand(CommandInfo command, CompletableFuture<CheckStatusInfo> result) {
    if (result.isDone()) {
      return;
    }
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(wrapper.apply(CommandArgv.of(command, "/bin/sh")))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(output)
          .redirectError(output);
      if (workDir != null) {
        builder.directory(workDir);
      }
      Map<String, String> env = new LinkedHashMap<>(environment);
      for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
        if (v.getType() != Environment.Variable.Type.SECRET) {
          env.put(v.getName(), v.getValue());
        }
      }
      builder.environment().clear();
      builder.environment().putAll(env);
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(new ProbeException("Failed to create subprocess: " + e.getMessage(), e));
      return;
    }
    result.whenComplete((status, error) -> {
      if (result.isCancelled()) {
        killTree(process);
      }
    });
    process.onExit().thenAccept(exited -> result.complete(CheckStatusInfo.newBuilder()
        .setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckStatusInfo.Command.newBuilder().setExitCode(exited.exitValue()))
        .build()));
  }

  /** SIGKILL to the process and every descendant, the tree captured before anything dies. */
  static void killTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    for (ProcessHandle p : tree) {
      p.destroyForcibly();
    }
  }

  Probe http(String scheme, boolean ipv6, int port, String path, Duration backstop) {
    return new Probe() {
      @Override
      public CompletableFuture<CheckStatusInfo> start() {
        CompletableFuture<CheckStatusInfo> result = new CompletableFuture<>();
        blocking.execute(() -> get(scheme + "://" + (ipv6 ? "[::1]" : "127.0.0.1") + ":" + port + path, backstop,
            result));
        return result;
      }

      @Override
      public String subject() {
        return "HTTP request";
      }
    };
  }

  private static void get(String url, Duration backstop, CompletableFuture<CheckStatusInfo> result) {
    if (result.isDone()) {
      return;
    }
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
      HttpURLConnection c = connection;
      result.whenComplete((status, error) -> {
        if (result.isCancelled()) {
          c.disconnect();
        }
      });
      if (connection instanceof HttpsURLConnection) {
        trustAnything((HttpsURLConnection) connection);
      }
      connection.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, backstop.toMillis()));
      connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, backstop.toMillis()));
      connection.setUseCaches(false);
      connection.setInstanceFollowRedirects(true);
      connection.setRequestMethod("GET");
      int code = connection.getResponseCode();
      if (code < 0) {
        result.completeExceptionally(new ProbeException("Unexpected response to GET " + url));
        return;
      }
      result.complete(CheckStatusInfo.newBuilder()
          .setType(CheckInfo.Type.HTTP)
          .setHttp(CheckStatusInfo.Http.newBuilder().setStatusCode(code))
          .build());
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(new ProbeException("GET " + url + " failed: " + e, e));
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** As {@code curl -k}: any certificate, any host name. */
  private static void trustAnything(HttpsURLConnection connection) throws IOException {
    X509TrustManager any = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // Trusted: the check runs against the task's own endpoint.
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // Trusted: the check runs against the task's own endpoint.
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {any}, new SecureRandom());
      connection.setSSLSocketFactory(context.getSocketFactory());
      connection.setHostnameVerifier((host, session) -> true);
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot set up TLS: " + e.getMessage(), e);
    }
  }

  Probe tcp(boolean ipv6, int port, Duration backstop) {
    return new Probe() {
      @Override
      public CompletableFuture<CheckStatusInfo> start() {
        CompletableFuture<CheckStatusInfo> result = new CompletableFuture<>();
        blocking.execute(() -> connect(ipv6, port, backstop, result));
        return result;
      }

      @Override
      public String subject() {
        return "TCP connection";
      }
    };
  }

  private static void connect(boolean ipv6, int port, Duration backstop, CompletableFuture<CheckStatusInfo> result) {
    if (result.isDone()) {
      return;
    }
    boolean connected;
    try (Socket socket = new Socket()) {
      result.whenComplete((status, error) -> {
        if (result.isCancelled()) {
          closeQuietly(socket);
        }
      });
      InetAddress host = InetAddress.getByName(ipv6 ? "::1" : "127.0.0.1");
      socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, backstop.toMillis()));
      connected = true;
    } catch (IOException | RuntimeException e) {
      // As Mesos' mesos-tcp-connect: whatever went wrong, the connection failed.
      connected = false;
    }
    result.complete(CheckStatusInfo.newBuilder()
        .setType(CheckInfo.Type.TCP)
        .setTcp(CheckStatusInfo.Tcp.newBuilder().setSucceeded(connected))
        .build());
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing to abort: nothing more to do.
    }
  }
}
