package io.jmesos.security.authz;

import io.jmesos.flags.JsonFlagValues;
import io.jmesos.protocol.authorizer.Acls.ACLs;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a daemon's authorizer from {@code --authorizers} (agent: {@code --authorizer}) and {@code --acls}, as
 * Mesos' master and agent {@code main}: the default {@code local} authorizer over the ACLs when {@code --acls} is
 * given, none (everything allowed) when it is not. jmesos loads no modules, so any other name is a start-up
 * error. Runs once, at start-up (it may read a file).
 */
public final class Authorizers {
  /** Mesos' {@code DEFAULT_AUTHORIZER}. */
  public static final String LOCAL = "local";
  private static final Logger LOG = LoggerFactory.getLogger(Authorizers.class);

  private Authorizers() {}

  /**
   * The authorizer named {@code names} over {@code acls} (the flag's value, its {@code file://} content already
   * read by the flags, or an absolute path), or {@link Authorizer#ALLOW_ALL} when no ACLs are given.
   *
   * @throws IllegalArgumentException with Mesos' start-up message
   */
  public static Authorizer create(String names, Optional<String> acls) {
    List<String> split = List.of(names.split(",", -1));
    if (names.isEmpty()) {
      throw new IllegalArgumentException("No authorizer specified");
    }
    if (split.size() > 1) {
      throw new IllegalArgumentException("Multiple authorizers not supported");
    }
    if (!LOCAL.equals(names)) {
      throw new IllegalArgumentException("Could not create '" + names + "' authorizer: Authorizer '" + names
          + "' not found: jmesos loads no modules, the only authorizer is '" + LOCAL + "'");
    }
    if (acls.isEmpty()) {
      return Authorizer.ALLOW_ALL;
    }
    LOG.info("Creating default '{}' authorizer", LOCAL);
    try {
      return LocalAuthorizer.create(parse(acls.get()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Could not create '" + LOCAL + "' authorizer: " + e.getMessage(), e);
    }
  }

  /**
   * Mesos' {@code ACLs} message from JSON, as stout parses a JSON flag: a value starting with {@code /} names a
   * file holding the JSON (deprecated in Mesos in favour of {@code file://}, which the flags read already).
   *
   * @throws IllegalArgumentException naming what is wrong: an unreadable file, malformed JSON (line and
   *     column), a field that is no ACL or a value of the wrong type
   */
  public static ACLs parse(String value) {
    if (value.startsWith("/")) {
      LOG.warn("Specifying an absolute filename to read --acls from without 'file://' is deprecated");
    }
    return JsonFlagValues.read(value, "ACLs", ACLs.newBuilder()).build();
  }
}
