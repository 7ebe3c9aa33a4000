package io.jmesos.master.http;

import io.jmesos.actor.Actor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mesos' {@code master/event_queue_*} gauges: what waits in the master's mailbox, by kind. Internal messages
 * (from agents) and HTTP requests are marked when they are queued ({@link #message}, {@link #http}); anything
 * else queued is a dispatch (timers, registry completions, allocator callbacks, HTTP work queued other than
 * through {@link OnActor}). Thread-safe.
 */
public final class EventQueue {
  private EventQueue() {}

  /** Marks a queued internal message. */
  public static Runnable message(Runnable work) {
    return new Message(work);
  }

  /** Marks a queued HTTP request. */
  static Runnable http(Runnable work) {
    return new Http(work);
  }

  /** The three gauges for {@code actor}'s mailbox, not counting the item running (the caller, on the actor). */
  static Map<String, Double> gauges(Actor actor) {
    int messages = actor.countQueued(work -> work instanceof Message);
    int http = actor.countQueued(work -> work instanceof Http);
    int all = actor.countQueued(work -> true);
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("master/event_queue_messages", (double) messages);
    out.put("master/event_queue_http_requests", (double) http);
    out.put("master/event_queue_dispatches", (double) Math.max(0, all - messages - http));
    return out;
  }

  private record Message(Runnable work) implements Runnable {
    @Override
    public void run() {
      work.run();
    }
  }

  private record Http(Runnable work) implements Runnable {
    @Override
    public void run() {
      work.run();
    }
  }
}
