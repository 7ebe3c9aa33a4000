package io.jmesos.master.http;

import io.jmesos.actor.Actor;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an HTTP handler on an actor and makes sure the request is answered even when the handler throws: the
 * failure is logged and answered with 500 Internal Server Error and its message, as libprocess answers a
 * failed response future, and then rethrown on the actor so that its failure handler sees it (the master's
 * aborts the master: its state may be half-changed). The responder is completed on the actor's thread, after
 * anything the handler wrote, so that a stream's writes stay in order. Thread-safe.
 */
final class OnActor {
  private static final Logger LOG = LoggerFactory.getLogger(OnActor.class);

  private OnActor() {}

  /** Enqueues {@code handler} on {@code actor} and answers {@code responder} with its response or a 500. */
  static void respond(Actor actor, HttpResponder responder, String what, Supplier<HttpResponse> handler) {
    actor.execute(EventQueue.http(() -> answer(responder, what, handler)));
  }

  /** As {@link #respond}, for a caller already on the actor: runs {@code handler} now. */
  static void answer(HttpResponder responder, String what, Supplier<HttpResponse> handler) {
    HttpResponse response;
    try {
      response = handler.get();
    } catch (RuntimeException | Error e) {
      responder.respond(internalError(what, e));
      throw e;
    }
    responder.respond(response != null ? response
        : internalError(what, new IllegalStateException("The handler returned no response")));
  }

  /**
   * As {@link #respond}, for a handler whose response comes later (after a registry write): the stage completes
   * on the actor; a failed stage is answered 503, the master being unable to keep its registry.
   */
  static void respondLater(Actor actor, HttpResponder responder, String what,
      Supplier<CompletionStage<HttpResponse>> handler) {
    actor.execute(EventQueue.http(() -> {
      CompletionStage<HttpResponse> stage;
      try {
        stage = handler.get();
      } catch (RuntimeException | Error e) {
        responder.respond(internalError(what, e));
        throw e;
      }
      stage.whenComplete((response, failure) -> {
        if (failure != null) {
          LOG.error("Failed to handle {}: {}", what, failure.getMessage());
          responder.respond(HttpResponse.text(503, "Failed to handle " + what + ": " + failure.getMessage()));
        } else {
          responder.respond(response != null ? response
              : internalError(what, new IllegalStateException("The handler returned no response")));
        }
      });
    }));
  }

  /** The answer to an operator change: 200, or the rejection's status and message. */
  static HttpResponse answer(java.util.Optional<io.jmesos.master.core.Rejection> rejection) {
    return rejection.map(r -> HttpResponse.text(r.status(), r.message())).orElseGet(HttpResponse::ok);
  }

  /** Logs a failure to handle {@code what} and returns the 500 that answers it. */
  static HttpResponse internalError(String what, Throwable failure) {
    LOG.error("Failed to handle {}", what, failure);
    return HttpResponse.text(500, "Failed to handle " + what + ": " + failure);
  }
}
