package io.jmesos.agent.flags;

import io.jmesos.detector.MasterLocation;
import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import io.jmesos.logging.LoggingFlags;
import io.jmesos.resources.Attributes;
import io.jmesos.resources.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's configuration, named and defaulted as Mesos names its agent flags ({@code --name=value} or
 * {@code MESOS_NAME}; the command line wins). Unknown flags, missing required flags and invalid values are
 * {@link io.jmesos.flags.FlagsException}s. Loaded once at start-up, then read-only and thread-safe.
 */
public final class AgentFlags extends Flags {
  public final Flag<String> master = add(Flag.string("master").required()
      .help("May be one of: 'host:port', 'master@host:port', 'zk://host1:port1,host2:port2,.../path', "
          + "'zk://username:password@host1:port1,host2:port2,.../path', 'file:///path/to/file' (where file "
          + "contains one of the above); with ZooKeeper the agent follows the elected leader")
      .validator(v -> check(() -> MasterLocation.parse(v))));
  public final Flag<Duration> zkSessionTimeout =
      add(Flag.duration("zk_session_timeout").defaultValue(Duration.ofSeconds(10))
          .help("ZooKeeper session timeout")
          .validator(d -> d.isZero() || d.isNegative() ? Optional.of("must be positive") : Optional.empty()));
  public final Flag<String> ip = add(Flag.string("ip")
      .help("IP address to listen on and to advertise; by default the agent listens on all interfaces and "
          + "advertises the address of the host's name"));
  public final Flag<Integer> port = add(Flag.integer("port").defaultValue(5051)
      .help("Port to listen on")
      .validator(p -> p >= 0 && p < 65536 ? Optional.empty() : Optional.of("not a port number")));
  public final Flag<String> hostname = add(Flag.string("hostname")
      .help("Host name the agent reports to the master; by default the machine's name"));
  public final Flag<String> workDir = add(Flag.string("work_dir").required()
      .help("Directory for sandboxes and agent metadata"));
  /** --quiet, --logging_level, --log_dir, --external_log_file. */
  public final LoggingFlags logging = new LoggingFlags(this);
  /** --authenticate_http_readonly, --authenticate_http_readwrite, --http_credentials, --http_authenticators. */
  public final AuthenticationFlags authentication = new AuthenticationFlags(this);
  public final Flag<String> acls = add(Flag.string("acls")
      .help("The value could be a JSON-formatted string of ACLs or a file path containing the JSON-formatted ACLs "
          + "used for authorization (Mesos' ACLs message). Path could be of the form `file:///path/to/file` or "
          + "`/path/to/file`. Without it nothing is authorized: every request is allowed. The agent enforces "
          + "access_sandboxes (/files and LIST_FILES/READ_FILE on sandboxes), view_flags (/flags) and get_endpoints "
          + "(/metrics/snapshot, /monitor/statistics, /files/debug, /logging/toggle)"));
  public final Flag<String> authorizer = add(Flag.string("authorizer").defaultValue("local")
      .help("Authorizer implementation to use when authorizing actions that require it. Only the default, "
          + "`local` (the ACLs of --acls), exists: jmesos loads no modules"));
  public final Flag<String> resources = add(Flag.string("resources")
      .help("Total consumable resources, e.g. 'cpus:2;mem:1024;disk:4096;ports:[31000-32000]'; cpus, mem, "
          + "disk and ports that are not given are detected from the machine")
      .validator(v -> check(() -> Resources.parse(v, "*"))));
  public final Flag<String> attributes = add(Flag.string("attributes")
      .help("Attributes of the machine, e.g. 'rack:r1;zone:z2'")
      .validator(v -> check(() -> Attributes.parse(v))));
  public final Flag<String> defaultRole = add(Flag.string("default_role").defaultValue("*")
      .help("Role of resources given in --resources without one"));
  public final Flag<Duration> executorRegistrationTimeout =
      add(Flag.duration("executor_registration_timeout").defaultValue(Duration.ofMinutes(1))
          .help("How long an executor may take to subscribe before it is destroyed and its tasks fail"));
  public final Flag<Duration> executorShutdownGracePeriod =
      add(Flag.duration("executor_shutdown_grace_period").defaultValue(Duration.ofSeconds(5))
          .help("Time an executor gets to shut down before it is killed; ExecutorInfo.shutdown_grace_period "
              + "overrides it"));
  public final Flag<Duration> registrationBackoffFactor =
      add(Flag.duration("registration_backoff_factor").defaultValue(Duration.ofSeconds(1))
          .help("Initial backoff of (re-)registration attempts with the master; doubles up to 1mins"));
  public final Flag<Duration> gcDelay = add(Flag.duration("gc_delay").defaultValue(Duration.ofDays(7))
      .help("Maximum amount of time to wait before cleaning up executor directories; may be shorter "
          + "depending on the available disk usage (see --gc_disk_headroom)")
      .validator(d -> d.isNegative() ? Optional.of("must not be negative") : Optional.empty()));
  public final Flag<Double> gcDiskHeadroom = add(Flag.decimal("gc_disk_headroom").defaultValue(0.1)
      .help("Adjust disk headroom used to calculate the maximum executor directory age: "
          + "gc_delay * max(0.0, (1.0 - gc_disk_headroom - disk usage)); between 0.0 and 1.0")
      .validator(h -> h >= 0.0 && h <= 1.0 ? Optional.empty() : Optional.of("must be between 0.0 and 1.0")));
  public final Flag<Duration> diskWatchInterval =
      add(Flag.duration("disk_watch_interval").defaultValue(Duration.ofMinutes(1))
          .help("Periodic time interval for checking the disk usage of the work directory")
          .validator(d -> d.isZero() || d.isNegative() ? Optional.of("must be positive") : Optional.empty()));
  public final Flag<String> isolation = add(Flag.string("isolation").defaultValue("posix/cpu,posix/mem")
      .help("Comma-separated isolation mechanisms: cgroups/cpu, cgroups/mem, cgroups/pids, posix/cpu, "
          + "posix/mem; any cgroups/* isolator also places the executor in its own cgroups (freezer on v1)")
      .validator(AgentFlags::isolationError));
  public final Flag<String> cgroupsHierarchy = add(Flag.string("cgroups_hierarchy").defaultValue("/sys/fs/cgroup")
      .help("Where the cgroup hierarchies are mounted: one directory per controller (cgroup v1) or the "
          + "unified hierarchy (cgroup v2, detected by its cgroup.controllers file)"));
  public final Flag<String> cgroupsRoot = add(Flag.string("cgroups_root").defaultValue("mesos")
      .help("Name of the cgroup, under each hierarchy, that holds one cgroup per container")
      .validator(v -> v.isEmpty() || v.startsWith("/") || v.contains("..")
          ? Optional.of("must be a relative cgroup path") : Optional.empty()));
  public final Flag<Boolean> cgroupsEnableCfs = add(Flag.bool("cgroups_enable_cfs").defaultValue(false)
      .help("Cap each container's CPU time with a CFS quota of cpus x 100ms per 100ms period (cgroups/cpu), "
          + "on top of its cpu.shares weight"));
  public final Flag<Boolean> cgroupsLimitSwap = add(Flag.bool("cgroups_limit_swap").defaultValue(false)
      .help("Limit memory plus swap, not only memory, to the container's mem (cgroups/mem)"));
  public final Flag<Boolean> switchUser = add(Flag.bool("switch_user").defaultValue(true)
      .help("Run each executor as the user of its CommandInfo, else of its framework (requires the agent to "
          + "run as root); when false executors run as the agent's user"));
  public final Flag<String> commandExecutor = add(Flag.string("command_executor").defaultValue("embedded")
      .help("(jmesos only) How command tasks run: 'jvm' starts the built-in command executor, a JVM, in each "
          + "task's container; 'embedded' starts the task's command itself as the container's process and "
          + "plays the command executor inside the agent (same status updates, no executor JVM per task)")
      .validator(v -> COMMAND_EXECUTORS.contains(v) ? Optional.empty()
          : Optional.of("must be one of " + String.join(", ", COMMAND_EXECUTORS))));

  public final Flag<String> recover = add(Flag.string("recover").defaultValue("reconnect")
      .help("Whether to recover status updates and reconnect with old executors: 'reconnect' reconnects with "
          + "any old live executors; 'cleanup' kills any old live executors and exits (use it for an "
          + "incompatible agent or executor upgrade)")
      .validator(v -> v.equals("reconnect") || v.equals("cleanup") ? Optional.empty()
          : Optional.of("must be 'reconnect' or 'cleanup'")));
  public final Flag<Boolean> strict = add(Flag.bool("strict").defaultValue(true)
      .help("If true, any and all recovery errors are fatal; if false, expected errors (a checkpoint the "
          + "agent died while writing, an unreadable file) are skipped and as much state as possible is "
          + "recovered"));
  public final Flag<Duration> recoveryTimeout = add(Flag.duration("recovery_timeout").defaultValue(
      Duration.ofMinutes(15))
      .help("Amount of time allotted for the agent to recover; executors waiting to reconnect longer than "
          + "this self-terminate")
      .validator(d -> d.isNegative() ? Optional.of("must not be negative") : Optional.empty()));
  public final Flag<Duration> executorReregistrationTimeout =
      add(Flag.duration("executor_reregistration_timeout").defaultValue(Duration.ofSeconds(2))
          .help("How long recovered executors have to re-subscribe after the agent restarted before the "
              + "agent considers them gone and shuts them down")
          .validator(d -> d.isNegative() ? Optional.of("must not be negative") : Optional.empty()));
  public final Flag<Duration> executorReregistrationRetryInterval =
      add(Flag.duration("executor_reregistration_retry_interval")
          .help("For PID-based executors, how long the agent waits before retrying the reconnect message; "
              + "jmesos has HTTP executors only, which reconnect by themselves, so the value is accepted and "
              + "unused"));
  public final Flag<String> reconfigurationPolicy = add(Flag.string("reconfiguration_policy").defaultValue("equal")
      .help("Which agent configuration changes are acceptable when recovering: 'equal' (the old and the new "
          + "agent info must match exactly) or 'additive' (resources and attributes may be added, not removed "
          + "or changed)")
      .validator(v -> v.equals("equal") || v.equals("additive") ? Optional.empty()
          : Optional.of("must be 'equal' or 'additive'")));
  public final Flag<String> runtimeDir = add(Flag.string("runtime_dir")
      .help("Where the agent keeps runtime data it needs across its own crashes but not across reboots (each "
          + "container's pid and exit status); by default <work_dir>/runtime, so that agents sharing a "
          + "machine never mistake each other's containers for orphans"));

  /** Loads command-line arguments over {@code MESOS_*} environment variables. */
  public static AgentFlags parse(List<String> args, Map<String, String> environment) {
    AgentFlags flags = new AgentFlags();
    flags.load(args.toArray(new String[0]), environment);
    return flags;
  }

  /** Loads a map of flag names to values, as tests and embedders configure an agent. */
  public static AgentFlags of(Map<String, String> values) {
    return parse(values.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList(), Map.of());
  }

  /** The {@code --help} text. */
  public static String usage() {
    return new AgentFlags().usage("mesos-agent");
  }

  public String master() {
    return get(master);
  }

  /** Where --master says the master is: one address, or ZooKeeper to detect the leader through. */
  public MasterLocation masterLocation() {
    return MasterLocation.parse(master());
  }

  public Duration zkSessionTimeout() {
    return get(zkSessionTimeout);
  }

  /** The --ip flag, or null when absent. */
  public String ip() {
    return find(ip).orElse(null);
  }

  public int port() {
    return get(port);
  }

  /** The --hostname flag, or null when absent. */
  public String hostname() {
    return find(hostname).orElse(null);
  }

  /** The --work_dir flag made absolute: sandboxes handed to executors must not depend on their cwd. */
  public Path workDir() {
    return Path.of(get(workDir)).toAbsolutePath().normalize();
  }

  /** The --resources text, or null when absent (then everything is detected from the machine). */
  public String resources() {
    return find(resources).orElse(null);
  }

  public Attributes attributes() {
    return Attributes.parse(find(attributes).orElse(""));
  }

  public String defaultRole() {
    return get(defaultRole);
  }

  public Duration executorRegistrationTimeout() {
    return get(executorRegistrationTimeout);
  }

  public Duration executorShutdownGracePeriod() {
    return get(executorShutdownGracePeriod);
  }

  public Duration registrationBackoffFactor() {
    return get(registrationBackoffFactor);
  }

  public Duration gcDelay() {
    return get(gcDelay);
  }

  public double gcDiskHeadroom() {
    return get(gcDiskHeadroom);
  }

  public Duration diskWatchInterval() {
    return get(diskWatchInterval);
  }

  public String isolation() {
    return get(isolation);
  }

  /** The isolators named by --isolation, in order, without duplicates. */
  public List<String> isolators() {
    return java.util.Arrays.stream(isolation().split(",")).map(String::trim).filter(n -> !n.isEmpty())
        .distinct().toList();
  }

  public Path cgroupsHierarchy() {
    return Path.of(get(cgroupsHierarchy));
  }

  public String cgroupsRoot() {
    return get(cgroupsRoot);
  }

  public boolean cgroupsEnableCfs() {
    return get(cgroupsEnableCfs);
  }

  public boolean cgroupsLimitSwap() {
    return get(cgroupsLimitSwap);
  }

  public boolean switchUser() {
    return get(switchUser);
  }

  /** True with {@code --command_executor=embedded}: command tasks run without an executor JVM. */
  public boolean embeddedCommandExecutor() {
    return get(commandExecutor).equals("embedded");
  }

  /** True with {@code --recover=cleanup}: kill the old executors and exit. */
  public boolean recoverCleanup() {
    return get(recover).equals("cleanup");
  }

  public boolean strict() {
    return get(strict);
  }

  public Duration recoveryTimeout() {
    return get(recoveryTimeout);
  }

  public Duration executorReregistrationTimeout() {
    return get(executorReregistrationTimeout);
  }

  /** True with {@code --reconfiguration_policy=additive}. */
  public boolean additiveReconfiguration() {
    return get(reconfigurationPolicy).equals("additive");
  }

  /** The --runtime_dir flag made absolute, {@code <work_dir>/runtime} by default. */
  public Path runtimeDir() {
    return find(runtimeDir).map(d -> Path.of(d).toAbsolutePath().normalize()).orElse(workDir().resolve("runtime"));
  }

  /** Every flag that has a value, as Mesos' {@code /state} shows them: name to text. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (Flag<?> flag : flags()) {
      put(map, flag);
    }
    return Collections.unmodifiableMap(map);
  }

  private <T> void put(Map<String, String> map, Flag<T> flag) {
    find(flag).ifPresent(value -> map.put(flag.name(), flag.format(value)));
  }

  private static Optional<String> check(Runnable parse) {
    try {
      parse.run();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The values --command_executor accepts. */
  public static final List<String> COMMAND_EXECUTORS = List.of("jvm", "embedded");

  /** The isolators --isolation accepts. */
  public static final List<String> ISOLATORS =
      List.of("cgroups/cpu", "cgroups/mem", "cgroups/pids", "posix/cpu", "posix/mem");

  private static Optional<String> isolationError(String value) {
    for (String isolator : value.split(",")) {
      String name = isolator.trim();
      if (!name.isEmpty() && !ISOLATORS.contains(name)) {
        return Optional.of("unknown isolator '" + name + "' (supported: " + String.join(", ", ISOLATORS) + ")");
      }
    }
    return Optional.empty();
  }

  // Hardened inputs (docs/security.md); kept together at the end.
  public final Flag<Integer> maxConnectionsPerPeer = add(Flag.integer("max_connections_per_peer").defaultValue(1000)
      .help("Connections one remote IP address may hold open to this agent at once; one more is closed at once. "
          + "Connections from this host are not counted. 0 for no limit (jmesos only)")
      .validator(n -> n >= 0 ? Optional.empty() : Optional.of("must not be negative")));

  /** {@code --max_connections_per_peer}: 0 for no limit. */
  public int maxConnectionsPerPeer() {
    return get(maxConnectionsPerPeer);
  }
}
