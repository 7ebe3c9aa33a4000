package io.jmesos.scheduler.v1;

import io.jmesos.flags.Durations;
import io.jmesos.scheduler.DriverOptions;
import java.util.Map;

/**
 * The settings Mesos' v1 scheduler library loads from {@code MESOS_}-prefixed environment variables that mean
 * something here: {@code MESOS_CONNECTION_DELAY_MAX} (Mesos duration syntax, e.g. {@code 2secs}). Mesos' others
 * ({@code MESOS_HTTP_AUTHENTICATEE}, modules) have no counterpart: authentication is always HTTP Basic. Stateless.
 */
public final class LibraryFlags {
  static final String CONNECTION_DELAY_MAX = "MESOS_CONNECTION_DELAY_MAX";

  private LibraryFlags() {}

  /**
   * The default options with what {@code environment} sets.
   *
   * @throws IllegalArgumentException for a value that does not parse (Mesos exits: "Failed to load flags")
   */
  public static DriverOptions options(Map<String, String> environment) {
    DriverOptions options = DriverOptions.defaults();
    String delay = environment.get(CONNECTION_DELAY_MAX);
    if (delay != null) {
      try {
        options = options.withConnectionDelayMax(Durations.parse(delay));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Failed to load flags: " + CONNECTION_DELAY_MAX + ": " + e.getMessage(),
            e);
      }
    }
    return options;
  }
}
