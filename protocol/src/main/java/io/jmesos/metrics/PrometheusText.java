package io.jmesos.metrics;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prometheus' text exposition format, version 0.0.4, of a Mesos metrics snapshot followed by the JVM's and the
 * process' own metrics ({@link JvmMetrics}). A Mesos key becomes {@code mesos_} + the key with every character
 * outside {@code [a-zA-Z0-9_]} replaced by {@code _} ({@code master/tasks_running} is
 * {@code mesos_master_tasks_running}); its HELP line gives the Mesos key. Mesos' snapshot does not say which
 * metric is a counter, so every Mesos metric is exposed as a gauge. When two keys map to one name (roles that
 * differ only in punctuation), the first key in sorted order keeps the name and the others are left out, since
 * a name may appear once. Thread-safe (stateless).
 */
public final class PrometheusText {
  /** The Content-Type of the exposition. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  /** The exposition of {@code mesos} (Mesos keys to values) and of the JVM. */
  public static String render(Map<String, Double> mesos) {
    StringBuilder out = new StringBuilder(64 * (mesos.size() + 40));
    Set<String> names = new HashSet<>();
    new TreeMap<>(mesos).forEach((key, value) -> {
      String name = name(key);
      if (value != null && names.add(name)) {
        family(out, name, "gauge", "Mesos metric " + key);
        sample(out, name, "", value);
      }
    });
    JvmMetrics.render(out);
    return out.toString();
  }

  /** The Prometheus name of a Mesos key. */
  public static String name(String key) {
    StringBuilder name = new StringBuilder("mesos_".length() + key.length()).append("mesos_");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      name.append(valid ? c : '_');
    }
    return name.toString();
  }

  /** Writes the HELP and TYPE lines of a metric family. */
  static void family(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** Writes one sample; {@code labels} is empty or {@code {name="value",...}} already escaped. */
  static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append(labels).append(' ').append(value(value)).append('\n');
  }

  /** A label set of one label, its value escaped. */
  static String label(String name, String value) {
    return "{" + name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"}";
  }

  static String value(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value).toUpperCase(Locale.ROOT).replace("E", "e");
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
