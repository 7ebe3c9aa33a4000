package io.jmesos.logging;

import io.jmesos.flags.Durations;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpResponse;
import java.time.Duration;

/**
 * libprocess' {@code /logging/toggle}: without parameters the current verbosity level; with {@code level=N} and
 * {@code duration=D} (Mesos' duration syntax, e.g. {@code 10secs}) it raises the level for that long. Answers 400
 * with libprocess' reasons for a missing parameter, a level that is not a number or below the original level,
 * or an invalid duration.
 */
public final class LoggingToggle {
  private LoggingToggle() {}

  /** The endpoint over {@code levels}. */
  public static HttpHandler handler(LoggingLevels levels) {
    return (request, responder) -> responder.respond(answer(levels, request.param("level"),
        request.param("duration")));
  }

  static HttpResponse answer(LoggingLevels levels, String level, String duration) {
    if (level == null && duration == null) {
      return HttpResponse.text(200, levels.level() + "\n");
    }
    if (duration == null) {
      return HttpResponse.text(400, "Expecting 'duration=value' in query.\n");
    }
    if (level == null) {
      return HttpResponse.text(400, "Expecting 'level=value' in query.\n");
    }
    int v;
    try {
      v = Integer.parseInt(level.trim());
    } catch (NumberFormatException e) {
      return HttpResponse.text(400, "Failed to convert '" + level + "' to number.\n");
    }
    if (v < 0) {
      return HttpResponse.text(400, "Invalid level '" + v + "'.\n");
    }
    if (v < LoggingLevels.ORIGINAL) {
      return HttpResponse.text(400, "'" + v + "' < original level.\n");
    }
    Duration d;
    try {
      d = Durations.parse(duration);
    } catch (IllegalArgumentException e) {
      return HttpResponse.text(400, e.getMessage() + ".\n");
    }
    levels.toggle(v, d);
    return HttpResponse.ok();
  }
}
