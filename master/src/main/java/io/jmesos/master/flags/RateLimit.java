package io.jmesos.master.flags;

import io.jmesos.flags.Durations;
import java.time.Duration;

/**
 * Mesos' {@code --agent_removal_rate_limit} value: at most {@code permits} removals per {@code duration}, e.g.
 * {@code 1/10mins}. Immutable.
 */
public record RateLimit(int permits, Duration duration) {

  /** The time between two permits. */
  public Duration interval() {
    return duration.dividedBy(permits);
  }

  /** Parses {@code N/duration}; the error names what is wrong. */
  public static AllocatorFlagFormats.Parsed<RateLimit> parse(String text) {
    String[] parts = text.trim().split("/", -1);
    if (parts.length != 2) {
      return AllocatorFlagFormats.Parsed.failed("Invalid agent_removal_rate_limit: " + text
          + ". Format is <Number of agents>/<Duration>");
    }
    int permits;
    try {
      permits = Integer.parseInt(parts[0].trim());
    } catch (NumberFormatException e) {
      return AllocatorFlagFormats.Parsed.failed("Invalid agent_removal_rate_limit: " + text
          + ". Format is <Number of agents>/<Duration>: " + parts[0] + " is not a number");
    }
    Duration duration;
    try {
      duration = Durations.parse(parts[1]);
    } catch (IllegalArgumentException e) {
      return AllocatorFlagFormats.Parsed.failed("Invalid agent_removal_rate_limit: " + text + ". "
          + e.getMessage());
    }
    if (permits <= 0 || duration.isZero() || duration.isNegative()) {
      return AllocatorFlagFormats.Parsed.failed("Invalid agent_removal_rate_limit: " + text
          + ". Both the number of agents and the duration must be positive");
    }
    return AllocatorFlagFormats.Parsed.ok(new RateLimit(permits, duration));
  }
}
