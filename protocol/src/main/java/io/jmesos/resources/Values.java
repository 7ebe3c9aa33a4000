package io.jmesos.resources;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.mesos.Protos.Value;

/**
 * Arithmetic, comparison, formatting and parsing of {@link Value} parts with Mesos' semantics.
 *
 * <p>Scalars are computed in fixed point with three decimal digits, so {@code 0.1 + 0.2} is exactly
 * {@code 0.3} and anything below 0.0005 is zero. Ranges are unsigned 64-bit and are coalesced
 * (sorted, overlapping and adjacent ranges merged) by every operation. Sets keep their first-seen
 * order and ignore duplicates. Stateless and thread-safe.
 */
public final class Values {

  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Comparator<Value.Range> BY_BEGIN_THEN_END =
      Comparator.<Value.Range>comparingLong(r -> r.getBegin() ^ Long.MIN_VALUE)
          .thenComparingLong(r -> r.getEnd() ^ Long.MIN_VALUE);

  private Values() {}

  // ---- Scalars ----

  /** The fixed-point (milli-unit) representation Mesos computes with; rounds half away from 0. */
  public static long toFixed(double value) {
    double scaled = value * 1000;
    return scaled >= 0 ? Math.round(scaled) : -Math.round(-scaled);
  }

  /**
   * The double nearest to a fixed-point value. (Mesos adds quotient and remainder instead, which
   * can land one ulp off, e.g. 1.2349999999999999 for 1.235; comparisons are in fixed point, so
   * the two agree on every result.)
   */
  public static double fromFixed(long fixed) {
    return fixed / 1000.0;
  }

  /** {@code value} rounded to Mesos' three decimal digits. */
  public static Value.Scalar scalar(double value) {
    return Value.Scalar.newBuilder().setValue(fromFixed(toFixed(value))).build();
  }

  public static Value.Scalar add(Value.Scalar left, Value.Scalar right) {
    return Value.Scalar.newBuilder()
        .setValue(fromFixed(toFixed(left.getValue()) + toFixed(right.getValue()))).build();
  }

  public static Value.Scalar subtract(Value.Scalar left, Value.Scalar right) {
    return Value.Scalar.newBuilder()
        .setValue(fromFixed(toFixed(left.getValue()) - toFixed(right.getValue()))).build();
  }

  /** Equality after rounding to three decimals. */
  public static boolean equal(Value.Scalar left, Value.Scalar right) {
    return toFixed(left.getValue()) == toFixed(right.getValue());
  }

  /** {@code left <= right} after rounding to three decimals. */
  public static boolean lessOrEqual(Value.Scalar left, Value.Scalar right) {
    return toFixed(left.getValue()) <= toFixed(right.getValue());
  }

  /** Mesos' text for a scalar: three decimals at most, no trailing zeros ({@code 2}, {@code 0.5}). */
  public static String format(Value.Scalar scalar) {
    return BigDecimal.valueOf(toFixed(scalar.getValue()), 3).stripTrailingZeros().toPlainString();
  }

  // ---- Ranges ----

  /** Sorts and merges overlapping or adjacent ranges; begin and end are unsigned. */
  public static Value.Ranges coalesce(Iterable<Value.Range> ranges) {
    List<Value.Range> sorted = new ArrayList<>();
    ranges.forEach(sorted::add);
    sorted.sort(BY_BEGIN_THEN_END);
    Value.Ranges.Builder result = Value.Ranges.newBuilder();
    long begin = 0;
    long end = 0;
    boolean open = false;
    for (Value.Range range : sorted) {
      if (open && (end == -1L || Long.compareUnsigned(range.getBegin(), end + 1) <= 0)) {
        if (Long.compareUnsigned(range.getEnd(), end) > 0) {
          end = range.getEnd();
        }
        continue;
      }
      if (open) {
        result.addRange(range(begin, end));
      }
      begin = range.getBegin();
      end = range.getEnd();
      open = true;
    }
    if (open) {
      result.addRange(range(begin, end));
    }
    return result.build();
  }

  public static Value.Ranges add(Value.Ranges left, Value.Ranges right) {
    List<Value.Range> all = new ArrayList<>(left.getRangeList());
    all.addAll(right.getRangeList());
    return coalesce(all);
  }

  public static Value.Ranges subtract(Value.Ranges left, Value.Ranges right) {
    List<Value.Range> remaining = new ArrayList<>(coalesce(left.getRangeList()).getRangeList());
    for (Value.Range cut : coalesce(right.getRangeList()).getRangeList()) {
      List<Value.Range> next = new ArrayList<>();
      for (Value.Range range : remaining) {
        if (Long.compareUnsigned(cut.getEnd(), range.getBegin()) < 0
            || Long.compareUnsigned(cut.getBegin(), range.getEnd()) > 0) {
          next.add(range); // No overlap.
          continue;
        }
        if (Long.compareUnsigned(range.getBegin(), cut.getBegin()) < 0) {
          next.add(range(range.getBegin(), cut.getBegin() - 1));
        }
        if (Long.compareUnsigned(cut.getEnd(), range.getEnd()) < 0) {
          next.add(range(cut.getEnd() + 1, range.getEnd()));
        }
      }
      remaining = next;
    }
    return Value.Ranges.newBuilder().addAllRange(remaining).build();
  }

  /** True when every number in {@code inner} is in {@code outer}. */
  public static boolean contains(Value.Ranges outer, Value.Ranges inner) {
    List<Value.Range> merged = coalesce(outer.getRangeList()).getRangeList();
    for (Value.Range range : coalesce(inner.getRangeList()).getRangeList()) {
      boolean found = false;
      for (Value.Range candidate : merged) {
        if (Long.compareUnsigned(candidate.getBegin(), range.getBegin()) <= 0
            && Long.compareUnsigned(range.getEnd(), candidate.getEnd()) <= 0) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  public static boolean equal(Value.Ranges left, Value.Ranges right) {
    return coalesce(left.getRangeList()).equals(coalesce(right.getRangeList()));
  }

  /** Mesos' text for ranges: {@code [31000-32000, 33000-33001]}. */
  public static String format(Value.Ranges ranges) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < ranges.getRangeCount(); i++) {
      Value.Range range = ranges.getRange(i);
      text.append(i == 0 ? "" : ", ").append(Long.toUnsignedString(range.getBegin()))
          .append('-').append(Long.toUnsignedString(range.getEnd()));
    }
    return text.append(']').toString();
  }

  static Value.Range range(long begin, long end) {
    return Value.Range.newBuilder().setBegin(begin).setEnd(end).build();
  }

  // ---- Sets ----

  public static Value.Set add(Value.Set left, Value.Set right) {
    Set<String> items = new LinkedHashSet<>(left.getItemList());
    items.addAll(right.getItemList());
    return Value.Set.newBuilder().addAllItem(items).build();
  }

  public static Value.Set subtract(Value.Set left, Value.Set right) {
    List<String> items = new ArrayList<>(left.getItemList());
    items.removeAll(right.getItemList());
    return Value.Set.newBuilder().addAllItem(items).build();
  }

  public static boolean contains(Value.Set outer, Value.Set inner) {
    return outer.getItemList().containsAll(inner.getItemList());
  }

  public static boolean equal(Value.Set left, Value.Set right) {
    return new LinkedHashSet<>(left.getItemList()).equals(new LinkedHashSet<>(right.getItemList()));
  }

  /** Mesos' text for a set: {@code {a, b}}. */
  public static String format(Value.Set set) {
    return "{" + String.join(", ", set.getItemList()) + "}";
  }

  // ---- Text ----

  /**
   * Parses a value in Mesos' command-line syntax, spaces ignored: {@code [a-b,c-d]} is RANGES,
   * {@code {x,y}} is SET, a decimal number is SCALAR, anything else is TEXT.
   *
   * @throws IllegalArgumentException for empty text, mismatched brackets or malformed ranges
   */
  public static Value parse(String text) {
    String value = text.replace(" ", "").trim();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("Expecting a non-empty value");
    }
    if (!balanced(value, '[', ']') || !balanced(value, '{', '}') || !balanced(value, '(', ')')) {
      throw new IllegalArgumentException("Mismatched brackets in '" + text + "'");
    }
    if (value.startsWith("[")) {
      return Value.newBuilder().setType(Value.Type.RANGES).setRanges(parseRanges(value)).build();
    }
    if (value.contains("[")) {
      throw new IllegalArgumentException("Unexpected '[' in '" + text + "'");
    }
    if (value.startsWith("{")) {
      if (value.indexOf('}') != value.length() - 1) {
        throw new IllegalArgumentException("Expecting a set like {a,b}, got '" + value + "'");
      }
      Value.Set.Builder set = Value.Set.newBuilder();
      for (String item : value.substring(1, value.length() - 1).split("[,\n]")) {
        if (!item.isEmpty()) {
          set.addItem(item);
        }
      }
      return Value.newBuilder().setType(Value.Type.SET).setSet(set).build();
    }
    if (value.contains("{")) {
      throw new IllegalArgumentException("Unexpected '{' in '" + text + "'");
    }
    if (NUMBER.matcher(value).matches()) {
      return Value.newBuilder().setType(Value.Type.SCALAR)
          .setScalar(Value.Scalar.newBuilder().setValue(Double.parseDouble(value))).build();
    }
    return Value.newBuilder().setType(Value.Type.TEXT)
        .setText(Value.Text.newBuilder().setValue(value)).build();
  }

  private static Value.Ranges parseRanges(String value) {
    if (!value.endsWith("]") || value.indexOf(']') != value.length() - 1) {
      throw new IllegalArgumentException("Expecting ranges like [1-2,5-6], got '" + value + "'");
    }
    List<Value.Range> ranges = new ArrayList<>();
    for (String item : value.substring(1, value.length() - 1).split("[,\n]")) {
      if (item.isEmpty()) {
        continue;
      }
      String[] bounds = item.split("-", -1);
      if (bounds.length != 2) {
        throw new IllegalArgumentException("Expecting a range like 'begin-end', got '" + item + "'");
      }
      long begin = unsigned(bounds[0], item);
      long end = unsigned(bounds[1], item);
      if (Long.compareUnsigned(begin, end) > 0) {
        throw new IllegalArgumentException("Invalid range '" + item + "': begin > end");
      }
      ranges.add(range(begin, end));
    }
    return coalesce(ranges);
  }

  private static long unsigned(String digits, String item) {
    try {
      return Long.parseUnsignedLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Expecting non-negative integers in range '" + item + "'", e);
    }
  }

  private static boolean balanced(String text, char open, char close) {
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == open) {
        depth++;
      } else if (c == close && --depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }
}
