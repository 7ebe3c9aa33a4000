package io.jmesos.flags;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes in Mesos' syntax: a non-negative decimal number directly followed by {@code B},
 * {@code KB}, {@code MB}, {@code GB} or {@code TB}, in powers of 1024 ({@code 512MB},
 * {@code 1.5GB}). Stateless and thread-safe.
 */
public final class Bytes {

  public static final long KB = 1024L;
  public static final long MB = 1024 * KB;
  public static final long GB = 1024 * MB;
  public static final long TB = 1024 * GB;

  private static final Pattern SYNTAX = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)([A-Z]+)");
  private static final String[] UNITS = {"TB", "GB", "MB", "KB", "B"};
  private static final long[] SIZES = {TB, GB, MB, KB, 1};

  /** Longer numbers are refused before they are parsed (any size in bytes has at most 19 digits). */
  private static final int MAX_DIGITS = 64;

  private Bytes() {}

  /**
   * Parses a size into bytes, rounding down to a whole byte.
   *
   * @throws IllegalArgumentException for anything else, e.g. {@code 512} or {@code 512mb}
   */
  public static long parse(String text) {
    Matcher matcher = SYNTAX.matcher(text.trim());
    if (matcher.matches() && matcher.group(1).length() > MAX_DIGITS) {
      throw new IllegalArgumentException("Size '" + text + "' is too large");
    }
    if (matcher.matches()) {
      for (int i = 0; i < UNITS.length; i++) {
        if (UNITS[i].equals(matcher.group(2))) {
          try {
            return new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(SIZES[i]))
                .setScale(0, RoundingMode.DOWN).longValueExact();
          } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Size '" + text + "' is too large", e);
          }
        }
      }
    }
    throw new IllegalArgumentException(
        "Invalid size '" + text + "': expecting a number followed by one of B, KB, MB, GB, TB");
  }

  /** Mesos' text for a size: the largest unit that divides it exactly ({@code 1536MB}). */
  public static String format(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("Negative size " + bytes);
    }
    for (int i = 0; i < UNITS.length; i++) {
      if (bytes != 0 && bytes % SIZES[i] == 0) {
        return bytes / SIZES[i] + UNITS[i];
      }
    }
    return bytes + "B";
  }
}
