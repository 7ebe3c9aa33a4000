package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.Actor;
import io.jmesos.actor.ManualClock;
import io.jmesos.agent.containers.Containerizer;
import io.jmesos.agent.containers.Launcher;
import io.jmesos.agent.executors.AgentContext;
import io.jmesos.agent.executors.AgentMetrics;
import io.jmesos.agent.executors.ExecutorManager;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.agent.status.StatusUpdateManager;
import io.jmesos.http.EventStream;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Agent endpoints whose work fails on the actor still answer: 500 with the reason, never silence. */
@Timeout(30)
class EndpointFailureTest {
  final Actor actor = new Actor("endpoint-failure-test", new ManualClock());

  @AfterEach
  void tearDown() {
    actor.close();
  }

  @Test
  void stateAndMetricsAnswer500WhenRenderingThrows() throws Exception {
    StateEndpoints endpoints = new StateEndpoints(actor, executors(), new AgentMetrics(), () -> {
      throw new IllegalStateException("no slave info");
    }, () -> "master", () -> true, Map.of(), "slave(1)@127.0.0.1:5051",
        new io.jmesos.agent.gc.GarbageCollector(actor, Runnable::run, path -> { }));

    HttpResponse state = get(endpoints.state(), "/state");
    assertThat(state.status()).isEqualTo(500);
    assertThat(state.bodyText()).contains("/state").contains("no slave info");

    HttpResponse metrics = get(endpoints.metrics(), "/metrics/snapshot");
    assertThat(metrics.status()).isEqualTo(500);
    assertThat(metrics.bodyText()).contains("no slave info");
  }

  /**
   * libprocess' {@code /metrics/snapshot?timeout=}: a value that does not parse is 400 with its message; a
   * snapshot the actor does not read within the timeout leaves the metrics out rather than waiting.
   */
  @Test
  void metricsTimeoutIsCheckedAndBoundsTheWait() throws Exception {
    StateEndpoints endpoints = new StateEndpoints(actor, executors(), new AgentMetrics(),
        SlaveInfo::getDefaultInstance, () -> "master", () -> true, Map.of(), "slave(1)@127.0.0.1:5051",
        new io.jmesos.agent.gc.GarbageCollector(actor, Runnable::run, path -> { }));

    HttpResponse invalid = get(endpoints.metrics(), "/metrics/snapshot", Map.of("timeout", List.of("soon")));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.bodyText()).startsWith("Invalid timeout 'soon': ");

    HttpResponse inTime = get(endpoints.metrics(), "/metrics/snapshot", Map.of("timeout", List.of("10secs")));
    assertThat(inTime.status()).isEqualTo(200);
    assertThat(inTime.bodyText()).contains("\"slave/uptime_secs\"");

    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    actor.execute(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      HttpResponse late = get(endpoints.metrics(), "/metrics/snapshot", Map.of("timeout", List.of("100ms")));
      assertThat(late.status()).isEqualTo(200);
      assertThat(late.bodyText()).isEqualTo("{}");
    } finally {
      release.countDown();
    }
  }

  @Test
  void executorCallThatThrowsOnTheActorAnswers500() throws Exception {
    ExecutorApi api = new ExecutorApi(actor, (call, claims, openStream) -> {
      throw new IllegalStateException("bookkeeping broke");
    });
    Recorder responder = new Recorder();
    api.handle(post(call(Call.Type.HEARTBEAT).build()), responder);
    HttpResponse response = responder.response.get(10, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.bodyText()).contains("HEARTBEAT").contains("bookkeeping broke");
  }

  @Test
  void subscribeThatThrowsAfterOpeningItsStreamClosesTheStream() throws Exception {
    ExecutorApi api = new ExecutorApi(actor, (call, claims, openStream) -> {
      openStream.get();
      throw new IllegalStateException("bookkeeping broke");
    });
    Recorder responder = new Recorder();
    api.handle(post(call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build()),
        responder);
    assertThat(responder.streamClosed.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(responder.response).isNotDone();
  }

  @Test
  void operatorCallThatThrowsOnTheActorAnswers500() throws Exception {
    OperatorApi api = new OperatorApi(actor, new OperatorCalls(executors(), () -> {
      throw new IllegalStateException("no slave info");
    }, Map.of(), java.util.TreeMap::new));
    Recorder responder = new Recorder();
    api.handle(new HttpRequest("POST", "/api/v1", Map.of(), Map.of("Content-Type", MediaTypes.PROTOBUF),
        org.apache.mesos.v1.agent.Protos.Call.newBuilder()
            .setType(org.apache.mesos.v1.agent.Protos.Call.Type.GET_AGENT).build().toByteArray(), null), responder);
    HttpResponse response = responder.response.get(10, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.bodyText()).contains("GET_AGENT").contains("no slave info");
  }

  private ExecutorManager executors() {
    AgentFlags flags = AgentFlags.of(Map.of("master", "127.0.0.1:5050", "work_dir", "/nonexistent"));
    Launcher launcher = spec -> {
      throw new IOException("not in this test");
    };
    StatusUpdateManager updates = new StatusUpdateManager(actor, update -> { });
    return new ExecutorManager(new AgentContext(actor, flags, Containerizer.create(flags, launcher), Runnable::run, List.of("true"), updates,
        message -> { }, new AgentMetrics(), SlaveInfo::getDefaultInstance, "127.0.0.1:5051",
        "slave(1)@127.0.0.1:5051", new io.jmesos.agent.executors.SandboxServices(new io.jmesos.agent.fetcher.Fetcher(),
            new io.jmesos.files.AttachedFiles(),
            new io.jmesos.agent.gc.GarbageCollector(actor, Runnable::run, path -> { }), flags.gcDelay(),
            io.jmesos.agent.executors.CommandExecutorArchive.disabled())));
  }

  private static HttpResponse get(HttpHandler handler, String path) throws Exception {
    return get(handler, path, Map.of());
  }

  private static HttpResponse get(HttpHandler handler, String path, Map<String, List<String>> query)
      throws Exception {
    Recorder responder = new Recorder();
    handler.handle(new HttpRequest("GET", path, query, Map.of(), new byte[0], null), responder);
    return responder.response.get(10, TimeUnit.SECONDS);
  }

  private static HttpRequest post(Call call) {
    return new HttpRequest("POST", "/api/v1/executor", Map.of(),
        Map.of("Content-Type", MediaTypes.PROTOBUF, "Accept", MediaTypes.PROTOBUF), call.toByteArray(), null);
  }

  private static Call.Builder call(Call.Type type) {
    return Call.newBuilder().setFrameworkId(FrameworkID.newBuilder().setValue("f"))
        .setExecutorId(ExecutorID.newBuilder().setValue("e")).setType(type);
  }

  /** Captures the one answer; a stream that records being closed. */
  private static final class Recorder implements HttpResponder {
    final CompletableFuture<HttpResponse> response = new CompletableFuture<>();
    final CompletableFuture<Boolean> streamClosed = new CompletableFuture<>();

    @Override
    public void respond(HttpResponse r) {
      response.complete(r);
    }

    @Override
    public EventStream stream(int status, Map<String, String> headers) {
      AtomicBoolean open = new AtomicBoolean(true);
      return new EventStream() {
        @Override
        public void send(byte[] chunk) {}

        @Override
        public void close() {
          open.set(false);
          streamClosed.complete(true);
        }

        @Override
        public boolean isOpen() {
          return open.get();
        }

        @Override
        public void onClose(Runnable callback) {}
      };
    }
  }
}
