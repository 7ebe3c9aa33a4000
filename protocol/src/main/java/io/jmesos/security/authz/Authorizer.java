package io.jmesos.security.authz;

import java.util.Optional;

/**
 * Decides whether a subject (an authenticated principal, or none) may perform an action on an object, as Mesos'
 * {@code Authorizer}. Mesos' interface answers with futures because a module may ask a remote service; the only
 * jmesos authorizer, {@link LocalAuthorizer}, is a pure function of its ACLs that answers in microseconds, so
 * this interface answers synchronously and the daemons call it on their actor. An implementation must be
 * thread-safe and must never block.
 */
public interface Authorizer {
  /** Allows everything: what a daemon uses when no {@code --acls} are given (Mesos then has no authorizer). */
  Authorizer ALLOW_ALL = (action, principal) -> object -> true;

  /**
   * An approver of {@code action} for {@code principal} (empty: an unauthenticated request), to decide many
   * objects, e.g. when filtering {@code /state}; Mesos' {@code getApprover}.
   */
  ObjectApprover approver(Action action, Optional<String> principal);

  /** Whether {@code principal} may perform {@code action} on {@code object} (null: any object). */
  default boolean authorized(Action action, Optional<String> principal, AuthorizationObject object) {
    return approver(action, principal).approved(object);
  }

  /** Decides the objects of one action for one subject. */
  @FunctionalInterface
  interface ObjectApprover {
    /** Whether the subject may act on {@code object}; null stands for any object (Mesos' {@code None()}). */
    boolean approved(AuthorizationObject object);
  }
}
