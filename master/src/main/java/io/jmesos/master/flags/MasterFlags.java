package io.jmesos.master.flags;

import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import io.jmesos.logging.LoggingFlags;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The master's flags, named and defaulted as Mesos 1.11's ({@code --name=value} or {@code MESOS_NAME}; the
 * command line wins). Unknown flags and invalid values are {@link io.jmesos.flags.FlagsException}s. Load with
 * {@link #parse} or, in tests and embedders, {@link #of}; loaded once, then read-only and safe to share across
 * threads once safely published.
 */
public final class MasterFlags extends Flags {
  public final Flag<String> ip = add(Flag.string("ip")
      .help("IP address to listen on (default: all interfaces)"));
  public final Flag<Integer> port = add(Flag.integer("port").defaultValue(5050)
      .help("Port to listen on")
      .validator(p -> p >= 0 && p < 65536 ? Optional.empty() : Optional.of("not a port number")));
  public final Flag<String> hostname = add(Flag.string("hostname")
      .help("Hostname to advertise (default: the machine's hostname)"));
  public final Flag<String> advertiseIp = add(Flag.string("advertise_ip")
      .help("IP address this master publishes as its own (in its MasterInfo, so in ZooKeeper, /state and the "
          + "redirects of other masters); it does not bind to it. Useful behind NAT")
      .validator(MasterFlags::ipLiteral));
  public final Flag<Integer> advertisePort = add(Flag.integer("advertise_port")
      .help("Port this master publishes as its own, along with --advertise_ip; it does not bind to it")
      .validator(p -> p >= 0 && p < 65536 ? Optional.empty() : Optional.of("not a port number")));
  public final Flag<String> workDir = add(Flag.string("work_dir")
      .help("Where the master keeps its persistent state (registry)"));
  public final Flag<String> allocator = add(Flag.string("allocator").defaultValue("HierarchicalDRF")
      .help("Allocator to use, by name (found through ServiceLoader)"));
  public final Flag<Duration> allocationInterval =
      add(Flag.duration("allocation_interval").defaultValue(Duration.ofSeconds(1))
          .help("Time between batch allocations")
          .validator(MasterFlags::positive));
  public final Flag<String> roleSorter = add(Flag.string("role_sorter").defaultValue("drf")
      .deprecatedName("user_sorter")
      .help("Policy to use for allocating resources between roles when allocating up to quota guarantees as "
          + "well as when allocating up to quota limits. May be one of: [drf, random]")
      .validator(AllocatorFlagFormats::sorter));
  public final Flag<String> frameworkSorter = add(Flag.string("framework_sorter").defaultValue("drf")
      .help("Policy to use for allocating resources between a given role's frameworks. Options are the same "
          + "as for --role_sorter")
      .validator(AllocatorFlagFormats::sorter));
  public final Flag<String> weights = add(Flag.string("weights")
      .help("A comma-separated list of role/weight pairs of the form 'role=weight,role=weight'. Weights control "
          + "the relative share of cluster resources offered to different roles. Deprecated in Mesos: "
          + "operators should configure weights dynamically with the /weights endpoint or UPDATE_WEIGHTS")
      .validator(text -> AllocatorFlagFormats.weights(text).errorIfAny()));
  public final Flag<String> fairSharingExcludedResourceNames =
      add(Flag.string("fair_sharing_excluded_resource_names")
          .help("A comma-separated list of the resource names (e.g. 'gpus') that will be excluded from fair "
              + "sharing constraints"));
  public final Flag<String> minAllocatableResources = add(Flag.string("min_allocatable_resources")
      .defaultValue("cpus:0.01|mem:32")
      .help("One or more sets of resource quantities that define the minimum allocatable resources for the "
          + "allocator: it only offers resources that meet the quantities of at least one of the sets. "
          + "Quantities in a set are separated by semicolons (logical AND), sets by the pipe character "
          + "(logical OR). Example: 'disk:1|cpus:1;mem:32' offers resources that contain at least 1 MB of disk, "
          + "or at least 1 cpu and 32 MB of memory")
      .validator(text -> AllocatorFlagFormats.minAllocatableResources(text).errorIfAny()));
  public final Flag<Duration> agentPingTimeout =
      add(Flag.duration("agent_ping_timeout").defaultValue(Duration.ofSeconds(15))
          .help("Time to wait for an agent's pong before counting a missed ping")
          .validator(MasterFlags::positive));
  public final Flag<Integer> maxAgentPingTimeouts = add(Flag.integer("max_agent_ping_timeouts").defaultValue(5)
      .help("Missed pongs after which an agent is marked unreachable")
      .validator(n -> n >= 1 ? Optional.empty() : Optional.of("must be at least 1")));
  public final Flag<Duration> agentReregisterTimeout =
      add(Flag.duration("agent_reregister_timeout").defaultValue(Duration.ofMinutes(10))
          .help("The timeout within which an agent is expected to re-register after its connection to the master "
              + "broke. Agents that do not re-register within the timeout are marked unreachable. Must be at "
              + "least 10mins")
          .validator(d -> d.compareTo(Duration.ofMinutes(10)) < 0
              ? Optional.of("Expected --agent_reregister_timeout to be at least 10mins") : Optional.empty()));
  public final Flag<String> agentRemovalRateLimit = add(Flag.string("agent_removal_rate_limit")
      .help("The maximum rate (e.g., '1/10mins', '2/3hrs', etc) at which agents will be removed from the master "
          + "when they fail health checks. By default, agents are removed as soon as they fail the health checks")
      .validator(v -> RateLimit.parse(v).errorIfAny()));
  public final Flag<Integer> maxUnreachableTasksPerFramework =
      add(Flag.integer("max_unreachable_tasks_per_framework").defaultValue(1000)
          .help("Maximum number of unreachable tasks per framework to store in memory")
          .validator(MasterFlags::notNegative));
  public final Flag<Duration> offerTimeout = add(Flag.duration("offer_timeout")
      .help("Duration of time before an offer is rescinded from a framework. This helps fairness when running "
          + "frameworks that hold on to offers, or frameworks that accidentally drop offers. If not set, offers "
          + "do not time out")
      .validator(d -> d.isNegative() || d.isZero() ? Optional.of("Must be greater than zero") : Optional.empty()));
  public final Flag<String> registry = add(Flag.string("registry").defaultValue("replicated_log")
      .help("Persistence strategy for the registry; available options are 'replicated_log', 'in_memory' (for "
          + "testing). jmesos keeps a durable registry in ZooKeeper when --zk is given, else in --work_dir")
      .validator(v -> v.equals("in_memory") || v.equals("replicated_log") ? Optional.empty()
          : Optional.of("'" + v + "' is not a supported option for registry persistence")));
  public final Flag<Duration> registryFetchTimeout =
      add(Flag.duration("registry_fetch_timeout").defaultValue(Duration.ofMinutes(1))
          .help("Duration of time to wait in order to fetch data from the registry after which the operation is "
              + "considered a failure")
          .validator(MasterFlags::positive));
  public final Flag<Duration> registryStoreTimeout =
      add(Flag.duration("registry_store_timeout").defaultValue(Duration.ofSeconds(20))
          .help("Duration of time to wait in order to store data in the registry after which the operation is "
              + "considered a failure")
          .validator(MasterFlags::positive));
  public final Flag<Duration> registryMaxAgentAge =
      add(Flag.duration("registry_max_agent_age").defaultValue(Duration.ofDays(14))
          .help("Maximum length of time to store information in the registry about agents that are not currently "
              + "connected to the cluster")
          .validator(MasterFlags::positive));
  public final Flag<Integer> registryMaxAgentCount =
      add(Flag.integer("registry_max_agent_count").defaultValue(100 * 1024)
          .help("Maximum number of disconnected agents to store in the registry")
          .validator(MasterFlags::notNegative));
  public final Flag<Duration> registryGcInterval =
      add(Flag.duration("registry_gc_interval").defaultValue(Duration.ofMinutes(15))
          .help("How often to garbage collect the registry")
          .validator(MasterFlags::positive));
  public final Flag<String> recoveryAgentRemovalLimit =
      add(Flag.string("recovery_agent_removal_limit").defaultValue("100%")
          .help("For failovers, limit on the percentage of agents that can be removed from the registry *and* "
              + "shutdown after the re-registration timeout elapses. If the limit is exceeded, the master will "
              + "fail over rather than remove the agents. This can be used to provide safety guarantees for "
              + "production environments. Production environments may expect that across master failovers, at "
              + "most a certain percentage of agents will fail permanently (e.g. due to rack-level failures). "
              + "Setting this limit would ensure that a human needs to get involved should an unexpected "
              + "widespread failure of agents occur in the cluster. Values: [0%-100%]")
          .validator(v -> percentage(v).isPresent() ? Optional.empty()
              : Optional.of("Invalid value '" + v + "' for --recovery_agent_removal_limit: expected [0%-100%]")));
  public final Flag<String> zk = add(Flag.string("zk")
      .help("ZooKeeper URL (used for leader election amongst masters). May be one of: "
          + "'zk://host1:port1,host2:port2,.../path', 'zk://username:password@host1:port1,host2:port2,.../path', "
          + "'file:///path/to/file' (where file contains one of the above)"));
  public final Flag<Duration> zkSessionTimeout =
      add(Flag.duration("zk_session_timeout").defaultValue(Duration.ofSeconds(10))
          .help("ZooKeeper session timeout")
          .validator(MasterFlags::positive));
  public final Flag<Integer> quorum = add(Flag.integer("quorum")
      .help("The size of the quorum of replicas when using 'replicated_log' based registry. It is imperative to "
          + "set this value to be a majority of masters i.e., quorum > (number of masters)/2. NOTE: Not required "
          + "if master is run in standalone mode (non-HA mode). jmesos keeps the registry in ZooKeeper, whose "
          + "ensemble has its own quorum; the value is checked and reported")
      .validator(n -> n >= 1 ? Optional.empty() : Optional.of("must be at least 1")));
  /** --quiet, --logging_level, --log_dir, --external_log_file. */
  public final LoggingFlags logging = new LoggingFlags(this);
  /** --authenticate_http_readonly, --authenticate_http_readwrite, --credentials, ... */
  public final AuthenticationFlags authentication = new AuthenticationFlags(this);
  public final Flag<String> acls = add(Flag.string("acls")
      .help("The value could be a JSON-formatted string of ACLs or a file path containing the JSON-formatted ACLs "
          + "used for authorization (Mesos' ACLs message). Path could be of the form `file:///path/to/file` or "
          + "`/path/to/file`. Without it nothing is authorized: every request is allowed. Example: "
          + "{\"permissive\": false, \"register_frameworks\": [{\"principals\": {\"values\": [\"a\"]}, "
          + "\"roles\": {\"values\": [\"prod\"]}}]}"));
  public final Flag<String> authorizers = add(Flag.string("authorizers").defaultValue("local")
      .help("Authorizer implementation to use when authorizing actions that require it. Only the default, "
          + "`local` (the ACLs of --acls), exists: jmesos loads no modules"));
  public final Flag<String> cluster = add(Flag.string("cluster")
      .help("Human readable cluster name shown in /state"));
  public final Flag<Integer> maxOperatorEventStreamSubscribers =
      add(Flag.integer("max_operator_event_stream_subscribers").defaultValue(1000)
          .help("Simultaneous subscribers to the operator event stream; a new one beyond this closes the oldest")
          .validator(n -> n >= 1 ? Optional.empty() : Optional.of("must be at least 1")));
  public final Flag<Integer> maxCompletedFrameworks =
      add(Flag.integer("max_completed_frameworks").defaultValue(50)
          .help("Completed frameworks kept for /state")
          .validator(MasterFlags::notNegative));
  public final Flag<Integer> maxCompletedTasksPerFramework =
      add(Flag.integer("max_completed_tasks_per_framework").defaultValue(1000)
          .help("Completed tasks kept per framework for /state")
          .validator(MasterFlags::notNegative));

  /** Every flag at its default. */
  public static MasterFlags defaults() {
    return new MasterFlags();
  }

  /**
   * Loads {@code args} over {@code MESOS_*} variables from {@code env}.
   *
   * @throws io.jmesos.flags.FlagsException naming the offending flag
   */
  public static MasterFlags parse(String[] args, Map<String, String> env) {
    MasterFlags flags = new MasterFlags();
    flags.load(args, env);
    return flags;
  }

  /** Loads a map of flag names to values, as tests and embedders configure a master. */
  public static MasterFlags of(Map<String, String> values) {
    return parse(values.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new), Map.of());
  }

  /** The {@code --help} text. */
  public static String usage() {
    return new MasterFlags().usage("mesos-master");
  }

  /** Every flag with a value but --help, as /state's {@code flags} shows them. */
  public Map<String, String> asMap() {
    Map<String, String> map = new TreeMap<>();
    for (Flag<?> flag : flags()) {
      if (!flag.name().equals("help")) {
        put(map, flag);
      }
    }
    return map;
  }

  private <T> void put(Map<String, String> map, Flag<T> flag) {
    find(flag).ifPresent(value -> map.put(flag.name(), flag.format(value)));
  }

  private static Optional<String> positive(Duration d) {
    return d.isNegative() || d.isZero() ? Optional.of("must be positive") : Optional.empty();
  }

  /** An IPv4 or IPv6 literal, as libprocess parses an advertised IP (no name lookup). */
  private static Optional<String> ipLiteral(String text) {
    boolean v4 = text.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.]+");
    if (v6) {
      try {
        InetAddress.getByName(text); // a literal with ':' is parsed, never looked up
      } catch (UnknownHostException e) {
        v6 = false;
      }
    }
    return v4 || v6 ? Optional.empty() : Optional.of("Failed to parse '" + text + "' as an IP address");
  }

  private static Optional<String> notNegative(int n) {
    return n >= 0 ? Optional.empty() : Optional.of("must not be negative");
  }

  // ---- Accessors ----

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

  /** The --advertise_ip flag, or null when absent. */
  public String advertiseIp() {
    return find(advertiseIp).orElse(null);
  }

  /** The --advertise_port flag, or null when absent. */
  public Integer advertisePort() {
    return find(advertisePort).orElse(null);
  }

  /** The --work_dir flag, or null when absent. */
  public String workDir() {
    return find(workDir).orElse(null);
  }

  public String allocator() {
    return get(allocator);
  }

  public Duration allocationInterval() {
    return get(allocationInterval);
  }

  public String roleSorter() {
    return get(roleSorter);
  }

  public String frameworkSorter() {
    return get(frameworkSorter);
  }

  /** The --weights flag by role, in the order given; empty when absent. */
  public Map<String, Double> weights() {
    return find(weights).map(text -> AllocatorFlagFormats.weights(text).value()).orElse(Map.of());
  }

  /** The --fair_sharing_excluded_resource_names flag; empty when absent. */
  public Set<String> fairSharingExcludedResourceNames() {
    return find(fairSharingExcludedResourceNames).map(AllocatorFlagFormats::names).orElse(Set.of());
  }

  /** The --min_allocatable_resources alternatives, each a map of resource name to quantity. */
  public List<Map<String, Double>> minAllocatableResources() {
    return AllocatorFlagFormats.minAllocatableResources(get(minAllocatableResources)).value();
  }

  public Duration agentPingTimeout() {
    return get(agentPingTimeout);
  }

  public int maxAgentPingTimeouts() {
    return get(maxAgentPingTimeouts);
  }

  public Duration agentReregisterTimeout() {
    return get(agentReregisterTimeout);
  }

  /** Empty when agents are marked unreachable as soon as they fail their health checks (Mesos' default). */
  public Optional<RateLimit> agentRemovalRateLimit() {
    return find(agentRemovalRateLimit).map(v -> RateLimit.parse(v).value());
  }

  public int maxUnreachableTasksPerFramework() {
    return get(maxUnreachableTasksPerFramework);
  }

  /** Empty when offers never time out (Mesos' default). */
  public Optional<Duration> offerTimeout() {
    return find(offerTimeout);
  }

  public Duration registryFetchTimeout() {
    return get(registryFetchTimeout);
  }

  public Duration registryStoreTimeout() {
    return get(registryStoreTimeout);
  }

  public Duration registryMaxAgentAge() {
    return get(registryMaxAgentAge);
  }

  public int registryMaxAgentCount() {
    return get(registryMaxAgentCount);
  }

  public Duration registryGcInterval() {
    return get(registryGcInterval);
  }

  /** {@code --recovery_agent_removal_limit} as a fraction in [0, 1]. */
  public double recoveryAgentRemovalLimit() {
    return percentage(get(recoveryAgentRemovalLimit)).orElseThrow();
  }

  /** {@code --zk}, or null when the master runs alone (no election). */
  public String zk() {
    return find(zk).orElse(null);
  }

  public Duration zkSessionTimeout() {
    return get(zkSessionTimeout);
  }

  /** {@code --quorum}, or null when not given. */
  public Integer quorum() {
    return find(quorum).orElse(null);
  }

  /** A percentage in [0%, 100%] as a fraction; empty when malformed. */
  static Optional<Double> percentage(String text) {
    String t = text.trim();
    if (!t.endsWith("%")) {
      return Optional.empty();
    }
    try {
      double value = Double.parseDouble(t.substring(0, t.length() - 1));
      return value >= 0 && value <= 100 ? Optional.of(value / 100) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public String registry() {
    return get(registry);
  }

  /** The --cluster flag, or null when absent. */
  public String cluster() {
    return find(cluster).orElse(null);
  }

  public int maxOperatorEventStreamSubscribers() {
    return get(maxOperatorEventStreamSubscribers);
  }

  public int maxCompletedFrameworks() {
    return get(maxCompletedFrameworks);
  }

  public int maxCompletedTasksPerFramework() {
    return get(maxCompletedTasksPerFramework);
  }

  /** Same as {@link #helpRequested()}. */
  public boolean help() {
    return helpRequested();
  }

  // Hardened inputs (docs/security.md); kept together at the end.
  public final Flag<Integer> maxConnectionsPerPeer = add(Flag.integer("max_connections_per_peer").defaultValue(1000)
      .help("Connections one remote IP address may hold open to this master at once; one more is closed at once. "
          + "Connections from this host are not counted. 0 for no limit (jmesos only)")
      .validator(n -> n >= 0 ? Optional.empty() : Optional.of("must not be negative")));

  public final Flag<String> rateLimits = add(Flag.string("rate_limits")
      .help("The value could be a JSON-formatted string of rate limits or a file path containing the "
          + "JSON-formatted rate limits used for framework rate limiting (Mesos' RateLimits message). Path could "
          + "be of the form `file:///path/to/file` or `/path/to/file`. The scheduler calls of a subscribed "
          + "framework are throttled by its principal's limit, or together with every framework not listed by "
          + "the aggregate default. Example: {\"limits\": [{\"principal\": \"foo\", \"qps\": 55.5}, "
          + "{\"principal\": \"bar\"}], \"aggregate_default_qps\": 33.3}")
      .validator(RateLimitsFlag::validate));

  /** {@code --rate_limits}, parsed and checked; empty when framework rate limiting is off. */
  public Optional<org.apache.mesos.Protos.RateLimits> rateLimits() {
    return find(rateLimits).map(RateLimitsFlag::parse);
  }

  /** {@code --max_connections_per_peer}: 0 for no limit. */
  public int maxConnectionsPerPeer() {
    return get(maxConnectionsPerPeer);
  }
}
