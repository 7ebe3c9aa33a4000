package io.jmesos.dist.bench;

import io.jmesos.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A call's response: completes with 202, fails with any other status (and the start of the body). */
final class CallAnswer implements HttpClient.StreamListener {
  private final CompletableFuture<Integer> answer;
  private final StringBuilder body = new StringBuilder();
  private int status;

  CallAnswer(CompletableFuture<Integer> answer) {
    this.answer = answer;
  }

  @Override
  public void onHeaders(int code, Map<String, String> headers) {
    status = code;
  }

  @Override
  public void onData(byte[] chunk) {
    if (status != 202 && body.length() < 1000) {
      body.append(new String(chunk, StandardCharsets.UTF_8));
    }
  }

  @Override
  public void onClosed(Throwable cause) {
    if (cause != null) {
      answer.completeExceptionally(cause);
    } else if (status != 202) {
      answer.completeExceptionally(new IllegalStateException(status + " " + body));
    } else {
      answer.complete(status);
    }
  }
}
