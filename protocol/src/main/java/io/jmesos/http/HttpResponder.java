package io.jmesos.http;

import java.util.Map;

/**
 * The way back to one HTTP client. Exactly one of {@link #respond} or {@link #stream} may be called, once,
 * from any thread.
 */
public interface HttpResponder {
  void respond(HttpResponse response);

  /** Starts a chunked response that stays open, e.g. a RecordIO event stream. */
  EventStream stream(int status, Map<String, String> headers);
}
