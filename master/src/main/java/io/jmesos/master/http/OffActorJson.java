package io.jmesos.master.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.core.MasterContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * Read-only endpoints whose document is built on the master's actor (a consistent snapshot: every value is copied
 * or immutable, see {@link TaskArray}) and written to bytes on a thread of their own, so that the master goes on
 * handling scheduler calls, agents' messages and offers while a large document is written (Mesos 1.7 moved
 * {@code /state} off the master actor for the same reason). The tasks' JSON is reused from one document to the
 * next ({@link TaskJsonCache}). Thread-safe.
 */
final class OffActorJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** One writer for every master in the JVM: documents are written one at a time, in the order asked for. */
  private static final ExecutorService WRITER = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "master-json-writer");
    thread.setDaemon(true);
    return thread;
  });

  /** The tasks' JSON from the documents written last; used on {@link #WRITER} only. */
  private static final TaskJsonCache TASKS = new TaskJsonCache();

  private OffActorJson() {}

  /** A GET (or HEAD) endpoint rendering {@code render}'s document; 405 for any other method, 500 on a failure. */
  static HttpHandler listing(MasterContext ctx, String what, BiFunction<MasterContext, HttpRequest, JsonNode> render) {
    return (request, responder) -> {
      if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
        responder.respond(HttpResponse.text(405, "Expecting 'GET', received '" + request.method() + "'")
            .withHeader("Allow", "GET"));
        return;
      }
      ctx.actor.execute(EventQueue.http(() -> {
        JsonNode document;
        try {
          document = render.apply(ctx, request);
        } catch (RuntimeException | Error e) {
          responder.respond(OnActor.internalError(what, e));
          throw e;
        }
        WRITER.execute(() -> {
          try {
            TASKS.beginDocument();
            responder.respond(HttpResponse.json(MAPPER.writer().withAttribute(TaskJsonCache.class, TASKS)
                .writeValueAsBytes(document)));
          } catch (java.io.IOException | RuntimeException e) {
            responder.respond(OnActor.internalError(what, e));
          }
        });
      }));
    };
  }
}
