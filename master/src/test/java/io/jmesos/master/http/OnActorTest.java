package io.jmesos.master.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.Actor;
import io.jmesos.actor.ManualClock;
import io.jmesos.http.EventStream;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OnActorTest {
  private final Actor actor = new Actor("on-actor-test", new ManualClock());

  @AfterEach
  void stop() {
    actor.close();
  }

  /** Captures the one response. */
  private static final class Captured implements HttpResponder {
    final CompletableFuture<HttpResponse> response = new CompletableFuture<>();

    @Override
    public void respond(HttpResponse r) {
      response.complete(r);
    }

    @Override
    public EventStream stream(int status, Map<String, String> headers) {
      throw new UnsupportedOperationException();
    }

    HttpResponse get() throws Exception {
      return response.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aResponseIsPassedOnFromTheActor() throws Exception {
    Captured responder = new Captured();

    OnActor.respond(actor, responder, "/state", () -> {
      actor.assertInActorThread();
      return HttpResponse.json("{}");
    });

    assertThat(responder.get().status()).isEqualTo(200);
    assertThat(responder.get().bodyText()).isEqualTo("{}");
  }

  @Test
  void aHandlerThatThrowsIsAnswered500WithItsMessage() throws Exception {
    Captured responder = new Captured();

    OnActor.respond(actor, responder, "/state", () -> {
      throw new IllegalStateException("broken state");
    });

    assertThat(responder.get().status()).isEqualTo(500);
    assertThat(responder.get().bodyText())
        .isEqualTo("Failed to handle /state: java.lang.IllegalStateException: broken state");
  }

  @Test
  void aHandlerThatReturnsNothingIsAnswered500() throws Exception {
    Captured responder = new Captured();

    OnActor.respond(actor, responder, "/state", () -> null);

    assertThat(responder.get().status()).isEqualTo(500);
  }

  @Test
  void theActorKeepsServingAfterAFailure() throws Exception {
    Captured failed = new Captured();
    Captured next = new Captured();

    OnActor.respond(actor, failed, "/state", () -> {
      throw new StackOverflowError();
    });
    OnActor.respond(actor, next, "/state", HttpResponse::ok);

    assertThat(failed.get().status()).isEqualTo(500);
    assertThat(next.get().status()).isEqualTo(200);
  }
}
