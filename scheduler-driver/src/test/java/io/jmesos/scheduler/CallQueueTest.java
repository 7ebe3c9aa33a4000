package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.Actor;
import io.jmesos.actor.SystemClock;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MesosServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order in which {@link CallQueue} sends calls, against a master that holds its answers until the test
 * releases them: a call waits for the answers to the calls before it, except that consecutive
 * acknowledgements go together.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallQueueTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The calls the master received, in arrival order, and the answers it holds. */
  private final List<Call> received = new CopyOnWriteArrayList<>();
  private final List<HttpResponder> held = new CopyOnWriteArrayList<>();
  private MesosServer server;
  private InetSocketAddress master;
  private HttpClient http;
  private Actor actor;
  private CallQueue queue;

  @BeforeEach
  void setUp() throws InterruptedException {
    HttpRouter router = new HttpRouter().route(this::hold, Subscription.PATH);
    server = new MesosServer("held-master", new InetSocketAddress("127.0.0.1", 0), router, null, Limits.DEFAULT);
    master = server.start();
    http = new HttpClient("call-queue-test");
    actor = new Actor("call-queue-test", SystemClock.get());
    queue = new CallQueue(http, actor, Map.of());
  }

  @AfterEach
  void tearDown() {
    releaseAll();
    actor.close();
    http.close();
    server.close();
  }

  private void hold(HttpRequest request, HttpResponder responder) {
    try {
      received.add(Call.parseFrom(request.body()));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      responder.respond(HttpResponse.text(400, e.getMessage()));
      return;
    }
    held.add(responder);
  }

  private void releaseAll() {
    List<HttpResponder> answering = new ArrayList<>(held);
    held.removeAll(answering);
    answering.forEach(r -> r.respond(HttpResponse.accepted()));
  }

  private static Call acknowledge(String task) {
    return Call.newBuilder().setType(Call.Type.ACKNOWLEDGE)
        .setAcknowledge(Call.Acknowledge.newBuilder().setTaskId(TaskID.newBuilder().setValue(task))
            .setAgentId(AgentID.newBuilder().setValue("S0")).setUuid(com.google.protobuf.ByteString.EMPTY))
        .build();
  }

  private static Call kill(String task) {
    return Call.newBuilder().setType(Call.Type.KILL)
        .setKill(Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue(task))).build();
  }

  private List<CompletableFuture<?>> enqueue(List<Call> calls) throws Exception {
    return actor.call(() -> {
      List<CompletableFuture<?>> results = new ArrayList<>();
      for (Call call : calls) {
        results.add(queue.enqueue(master, "stream-1", call));
      }
      return results;
    }).get(10, TimeUnit.SECONDS);
  }

  private List<String> arrived() {
    return received.stream().map(c -> c.getType() + " " + (c.hasKill() ? c.getKill().getTaskId().getValue()
        : c.getAcknowledge().getTaskId().getValue())).collect(java.util.stream.Collectors.toList());
  }

  @Test
  void consecutiveAcknowledgementsGoTogetherAndAnyOtherCallWaitsForTheAnswersBeforeIt() throws Exception {
    List<CompletableFuture<?>> results = enqueue(List.of(acknowledge("1"), acknowledge("2"), acknowledge("3"),
        kill("4"), acknowledge("5")));

    // The three acknowledgements are all at the master, unanswered; the kill waits for their answers.
    Awaitility.await().atMost(WAIT).until(() -> held.size() == 3);
    assertThat(arrived()).containsExactlyInAnyOrder("ACKNOWLEDGE 1", "ACKNOWLEDGE 2", "ACKNOWLEDGE 3");
    assertThat(queue.isIdle()).isFalse();

    // Answered: the kill goes, alone; the acknowledgement after it waits for the kill's answer.
    releaseAll();
    Awaitility.await().atMost(WAIT).until(() -> held.size() == 1 && received.size() == 4);
    assertThat(arrived().get(3)).isEqualTo("KILL 4");
    Awaitility.await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> received.size() == 4);

    releaseAll();
    Awaitility.await().atMost(WAIT).until(() -> held.size() == 1 && received.size() == 5);
    assertThat(arrived().get(4)).isEqualTo("ACKNOWLEDGE 5");
    releaseAll();
    for (CompletableFuture<?> result : results) {
      result.get(10, TimeUnit.SECONDS);
    }
    Awaitility.await().atMost(WAIT).until(queue::isIdle);
  }

  @Test
  void atMostSixteenAcknowledgementsAwaitTheMastersAnswerAtOnce() throws Exception {
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < CallQueue.MAX_ACKNOWLEDGEMENTS + 4; i++) {
      calls.add(acknowledge(Integer.toString(i)));
    }
    List<CompletableFuture<?>> results = enqueue(calls);

    Awaitility.await().atMost(WAIT).until(() -> held.size() == CallQueue.MAX_ACKNOWLEDGEMENTS);
    Awaitility.await().during(Duration.ofMillis(200)).atMost(WAIT)
        .until(() -> received.size() == CallQueue.MAX_ACKNOWLEDGEMENTS);

    releaseAll();
    Awaitility.await().atMost(WAIT).until(() -> received.size() == calls.size());
    releaseAll();
    for (CompletableFuture<?> result : results) {
      result.get(10, TimeUnit.SECONDS);
    }
    assertThat(arrived()).hasSize(calls.size()).doesNotHaveDuplicates();
  }
}
