package io.jmesos.master.flags;

import io.jmesos.flags.JsonFlagValues;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.RateLimit;
import org.apache.mesos.Protos.RateLimits;

/**
 * The value of {@code --rate_limits}: Mesos' {@code RateLimits} message as JSON (a {@code file://} value is read
 * by the flags already; a bare absolute path is read here, as stout does), checked as Mesos' master checks it at
 * start-up: no principal twice, every {@code qps} and {@code aggregate_default_qps} positive. Stateless.
 */
public final class RateLimitsFlag {

  private RateLimitsFlag() {}

  /**
   * Parses and checks a {@code --rate_limits} value.
   *
   * @throws IllegalArgumentException naming what is wrong: an unreadable file, malformed JSON, a missing
   *     principal, a duplicate principal or a rate that is not positive
   */
  public static RateLimits parse(String value) {
    RateLimits.Builder builder = JsonFlagValues.read(value, "rate limits", RateLimits.newBuilder());
    if (!builder.isInitialized()) {
      throw new IllegalArgumentException("Failed to parse rate limits: missing required fields: "
          + String.join(", ", builder.findInitializationErrors()));
    }
    RateLimits limits = builder.build();
    check(limits).ifPresent(error -> {
      throw new IllegalArgumentException(error);
    });
    return limits;
  }

  /** The flag's validator: the error of {@link #parse}, if any. */
  static Optional<String> validate(String value) {
    try {
      parse(value);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** What Mesos' master refuses to start with, in its words. */
  private static Optional<String> check(RateLimits limits) {
    Set<String> principals = new HashSet<>();
    for (RateLimit limit : limits.getLimitsList()) {
      if (!principals.add(limit.getPrincipal())) {
        return Optional.of("Duplicate principal " + limit.getPrincipal() + " found in RateLimits configuration");
      }
      if (limit.hasQps() && !(limit.getQps() > 0)) {
        return Optional.of("Invalid qps: " + limit.getQps() + ". It must be a positive number");
      }
    }
    if (limits.hasAggregateDefaultQps() && !(limits.getAggregateDefaultQps() > 0)) {
      return Optional.of("Invalid aggregate_default_qps: " + limits.getAggregateDefaultQps()
          + ". It must be a positive number");
    }
    return Optional.empty();
  }
}
