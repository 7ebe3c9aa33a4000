package io.jmesos.master.core;

import io.jmesos.master.state.Framework;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.RateLimit;
import org.apache.mesos.Protos.RateLimits;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Framework rate limiting ({@code --rate_limits}), as Mesos' master throttles the messages of its v0 frameworks,
 * applied here to the scheduler calls of subscribed frameworks: a principal listed with a {@code qps} has its own
 * {@link FrameworkRateLimiter}, shared by all its frameworks; a principal listed without one is not throttled;
 * frameworks whose principal is not listed, or that have none, share the {@code aggregate_default_qps} bucket if
 * there is one. A call beyond a bucket's capacity is dropped and its framework gets an ERROR event. Keeps Mesos'
 * {@code frameworks/<principal>/messages_received} and {@code messages_processed} counters, which exist while a
 * framework with that principal is known. Used only on the master's actor.
 */
public final class FrameworkRateLimits {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkRateLimits.class);

  private final MasterContext ctx;
  private final Map<String, FrameworkRateLimiter> limiters = new HashMap<>();
  private final Set<String> unlimited = new HashSet<>();
  private final FrameworkRateLimiter aggregateDefault;
  private final Map<String, long[]> counters = new HashMap<>();

  FrameworkRateLimits(MasterContext ctx, Optional<RateLimits> limits) {
    this.ctx = ctx;
    FrameworkRateLimiter fallback = null;
    if (limits.isPresent()) {
      RateLimits config = limits.get();
      for (RateLimit limit : config.getLimitsList()) {
        if (limit.hasQps()) {
          limiters.put(limit.getPrincipal(), new FrameworkRateLimiter(ctx.actor, limit.getQps(),
              limit.hasCapacity() ? limit.getCapacity() : null));
        } else {
          unlimited.add(limit.getPrincipal());
        }
      }
      if (config.hasAggregateDefaultQps()) {
        fallback = new FrameworkRateLimiter(ctx.actor, config.getAggregateDefaultQps(),
            config.hasAggregateDefaultCapacity() ? config.getAggregateDefaultCapacity() : null);
      }
      LOG.info("Framework rate limiting enabled");
    }
    this.aggregateDefault = fallback;
  }

  /**
   * Runs {@code call}, a scheduler call naming framework {@code frameworkId}, now or when its principal's bucket
   * gives it a permit. Calls of frameworks that are unknown or not subscribed are not throttled (nor counted).
   *
   * @param name what the call is, for the log and the error ({@code REVIVE}, ...)
   * @return the error when the call was dropped because its bucket is full (the framework got it as an ERROR
   *     event); empty when {@code call} ran or will run
   */
  public Optional<String> submit(FrameworkID frameworkId, String name, Runnable call) {
    ctx.actor.assertInActorThread();
    Framework framework = ctx.state.frameworks.get(frameworkId);
    if (framework == null || framework.connection() == null) {
      call.run();
      return Optional.empty();
    }
    String principal = framework.info().hasPrincipal() ? framework.info().getPrincipal() : null;
    if (principal != null) {
      counter(principal)[0]++;
    }
    FrameworkRateLimiter limiter = limiterOf(principal);
    Runnable counted = () -> {
      try {
        call.run();
      } finally {
        long[] counter = principal == null ? null : counters.get(principal);
        if (counter != null) {
          counter[1]++;
        }
      }
    };
    if (limiter == null || limiter.submit(counted)) {
      if (limiter == null) {
        counted.run();
      }
      return Optional.empty();
    }
    String error = "Message " + name + " dropped: capacity(" + limiter.capacity() + ") exceeded";
    LOG.warn("Dropping {} call of framework {}{}: capacity({}) exceeded", name, framework,
        principal == null ? "" : " (" + principal + ")", limiter.capacity());
    ctx.send(framework, Event.newBuilder().setType(Event.Type.ERROR)
        .setError(Event.Error.newBuilder().setMessage(error)).build());
    return Optional.of(error);
  }

  /** The bucket of {@code principal} (null: none), or null when its calls are not throttled. */
  private FrameworkRateLimiter limiterOf(String principal) {
    if (principal != null && limiters.containsKey(principal)) {
      return limiters.get(principal);
    }
    if (principal != null && unlimited.contains(principal)) {
      return null;
    }
    return aggregateDefault;
  }

  /** Forgets the counters of {@code framework}'s principal once no known framework has that principal. */
  public void frameworkRemoved(Framework framework) {
    if (!framework.info().hasPrincipal()) {
      return;
    }
    String principal = framework.info().getPrincipal();
    boolean inUse = ctx.state.frameworks.values().stream()
        .anyMatch(f -> f != framework && f.info().hasPrincipal() && f.info().getPrincipal().equals(principal));
    if (!inUse) {
      counters.remove(principal);
    }
  }

  /**
   * The {@code frameworks/<principal>/messages_received} and {@code .../messages_processed} counters of the
   * principals of the known frameworks, by metric name.
   */
  public Map<String, Double> metrics() {
    Map<String, Double> out = new TreeMap<>();
    for (Framework framework : ctx.state.frameworks.values()) {
      if (framework.info().hasPrincipal()) {
        String principal = framework.info().getPrincipal();
        long[] counter = counters.getOrDefault(principal, new long[2]);
        out.put("frameworks/" + principal + "/messages_received", (double) counter[0]);
        out.put("frameworks/" + principal + "/messages_processed", (double) counter[1]);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private long[] counter(String principal) {
    return counters.computeIfAbsent(principal, p -> new long[2]);
  }
}
