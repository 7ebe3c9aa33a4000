package io.jmesos.scheduler;

import io.jmesos.actor.Actor;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the non-SUBSCRIBE calls of one subscription to the master in the order they were made (so that, say,
 * an ACCEPT reaches the master before the KILL of the task it launched), each with the subscription's
 * {@code Mesos-Stream-Id}: a call is sent once the master answered the ones before it, except that consecutive
 * ACKNOWLEDGE calls go together (up to {@link #MAX_ACKNOWLEDGEMENTS}, each on a connection of its own), since
 * acknowledgements of different updates do not depend on each other's order. A burst of status updates is
 * then acknowledged in a few round trips instead of one round trip each (the agent forwards a task's next
 * update only once the previous one is acknowledged); a call of any other type still waits until every
 * acknowledgement before it was answered, and acknowledgements after it wait for it.
 *
 * <p>Threading: confined to the driver's actor. The futures returned by {@link #enqueue} complete on the
 * actor.
 */
public final class CallQueue {
  private static final Logger LOG = LoggerFactory.getLogger(CallQueue.class);
  /** How many ACKNOWLEDGE calls may await the master's answer at once. */
  static final int MAX_ACKNOWLEDGEMENTS = 16;

  private final HttpClient http;
  private final Actor actor;
  private final Map<String, String> extraHeaders;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** Calls sent and not answered yet: one call, or up to {@link #MAX_ACKNOWLEDGEMENTS} acknowledgements. */
  private int inFlight;
  private boolean acknowledgementsInFlight;
  /** Calls queued or in flight, written on the actor at the end of every change, read by {@link #isIdle}. */
  private volatile int outstanding;

  public CallQueue(HttpClient http, Actor actor, Map<String, String> extraHeaders) {
    this.http = Objects.requireNonNull(http);
    this.actor = Objects.requireNonNull(actor);
    this.extraHeaders = Map.copyOf(extraHeaders);
  }

  /** Queues {@code call} for {@code master} on the stream {@code streamId}; completes with the response. */
  public CompletableFuture<HttpResponse> enqueue(InetSocketAddress master, String streamId, Call call) {
    actor.assertInActorThread();
    Pending p = new Pending(master, streamId, call);
    queue.addLast(p);
    sendNext();
    count();
    return p.result;
  }

  /**
   * True when no call is queued or awaiting the master's answer. Any thread; exact once the actor is idle
   * (the master answers a call after its actor has handled it).
   */
  public boolean isIdle() {
    return outstanding == 0;
  }

  private void count() {
    outstanding = queue.size() + inFlight;
  }

  /** Drops every queued call (the subscription they belong to is gone); the one in flight completes. */
  public void clear() {
    actor.assertInActorThread();
    if (!queue.isEmpty()) {
      LOG.info("Dropping {} queued scheduler calls of a lost subscription", queue.size());
    }
    while (!queue.isEmpty()) {
      queue.pollFirst().result.completeExceptionally(new CancellationException("Subscription lost"));
    }
    count();
  }

  private void sendNext() {
    while (!queue.isEmpty() && mayGo(queue.peekFirst())) {
      send(queue.pollFirst());
    }
  }

  /** Whether the next call may be sent now: nothing in flight, or it joins acknowledgements in flight. */
  private boolean mayGo(Pending next) {
    if (inFlight == 0) {
      return true;
    }
    return acknowledgementsInFlight && next.call.getType() == Call.Type.ACKNOWLEDGE
        && inFlight < MAX_ACKNOWLEDGEMENTS;
  }

  private void send(Pending p) {
    inFlight++;
    acknowledgementsInFlight = p.call.getType() == Call.Type.ACKNOWLEDGE;
    Map<String, String> headers = new HashMap<>(extraHeaders);
    headers.put("Accept", MediaTypes.PROTOBUF);
    headers.put(Subscription.STREAM_ID_HEADER, p.streamId);
    LOG.debug("Sending {} call to {}", p.call.getType(), p.master);
    http.post(p.master, Subscription.PATH, MediaTypes.PROTOBUF, p.call.toByteArray(), headers)
        .whenComplete((response, failure) -> actor.execute(() -> {
          inFlight--;
          if (failure != null) {
            p.result.completeExceptionally(failure);
          } else {
            p.result.complete(response);
          }
          sendNext();
          count();
        }));
  }

  private static final class Pending {
    final InetSocketAddress master;
    final String streamId;
    final Call call;
    final CompletableFuture<HttpResponse> result = new CompletableFuture<>();

    Pending(InetSocketAddress master, String streamId, Call call) {
      this.master = master;
      this.streamId = streamId;
      this.call = call;
    }
  }
}
