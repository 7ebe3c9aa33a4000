package io.jmesos.master.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.json.MesosJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RateLimitsFlag() {}

  /**
   * Parses and checks a {@code --rate_limits} value.
   *
   * @throws IllegalArgumentException naming what is wrong: an unreadable file, malformed JSON, a missing
   *     principal, a duplicate principal or a rate that is not positive
   */
  public static RateLimits parse(String value) {
    String text = value;
    if (value.startsWith("/")) {
      try {
        text = Files.readString(Path.of(value), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("Failed to read rate limits file '" + value
            + "': No such file or directory", e);
      } catch (IOException e) {
        throw new IllegalArgumentException("Failed to read rate limits file '" + value + "': " + e.getMessage(), e);
      }
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new IllegalArgumentException("Failed to parse rate limits: malformed JSON" + where, e);
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("Failed to parse rate limits: expecting a JSON object");
    }
    RateLimits.Builder builder;
    try {
      builder = MesosJson.fromTree(json, RateLimits.newBuilder());
    } catch (MesosJson.ParseException e) {
      throw new IllegalArgumentException("Failed to parse rate limits: " + e.getMessage(), e);
    }
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
