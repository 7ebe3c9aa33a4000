package io.jmesos.master.flags;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The master's flags, named and defaulted as Mesos 1.11's. Parse with {@link #parse}; build programmatically
 * (tests) with {@link #defaults()} and the setters. Mutable until handed to the master; not thread-safe.
 */
public final class MasterFlags {
  private String ip;
  private int port = 5050;
  private String hostname;
  private String workDir;
  private String allocator = "Simple";
  private Duration allocationInterval = Duration.ofSeconds(1);
  private Duration agentPingTimeout = Duration.ofSeconds(15);
  private int maxAgentPingTimeouts = 5;
  private Duration offerTimeout;
  private String registry = "in_memory";
  private boolean quiet;
  private String cluster;
  private int maxCompletedFrameworks = 50;
  private int maxCompletedTasksPerFramework = 1000;
  private boolean help;

  private record Spec(String name, String help, Function<MasterFlags, String> current,
      BiConsumer<MasterFlags, String> set, boolean bool) {}

  private static final List<Spec> SPECS = new ArrayList<>();

  static {
    flag("ip", "IP address to listen on (default: all interfaces)", f -> f.ip, (f, v) -> f.ip = v);
    flag("port", "Port to listen on", f -> String.valueOf(f.port), (f, v) -> f.port = integer("port", v));
    flag("hostname", "Hostname to advertise (default: the machine's hostname)", f -> f.hostname,
        (f, v) -> f.hostname = v);
    flag("work_dir", "Where the master keeps its persistent state (registry)", f -> f.workDir,
        (f, v) -> f.workDir = v);
    flag("allocator", "Allocator to use, by name (found through ServiceLoader)", f -> f.allocator,
        (f, v) -> f.allocator = v);
    flag("allocation_interval", "Time between batch allocations", f -> MesosDuration.format(f.allocationInterval),
        (f, v) -> f.allocationInterval = positive("allocation_interval", v));
    flag("agent_ping_timeout", "Time to wait for an agent's pong before counting a missed ping",
        f -> MesosDuration.format(f.agentPingTimeout), (f, v) -> f.agentPingTimeout = positive("agent_ping_timeout", v));
    flag("max_agent_ping_timeouts", "Missed pongs after which an agent is marked unreachable",
        f -> String.valueOf(f.maxAgentPingTimeouts),
        (f, v) -> f.maxAgentPingTimeouts = integer("max_agent_ping_timeouts", v));
    flag("offer_timeout", "Time after which an outstanding offer is rescinded (default: never)",
        f -> f.offerTimeout == null ? null : MesosDuration.format(f.offerTimeout),
        (f, v) -> f.offerTimeout = positive("offer_timeout", v));
    flag("registry", "Registry backend: in_memory (replicated_log and zk are not implemented yet)",
        f -> f.registry, (f, v) -> {
          if (!v.equals("in_memory")) {
            throw new IllegalArgumentException("Unsupported --registry '" + v + "'; only in_memory is implemented");
          }
          f.registry = v;
        });
    flag("cluster", "Human readable cluster name shown in /state", f -> f.cluster, (f, v) -> f.cluster = v);
    flag("max_completed_frameworks", "Completed frameworks kept for /state",
        f -> String.valueOf(f.maxCompletedFrameworks),
        (f, v) -> f.maxCompletedFrameworks = integer("max_completed_frameworks", v));
    flag("max_completed_tasks_per_framework", "Completed tasks kept per framework for /state",
        f -> String.valueOf(f.maxCompletedTasksPerFramework),
        (f, v) -> f.maxCompletedTasksPerFramework = integer("max_completed_tasks_per_framework", v));
    SPECS.add(new Spec("quiet", "Disable logging to stderr", f -> String.valueOf(f.quiet),
        (f, v) -> f.quiet = bool("quiet", v), true));
    SPECS.add(new Spec("help", "Print this help and exit", f -> String.valueOf(f.help),
        (f, v) -> f.help = bool("help", v), true));
  }

  private static void flag(String name, String help, Function<MasterFlags, String> current,
      BiConsumer<MasterFlags, String> set) {
    SPECS.add(new Spec(name, help, current, set, false));
  }

  public static MasterFlags defaults() {
    return new MasterFlags();
  }

  /**
   * Parses {@code MESOS_*} variables from {@code env}, then {@code args} (which win).
   *
   * @throws FlagsException naming the offending flag
   */
  public static MasterFlags parse(String[] args, Map<String, String> env) throws FlagsException {
    MasterFlags flags = new MasterFlags();
    for (Spec spec : SPECS) {
      String value = env.get("MESOS_" + spec.name.toUpperCase(Locale.ROOT));
      if (value != null) {
        flags.set(spec, value, "environment variable MESOS_" + spec.name.toUpperCase(Locale.ROOT));
      }
    }
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new FlagsException("Unexpected argument '" + arg + "'; flags look like --name=value");
      }
      String body = arg.substring(2);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      String value = eq < 0 ? null : body.substring(eq + 1);
      Optional<Spec> spec = find(name);
      if (spec.isEmpty() && value == null && name.startsWith("no-")) {
        Optional<Spec> negated = find(name.substring(3)).filter(Spec::bool);
        if (negated.isPresent()) {
          flags.set(negated.get(), "false", "--" + name);
          continue;
        }
      }
      if (spec.isEmpty()) {
        throw new FlagsException("Failed to load unknown flag '" + name + "'");
      }
      if (value == null) {
        if (!spec.get().bool) {
          throw new FlagsException("Failed to load flag '" + name + "': missing value");
        }
        value = "true";
      }
      flags.set(spec.get(), value, "--" + name);
    }
    return flags;
  }

  private static Optional<Spec> find(String name) {
    return SPECS.stream().filter(s -> s.name.equals(name)).findFirst();
  }

  private void set(Spec spec, String value, String source) throws FlagsException {
    try {
      spec.set.accept(this, value);
    } catch (IllegalArgumentException e) {
      throw new FlagsException("Failed to load flag '" + spec.name + "' from " + source + ": " + e.getMessage());
    }
  }

  /** The flags and their help, as {@code --help} prints them. */
  public static String usage() {
    StringBuilder out = new StringBuilder("Usage: mesos-master [options]\n\n");
    MasterFlags defaults = new MasterFlags();
    for (Spec spec : SPECS) {
      String name = spec.bool ? "--[no-]" + spec.name : "--" + spec.name + "=VALUE";
      out.append(String.format("  %-40s %s", name, spec.help));
      String current = spec.current.apply(defaults);
      if (current != null && !spec.bool) {
        out.append(" (default: ").append(current).append(')');
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Every flag with a value, as /state's {@code flags} shows them. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (Spec spec : SPECS) {
      String value = spec.current.apply(this);
      if (value != null && !spec.name.equals("help")) {
        map.put(spec.name, value);
      }
    }
    return map;
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not an integer");
    }
  }

  private static boolean bool(String name, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true": case "1": return true;
      case "false": case "0": return false;
      default: throw new IllegalArgumentException("'" + value + "' is not a boolean");
    }
  }

  private static Duration positive(String name, String value) {
    Duration d = MesosDuration.parse(value);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("must be positive");
    }
    return d;
  }

  // ---- Accessors and fluent setters (for tests and embedding) ----

  public String ip() { return ip; }
  public int port() { return port; }
  public String hostname() { return hostname; }
  public String workDir() { return workDir; }
  public String allocator() { return allocator; }
  public Duration allocationInterval() { return allocationInterval; }
  public Duration agentPingTimeout() { return agentPingTimeout; }
  public int maxAgentPingTimeouts() { return maxAgentPingTimeouts; }
  /** Empty when offers never time out (Mesos' default). */
  public Optional<Duration> offerTimeout() { return Optional.ofNullable(offerTimeout); }
  public String registry() { return registry; }
  public boolean quiet() { return quiet; }
  public String cluster() { return cluster; }
  public int maxCompletedFrameworks() { return maxCompletedFrameworks; }
  public int maxCompletedTasksPerFramework() { return maxCompletedTasksPerFramework; }
  public boolean help() { return help; }

  public MasterFlags ip(String v) { ip = v; return this; }
  public MasterFlags port(int v) { port = v; return this; }
  public MasterFlags hostname(String v) { hostname = v; return this; }
  public MasterFlags allocator(String v) { allocator = v; return this; }
  public MasterFlags allocationInterval(Duration v) { allocationInterval = v; return this; }
  public MasterFlags agentPingTimeout(Duration v) { agentPingTimeout = v; return this; }
  public MasterFlags maxAgentPingTimeouts(int v) { maxAgentPingTimeouts = v; return this; }
  public MasterFlags offerTimeout(Duration v) { offerTimeout = v; return this; }
}
