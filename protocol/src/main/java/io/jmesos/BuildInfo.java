package io.jmesos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What Mesos' {@code /version} reports of a build: user, date and time (UTC), and the git commit, branch and tag
 * when the build ran in a git checkout. Read once from {@code io/jmesos/build.properties}, which Maven fills in.
 */
public final class BuildInfo {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final BuildInfo INSTANCE = load();

  private final Properties properties;

  private BuildInfo(Properties properties) {
    this.properties = properties;
  }

  public static BuildInfo get() {
    return INSTANCE;
  }

  static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(properties);
  }

  /** A value Maven filled in; empty when it was not (no git checkout, or an unfiltered build). */
  private Optional<String> value(String key) {
    String value = properties.getProperty(key, "");
    return value.isEmpty() || value.contains("${") ? Optional.empty() : Optional.of(value);
  }

  public String user() {
    return value("build_user").orElse("");
  }

  /** {@code yyyy-MM-dd HH:mm:ss} in UTC, as Mesos' {@code build_date}. */
  public String date() {
    return value("build_date").orElse("");
  }

  /** Seconds since the epoch, as Mesos' {@code build_time}; 0 when unknown. */
  public double time() {
    try {
      return value("build_date").map(d -> (double) LocalDateTime.parse(d, DATE).toEpochSecond(ZoneOffset.UTC))
          .orElse(0.0);
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  public Optional<String> gitSha() {
    return value("git_sha");
  }

  public Optional<String> gitBranch() {
    return value("git_branch");
  }

  /** The first tag on the commit built, if any. */
  public Optional<String> gitTag() {
    return value("git_tag").map(tags -> tags.split(",")[0].trim()).filter(tag -> !tag.isEmpty());
  }

  /** Mesos' {@code /version} document's fields, in its order, for {@code version}. */
  public Map<String, Object> versionFields(String version) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("version", version);
    gitSha().ifPresent(sha -> fields.put("git_sha", sha));
    gitBranch().ifPresent(branch -> fields.put("git_branch", branch));
    gitTag().ifPresent(tag -> fields.put("git_tag", tag));
    fields.put("build_date", date());
    fields.put("build_time", time());
    fields.put("build_user", user());
    return fields;
  }

  /** The operator API's {@code VersionInfo} for {@code version}. */
  public org.apache.mesos.v1.Protos.VersionInfo versionInfo(String version) {
    org.apache.mesos.v1.Protos.VersionInfo.Builder info = org.apache.mesos.v1.Protos.VersionInfo.newBuilder()
        .setVersion(version).setBuildDate(date()).setBuildTime(time()).setBuildUser(user());
    gitSha().ifPresent(info::setGitSha);
    gitBranch().ifPresent(info::setGitBranch);
    gitTag().ifPresent(info::setGitTag);
    return info.build();
  }

  /** Mesos' {@code /version} document for {@code version}, as JSON. */
  public String versionJson(String version) {
    com.fasterxml.jackson.databind.node.ObjectNode node =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    versionFields(version).forEach((name, value) -> {
      if (value instanceof Double) {
        node.put(name, (Double) value);
      } else {
        node.put(name, String.valueOf(value));
      }
    });
    return node.toString();
  }
}
