package io.jmesos.master.validation;

import io.jmesos.allocator.FrameworkRoles;
import io.jmesos.resources.Roles;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.mesos.Protos.FrameworkInfo;

/**
 * Checks of a {@link FrameworkInfo} for SUBSCRIBE and UPDATE_FRAMEWORK, as Mesos'
 * {@code validation::framework}: {@link #validate} (roles, id, failover timeout), {@link #validateUpdate}
 * (what a framework may not change about itself) and {@link #validateSuppressedRoles}. Stateless, thread-safe.
 */
public final class FrameworkValidator {
  /** Mesos' {@code Duration} is a signed 64-bit count of nanoseconds. */
  private static final double MAX_DURATION_SECONDS = Long.MAX_VALUE / 1e9;

  private FrameworkValidator() {}

  /** Mesos' {@code validation::framework::validate}. */
  @SuppressWarnings("deprecation") // FrameworkInfo.role is deprecated in Mesos, yet still validated.
  public static Optional<String> validate(FrameworkInfo info) {
    boolean multiRole = FrameworkRoles.isMultiRole(info);
    if (multiRole && info.hasRole()) {
      return Optional.of("'FrameworkInfo.role' must not be present when the framework is MULTI_ROLE capable");
    }
    if (!multiRole && info.getRolesCount() > 0) {
      return Optional.of("'FrameworkInfo.roles' must not be present when the framework is not MULTI_ROLE capable");
    }
    Set<String> seen = new HashSet<>();
    for (String role : multiRole ? info.getRolesList() : Set.of(info.getRole())) {
      Optional<String> error = Roles.validate(role);
      if (error.isPresent()) {
        return Optional.of("Invalid role '" + role + "': " + error.get());
      }
      if (!seen.add(role)) {
        return Optional.of("'FrameworkInfo.roles' contains duplicate role '" + role + "'");
      }
    }
    if (info.hasId() && !info.getId().getValue().isEmpty()) {
      Optional<String> error = Ids.validate(info.getId().getValue());
      if (error.isPresent()) {
        return error;
      }
    }
    double timeout = info.getFailoverTimeout();
    if (Double.isNaN(timeout) || Math.abs(timeout) > MAX_DURATION_SECONDS) {
      return Optional.of("The framework failover_timeout (" + timeout + ") is invalid");
    }
    return Optional.empty();
  }

  /**
   * Mesos' {@code validation::framework::validateUpdate}: a framework may change most of its info, but not
   * its principal, user or checkpointing.
   */
  public static Optional<String> validateUpdate(FrameworkInfo current, FrameworkInfo updated) {
    String currentPrincipal = current.hasPrincipal() ? current.getPrincipal() : null;
    String updatedPrincipal = updated.hasPrincipal() ? updated.getPrincipal() : null;
    if (!Objects.equals(currentPrincipal, updatedPrincipal)) {
      return Optional.of("Changing framework's principal is not allowed.");
    }
    if (!updated.getUser().equals(current.getUser())) {
      return Optional.of("Updating 'FrameworkInfo.user' is unsupported; attempted to update from '"
          + current.getUser() + "' to '" + updated.getUser() + "'");
    }
    if (updated.getCheckpoint() != current.getCheckpoint()) {
      return Optional.of("Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from '"
          + current.getCheckpoint() + "' to '" + updated.getCheckpoint() + "'");
    }
    return Optional.empty();
  }

  /**
   * A re-SUBSCRIBE of a known framework (failover) may not change its principal, as in Mesos; the info is
   * otherwise taken as given, see {@link #keepImmutableOnFailover}.
   */
  public static Optional<String> validateFailover(FrameworkInfo current, FrameworkInfo updated) {
    String currentPrincipal = current.hasPrincipal() ? current.getPrincipal() : null;
    String updatedPrincipal = updated.hasPrincipal() ? updated.getPrincipal() : null;
    return Objects.equals(currentPrincipal, updatedPrincipal)
        ? Optional.empty() : Optional.of("Changing framework's principal is not allowed.");
  }

  /**
   * On failover Mesos keeps the framework's original {@code user} and {@code checkpoint} (tasks already run
   * as that user, and checkpointing cannot change under running executors) and takes the rest of the new info.
   */
  public static FrameworkInfo keepImmutableOnFailover(FrameworkInfo current, FrameworkInfo updated) {
    return updated.toBuilder().setUser(current.getUser()).setCheckpoint(current.getCheckpoint()).build();
  }

  /** Mesos' {@code validation::framework::validateSuppressedRoles}: one can only suppress one's own roles. */
  public static Optional<String> validateSuppressedRoles(Set<String> roles, Set<String> suppressedRoles) {
    Set<String> invalid = new TreeSet<>(suppressedRoles);
    invalid.removeAll(roles);
    if (!invalid.isEmpty()) {
      return Optional.of("Suppressed roles " + invalid + " are not contained in the set of roles");
    }
    return Optional.empty();
  }
}
