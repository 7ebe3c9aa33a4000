package io.jmesos.flags;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Mesos' syntax: a decimal number directly followed by a unit, one of {@code ns},
 * {@code us}, {@code ms}, {@code secs}, {@code mins}, {@code hrs}, {@code days}, {@code weeks}
 * ({@code 5secs}, {@code 100ms}, {@code 1.5mins}). Stateless and thread-safe.
 */
public final class Durations {

  private static final Pattern SYNTAX =
      Pattern.compile("(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)([a-z]+)");
  private static final String[] UNITS = {"weeks", "days", "hrs", "mins", "secs", "ms", "us", "ns"};
  private static final long[] NANOS = {
    7L * 24 * 3600 * 1_000_000_000L, 24L * 3600 * 1_000_000_000L, 3600L * 1_000_000_000L,
    60L * 1_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L
  };

  /** Digits before or zeros after the decimal point beyond which a duration is too long or rounds to 0. */
  private static final int MAX_DIGITS = 40;
  /** Longer numbers are refused before they are parsed. */
  private static final int MAX_TEXT = 100;

  private Durations() {}

  /**
   * Parses Mesos' duration syntax, rounding to whole nanoseconds.
   *
   * @throws IllegalArgumentException for anything else, e.g. {@code 5s} or {@code 5 secs}
   */
  public static Duration parse(String text) {
    Matcher matcher = SYNTAX.matcher(text.trim());
    if (matcher.matches()) {
      for (int i = 0; i < UNITS.length; i++) {
        if (UNITS[i].equals(matcher.group(2))) {
          if (matcher.group(1).length() > MAX_TEXT) {
            throw new IllegalArgumentException("Duration '" + text + "' is too long");
          }
          BigDecimal value = new BigDecimal(matcher.group(1));
          // Rounding 1e-999999999 or expanding 1e999999999 would take minutes: bound the magnitude first.
          if (value.signum() != 0 && value.precision() - value.scale() > MAX_DIGITS) {
            throw new IllegalArgumentException("Duration '" + text + "' is too long");
          }
          if (value.signum() == 0 || value.scale() - value.precision() > MAX_DIGITS) {
            return Duration.ZERO; // below a nanosecond in any unit
          }
          BigDecimal nanos = value.multiply(BigDecimal.valueOf(NANOS[i])).setScale(0, RoundingMode.HALF_UP);
          try {
            return Duration.ofNanos(nanos.longValueExact());
          } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Duration '" + text + "' is too long", e);
          }
        }
      }
    }
    throw new IllegalArgumentException("Invalid duration '" + text
        + "': expecting a number followed by one of ns, us, ms, secs, mins, hrs, days, weeks");
  }

  /** Mesos' text for a duration, in the largest unit not above it ({@code 90s} is {@code 1.5mins}). */
  public static String format(Duration duration) {
    long nanos = duration.toNanos();
    for (int i = 0; i < UNITS.length; i++) {
      if (Math.abs(nanos) >= NANOS[i] || i == UNITS.length - 1) {
        BigDecimal value = BigDecimal.valueOf(nanos)
            .divide(BigDecimal.valueOf(NANOS[i]), MathContext.DECIMAL64).stripTrailingZeros();
        return value.toPlainString() + UNITS[i];
      }
    }
    throw new AssertionError("unreachable");
  }
}
