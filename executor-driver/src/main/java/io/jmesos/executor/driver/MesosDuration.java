package io.jmesos.executor.driver;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Parses Mesos' duration syntax as the agent writes it into executor environments ({@code "5secs"},
 * {@code "15mins"}, {@code "100ms"}, {@code "2.5hrs"}). Stateless.
 */
public final class MesosDuration {
  private static final String[] UNITS = {"ns", "us", "ms", "secs", "mins", "hrs", "days", "weeks"};
  private static final long[] NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
      3_600_000_000_000L, 86_400_000_000_000L, 604_800_000_000_000L};

  private MesosDuration() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the bad value. */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.trim();
    for (int i = 0; i < UNITS.length; i++) {
      if (s.endsWith(UNITS[i]) && s.length() > UNITS[i].length()) {
        String number = s.substring(0, s.length() - UNITS[i].length());
        try {
          BigDecimal nanos = new BigDecimal(number).multiply(BigDecimal.valueOf(NANOS[i]));
          if (nanos.signum() >= 0) {
            return Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
          }
        } catch (NumberFormatException | ArithmeticException e) {
          // "15mins" also ends in "ns": try the other units before failing.
        }
      }
    }
    throw new IllegalArgumentException("Invalid duration '" + text + "': expecting a number followed by one of"
        + " ns, us, ms, secs, mins, hrs, days, weeks");
  }
}
