package io.jmesos.flags;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The declaration of one command-line flag: name, type, default, help text, validator and whether
 * it is required. Declare one with a typed factory and register it with {@link Flags#add}:
 *
 * <pre>{@code
 * Flag<Integer> port = flags.add(Flag.integer("port").defaultValue(5050).help("Port to listen on"));
 * }</pre>
 *
 * <p>Immutable and thread-safe; values live in {@link Flags}.
 *
 * @param <T> the value type
 */
public final class Flag<T> {
  private static final String FILE = "file://";

  private final String name;
  private final String type;
  private final Function<String, T> parser;
  private final Function<T, String> printer;
  private final T defaultValue;
  private final String help;
  private final boolean required;
  private final Function<? super T, Optional<String>> validator;
  private final List<String> deprecatedNames;

  private Flag(Builder<T> builder) {
    this.name = builder.name;
    this.type = builder.type;
    this.parser = builder.parser;
    this.printer = builder.printer;
    this.defaultValue = builder.defaultValue;
    this.help = builder.help;
    this.required = builder.required;
    this.validator = builder.validator;
    this.deprecatedNames = List.copyOf(builder.deprecatedNames);
  }

  public static Builder<String> string(String name) {
    return new Builder<>(name, "string", Function.identity(), Function.identity());
  }

  public static Builder<Integer> integer(String name) {
    return new Builder<>(name, "int", text -> number(text, Integer::valueOf), String::valueOf);
  }

  public static Builder<Long> int64(String name) {
    return new Builder<>(name, "long", text -> number(text, Long::valueOf), String::valueOf);
  }

  public static Builder<Double> decimal(String name) {
    return new Builder<>(name, "double", text -> number(text, Double::valueOf), String::valueOf);
  }

  /** A boolean flag: {@code --name}, {@code --no-name}, {@code --name=true|false|1|0}. */
  public static Builder<Boolean> bool(String name) {
    return new Builder<>(name, "bool", Flag::parseBoolean, String::valueOf);
  }

  /** A duration in Mesos' syntax, see {@link Durations}. */
  public static Builder<Duration> duration(String name) {
    return new Builder<>(name, "duration", Durations::parse, Durations::format);
  }

  /**
   * A file path, as stout's {@code Path} flags: a value {@code file:///path} names the path {@code /path} and,
   * unlike other flags' values, is not replaced by the file's contents.
   */
  public static Builder<String> path(String name) {
    return new Builder<>(name, "path", text -> text.startsWith(FILE) ? text.substring(FILE.length()) : text,
        Function.identity());
  }

  /** A size in bytes in Mesos' syntax, see {@link Bytes}. */
  public static Builder<Long> bytes(String name) {
    return new Builder<>(name, "bytes", Bytes::parse, Bytes::format);
  }

  /**
   * A flag of any type; {@code parser} throws {@link IllegalArgumentException} for bad text and
   * {@code printer} renders defaults for the usage text.
   */
  public static <T> Builder<T> of(
      String name, String type, Function<String, T> parser, Function<T, String> printer) {
    return new Builder<>(name, type, parser, printer);
  }

  public String name() {
    return name;
  }

  /** A short type name for the usage text: int, string, bool, duration, ... */
  public String type() {
    return type;
  }

  public boolean isBoolean() {
    return "bool".equals(type);
  }

  /** Whether a value {@code file:///path} stands for the file's contents (every type but {@link #path}). */
  boolean fetchesFiles() {
    return !"path".equals(type);
  }

  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The default as it would be written on the command line, or empty. */
  public Optional<String> defaultText() {
    return defaultValue().map(printer);
  }

  public String help() {
    return help;
  }

  public boolean isRequired() {
    return required;
  }

  /** Old names still accepted, such as {@code slave_ping_timeout} for {@code agent_ping_timeout}. */
  public List<String> deprecatedNames() {
    return deprecatedNames;
  }

  List<String> allNames() {
    List<String> all = new ArrayList<>(deprecatedNames);
    all.add(0, name);
    return all;
  }

  /** {@code value} as it would be written on the command line. */
  public String format(T value) {
    return printer.apply(value);
  }

  T parse(String text) {
    return parser.apply(text);
  }

  Optional<String> validate(T value) {
    return validator.apply(value);
  }

  @Override
  public String toString() {
    return "--" + name;
  }

  private static <N> N number(String text, Function<String, N> parse) {
    try {
      return parse.apply(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number", e);
    }
  }

  private static Boolean parseBoolean(String text) {
    switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
      case "1":
        return Boolean.TRUE;
      case "false":
      case "0":
        return Boolean.FALSE;
      default:
        throw new IllegalArgumentException("expecting 'true' or 'false'");
    }
  }

  /** Describes a flag before it is registered. Not thread-safe; use it in one declaration. */
  public static final class Builder<T> {
    private final String name;
    private final String type;
    private final Function<String, T> parser;
    private final Function<T, String> printer;
    private T defaultValue;
    private String help = "";
    private boolean required;
    private Function<? super T, Optional<String>> validator = value -> Optional.empty();
    private final List<String> deprecatedNames = new ArrayList<>();

    private Builder(String name, String type, Function<String, T> parser,
        Function<T, String> printer) {
      this.name = checkName(name);
      this.type = Objects.requireNonNull(type, "type");
      this.parser = Objects.requireNonNull(parser, "parser");
      this.printer = Objects.requireNonNull(printer, "printer");
    }

    public Builder<T> defaultValue(T value) {
      this.defaultValue = Objects.requireNonNull(value, "value");
      return this;
    }

    public Builder<T> help(String text) {
      this.help = Objects.requireNonNull(text, "text");
      return this;
    }

    /** Another name the flag answers to on the command line and in the environment. */
    public Builder<T> deprecatedName(String oldName) {
      deprecatedNames.add(checkName(oldName));
      return this;
    }

    private static String checkName(String name) {
      if (!name.matches("[a-z0-9][a-z0-9_]*")) {
        throw new IllegalArgumentException(
            "Flag name '" + name + "' must be lower case letters, digits and underscores");
      }
      return name;
    }

    /** Loading fails when the flag is given neither on the command line nor in the environment. */
    public Builder<T> required() {
      this.required = true;
      return this;
    }

    /** Checks a loaded value (not the default); answers an error message or empty. */
    public Builder<T> validator(Function<? super T, Optional<String>> check) {
      this.validator = Objects.requireNonNull(check, "check");
      return this;
    }

    Flag<T> build() {
      if (required && defaultValue != null) {
        throw new IllegalArgumentException("Required flag '" + name + "' cannot have a default");
      }
      return new Flag<>(this);
    }
  }
}
