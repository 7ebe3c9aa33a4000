package io.jmesos.dist.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mesos' CLI configuration file ({@code lib/cli/config.py}): TOML at {@code $MESOS_CLI_CONFIG}, else
 * {@code ~/.mesos/config.toml}. Its {@code [master]} table holds either {@code address = "host:port"} or a
 * {@code [master.zookeeper]} table with {@code addresses = ["host:port", ...]} and {@code path = "/mesos"}, not
 * both, and optionally {@code principal} and {@code secret} to authenticate to the master; {@code [agent]} may
 * hold the {@code principal} and {@code secret} for the agents. A missing file is an empty configuration.
 */
public final class CliConfig {
  private final Path path;
  private final boolean exists;
  private final Map<String, Object> data;

  private CliConfig(Path path, boolean exists, Map<String, Object> data) {
    this.path = path;
    this.exists = exists;
    this.data = data;
  }

  /** The file's path: {@code MESOS_CLI_CONFIG} when set, else {@code <home>/.mesos/config.toml}. */
  public static Path path(Map<String, String> env, String home) {
    String configured = env.get("MESOS_CLI_CONFIG");
    if (configured != null && !configured.isEmpty()) {
      return Path.of(configured);
    }
    return Path.of(home, ".mesos", "config.toml");
  }

  /** Loads the file at {@code path}; a missing file is an empty configuration, a malformed one an error. */
  public static CliConfig load(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new CliConfig(path, false, Map.of());
    } catch (IOException e) {
      throw new CliException("Unable to read config file '" + path + "': " + e.getMessage(), e);
    }
    try {
      return new CliConfig(path, true, Toml.parse(text));
    } catch (IllegalArgumentException e) {
      throw new CliException("Error loading config file '" + path + "' as TOML: " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  public boolean exists() {
    return exists;
  }

  /**
   * The {@code Authorization} header for the master: HTTP Basic of {@code [master]}'s {@code principal} and {@code
   * secret} when both are set, as Mesos' CLI sends them; empty otherwise.
   */
  public Optional<String> masterAuthorization() {
    return basic("master");
  }

  /** As {@link #masterAuthorization()} for the agents, from {@code [agent]}'s {@code principal} and {@code secret}. */
  public Optional<String> agentAuthorization() {
    return basic("agent");
  }

  private Optional<String> basic(String table) {
    Object fields = data.get(table);
    if (!(fields instanceof Map)) {
      return Optional.empty();
    }
    Object principal = ((Map<?, ?>) fields).get("principal");
    Object secret = ((Map<?, ?>) fields).get("secret");
    if (principal == null || secret == null) {
      return Optional.empty();
    }
    if (!(principal instanceof String) || !(secret instanceof String)) {
      throw new CliException("The '" + table + "->principal' and '" + table + "->secret' fields must be strings");
    }
    return Optional.of("Basic " + java.util.Base64.getEncoder().encodeToString((principal + ":" + secret)
        .getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The master the file names: {@code host:port} from {@code master.address}, or {@code zk://a,b/path} from
   * {@code master.zookeeper}; empty when the file has no {@code [master]} table. Checked as Mesos checks it.
   */
  public Optional<String> master() {
    Object master = data.get("master");
    if (master == null) {
      return Optional.empty();
    }
    if (!(master instanceof Map)) {
      throw new CliException("The 'master' field must be a dictionary");
    }
    Map<?, ?> fields = (Map<?, ?>) master;
    boolean address = fields.containsKey("address");
    boolean zookeeper = fields.containsKey("zookeeper");
    if (!address && !zookeeper) {
      throw new CliException("The 'master' field must either contain an 'address' field or a 'zookeeper'"
          + " dictionary");
    }
    if (address && zookeeper) {
      throw new CliException("The 'master' field should only contain an 'address' field or a 'zookeeper'"
          + " dictionary but not both");
    }
    if (address) {
      Object value = fields.get("address");
      if (!(value instanceof String) || !MasterResolver.isHostPort(MasterResolver.strip((String) value))) {
        throw new CliException("The 'master' address " + value + " is formatted incorrectly");
      }
      return Optional.of(MasterResolver.strip((String) value));
    }
    if (!(fields.get("zookeeper") instanceof Map)) {
      throw new CliException("The 'zookeeper' field must be a dictionary");
    }
    Map<?, ?> zk = (Map<?, ?>) fields.get("zookeeper");
    if (!(zk.get("addresses") instanceof List)) {
      throw new CliException("The 'zookeeper' field must contain an 'addresses' list");
    }
    if (!(zk.get("path") instanceof String)) {
      throw new CliException("The 'zookeeper' field must contain a 'path' field");
    }
    String zkPath = (String) zk.get("path");
    if (!zkPath.startsWith("/")) {
      throw new CliException("The 'zookeeper' field 'path' must start with a '/'");
    }
    if (zkPath.length() == 1) {
      throw new CliException("The 'zookeeper' field 'path' should be nested ('/' is not supported)");
    }
    StringBuilder hosts = new StringBuilder();
    for (Object host : (List<?>) zk.get("addresses")) {
      if (!(host instanceof String) || !MasterResolver.isHostPort(MasterResolver.strip((String) host))) {
        throw new CliException("The 'zookeeper' address " + host + " is formatted incorrectly");
      }
      hosts.append(hosts.length() == 0 ? "" : ",").append(MasterResolver.strip((String) host));
    }
    return Optional.of("zk://" + hosts + zkPath);
  }
}
