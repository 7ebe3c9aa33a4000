package io.jmesos.master.flags;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** Mesos' duration syntax: a number and a unit, e.g. {@code 1secs}, {@code 100ms}, {@code 2.5mins}. */
public final class MesosDuration {
  private static final Map<String, Long> UNIT_NANOS = Map.of(
      "ns", 1L, "us", 1_000L, "ms", 1_000_000L, "secs", 1_000_000_000L, "mins", 60_000_000_000L,
      "hrs", 3_600_000_000_000L, "days", 86_400_000_000_000L, "weeks", 604_800_000_000_000L);

  private MesosDuration() {}

  /** @throws IllegalArgumentException for a missing or unknown unit or a bad number */
  public static Duration parse(String text) {
    String s = text.trim();
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '-')) {
      i++;
    }
    String number = s.substring(0, i);
    String unit = s.substring(i).trim();
    Long nanos = UNIT_NANOS.get(unit);
    if (number.isEmpty() || nanos == null) {
      throw new IllegalArgumentException("Invalid duration '" + text + "' (expected e.g. 15secs, 100ms, 2mins)");
    }
    try {
      return Duration.ofNanos(new BigDecimal(number).multiply(BigDecimal.valueOf(nanos)).longValueExact());
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("Invalid duration '" + text + "'", e);
    }
  }

  /** The way Mesos prints a duration: the largest unit that keeps it readable, e.g. {@code 15secs}. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    String[] units = {"weeks", "days", "hrs", "mins", "secs", "ms", "us"};
    for (String unit : units) {
      long n = UNIT_NANOS.get(unit);
      if (nanos >= n && nanos % n == 0) {
        return (nanos / n) + unit;
      }
    }
    return nanos + "ns";
  }
}
