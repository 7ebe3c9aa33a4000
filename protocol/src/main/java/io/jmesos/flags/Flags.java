package io.jmesos.flags;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A component's typed flags, loaded from the command line and the environment like Mesos' stout
 * flags. See the package documentation for an example.
 *
 * <p>Command line: {@code --name=value}; a boolean also as {@code --name} or {@code --no-name}.
 * Dashes in a name are read as underscores; a flag also answers to its deprecated names. A value {@code
 * file:///path} is replaced by the file's contents, except for {@link Flag#path} flags. Environment: {@code
 * MESOS_NAME} (the prefix is configurable) applies when the flag is not on the command line. Unknown command-line
 * flags are errors; unknown environment variables are ignored. {@code --help} is always declared.
 *
 * <p>Threading: declare and {@link #load} on one thread; afterwards the instance may be read from
 * any thread once safely published (e.g. through a final field). Not safe for concurrent loads.
 */
public class Flags {
  /** The environment prefix Mesos daemons use. */
  public static final String MESOS_PREFIX = "MESOS_";
  /** The largest file a {@code file://} value may name. */
  static final int MAX_FILE_BYTES = 16 << 20;

  private final String envPrefix;
  private final Map<String, Flag<?>> flags = new TreeMap<>();
  /** Every name a flag answers to, deprecated ones included. */
  private final Map<String, Flag<?>> names = new HashMap<>();
  private final Map<String, Object> values = new HashMap<>();
  private final Flag<Boolean> help;

  public Flags() {
    this(MESOS_PREFIX);
  }

  /** Flags that read environment variables named {@code envPrefix + NAME}. */
  public Flags(String envPrefix) {
    this.envPrefix = Objects.requireNonNull(envPrefix, "envPrefix");
    this.help = add(Flag.bool("help").defaultValue(false).help("Prints this help message"));
  }

  /** Registers a flag; its name must be new. */
  public final <T> Flag<T> add(Flag.Builder<T> builder) {
    Flag<T> flag = builder.build();
    for (String name : flag.allNames()) {
      if (names.containsKey(name)) {
        throw new IllegalArgumentException("Flag '" + name + "' is declared twice");
      }
    }
    flag.allNames().forEach(name -> names.put(name, flag));
    flags.put(flag.name(), flag);
    return flag;
  }

  /** The declared flags, sorted by name. */
  public Collection<Flag<?>> flags() {
    return Collections.unmodifiableCollection(flags.values());
  }

  /**
   * Loads values from {@code args} (program name excluded) and then, for flags not on the command
   * line, from {@code env}; then checks required flags and validators. With {@code --help} only
   * the help flag is guaranteed to be loaded: required flags are not checked.
   *
   * @throws FlagsException naming the flag at fault
   */
  public Flags load(String[] args, Map<String, String> env) {
    Map<String, String> given = new HashMap<>();
    for (String arg : args) {
      parseArgument(arg, given);
    }
    for (Map.Entry<String, String> entry : env.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(envPrefix)) {
        String name = key.substring(envPrefix.length()).toLowerCase(Locale.ROOT);
        Flag<?> flag = names.get(name);
        if (flag != null && !given.containsKey(flag.name())) {
          set(flag, entry.getValue(), "environment variable " + key);
        }
      }
    }
    for (Map.Entry<String, String> entry : given.entrySet()) {
      set(flags.get(entry.getKey()), entry.getValue(), null);
    }
    if (helpRequested()) {
      return this;
    }
    for (Flag<?> flag : flags.values()) {
      if (flag.isRequired() && !values.containsKey(flag.name())) {
        throw new FlagsException(
            "Flag '" + flag.name() + "' is required, but it was not provided");
      }
    }
    return this;
  }

  private void parseArgument(String arg, Map<String, String> given) {
    if (!arg.startsWith("--") || arg.length() == 2) {
      throw new FlagsException("Unexpected argument '" + arg + "': flags look like --name=value");
    }
    int equals = arg.indexOf('=');
    String written = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
    String value = equals < 0 ? null : arg.substring(equals + 1);
    String name = written.replace('-', '_');
    boolean negated = false;
    if (!names.containsKey(name) && name.startsWith("no_")) {
      name = name.substring(3);
      negated = true;
      if (!names.containsKey(name)) {
        throw new FlagsException(
            "Failed to load unknown flag '" + name + "' via '" + written + "'");
      }
    }
    Flag<?> flag = names.get(name);
    if (flag == null) {
      throw new FlagsException("Failed to load unknown flag '" + name + "'");
    }
    name = flag.name();
    if (negated || value == null) {
      if (!flag.isBoolean()) {
        throw new FlagsException("Failed to load non-boolean flag '" + name + "' via '"
            + written + "': expecting --" + name + "=VALUE");
      }
      if (negated && value != null) {
        throw new FlagsException("Failed to load boolean flag '" + name + "' via '" + written
            + "' with value '" + value + "'");
      }
      value = negated ? "false" : "true";
    }
    if (given.put(name, value) != null) {
      throw new FlagsException("Flag '" + name + "' is given more than once");
    }
  }

  private <T> void set(Flag<T> flag, String text, String source) {
    String where = source == null ? "" : " from " + source;
    T value;
    try {
      value = flag.parse(flag.fetchesFiles() ? contents(text) : text);
    } catch (IllegalArgumentException | IOException e) {
      throw new FlagsException("Failed to load flag '" + flag.name() + "'" + where
          + ": Failed to load value '" + text + "': " + e.getMessage(), e);
    }
    Optional<String> error = flag.validate(value);
    if (error.isPresent()) {
      throw new FlagsException(
          "Failed to validate flag '" + flag.name() + "'" + where + ": " + error.get());
    }
    values.put(flag.name(), value);
  }

  private static String contents(String text) throws IOException {
    if (!text.startsWith("file://")) {
      return text;
    }
    byte[] bytes;
    // Bounded: a value naming /dev/zero or a huge file fails instead of filling the heap.
    try (InputStream in = Files.newInputStream(Paths.get(text.substring(7)))) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IOException("'" + text.substring(7) + "' is larger than " + MAX_FILE_BYTES + " bytes");
    }
    String content = new String(bytes, StandardCharsets.UTF_8);
    return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
  }


  /** The loaded value, else the default. */
  public <T> T get(Flag<T> flag) {
    return find(flag).orElseThrow(() ->
        new NoSuchElementException("Flag '" + flag.name() + "' has no value and no default"));
  }

  /** The loaded value, else the default, else empty. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Flag<T> flag) {
    if (flags.get(flag.name()) != flag) {
      throw new IllegalArgumentException("Flag '" + flag.name() + "' is not declared here");
    }
    Object value = values.get(flag.name());
    return value != null ? Optional.of((T) value) : flag.defaultValue();
  }

  /** True when the flag was given on the command line or in the environment. */
  public boolean isSet(Flag<?> flag) {
    return values.containsKey(flag.name());
  }

  public boolean helpRequested() {
    return get(help);
  }

  /** The {@code --help} text: one entry per flag, sorted by name, with default and help. */
  public String usage(String programName) {
    return FlagsUsage.usage(programName, flags.values());
  }

  /** A Markdown table of the flags, sorted by name, for the configuration docs. */
  public String markdown() {
    return FlagsUsage.markdown(flags.values());
  }

  /** Every flag with a value as {@code --name=value}, sorted, e.g. for a startup log line. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (Flag<?> flag : flags.values()) {
      describe(flag).ifPresent(lines::add);
    }
    return lines;
  }

  private <T> Optional<String> describe(Flag<T> flag) {
    return find(flag).map(value -> "--" + flag.name() + "=" + flag.format(value));
  }
}
