package io.jmesos.http;

/**
 * Handles one HTTP request. Called on a Netty I/O thread: implementations must not block; they decode,
 * validate, and hand the work to their actor, which answers through the responder from any thread.
 */
@FunctionalInterface
public interface HttpHandler {
  void handle(HttpRequest request, HttpResponder responder);
}
