package io.jmesos.protocol;

import java.util.Optional;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Stateless checks of a scheduler {@link Call}, as Mesos' {@code validation::scheduler::call::validate}: the
 * type and its matching field are present, non-SUBSCRIBE calls name a framework, SUBSCRIBE's framework id agrees
 * with the call's (and its principal, if set, is the authenticated one), ACKNOWLEDGE carries a UUID,
 * UPDATE_FRAMEWORK's framework id is the call's. Shared, as in Mesos,
 * by the master (which answers 400) and the scheduler libraries (which drop the call locally). Thread-safe.
 */
public final class SchedulerCallValidator {
  private SchedulerCallValidator() {}

  public static Optional<String> validate(Call call) {
    return validate(call, null);
  }

  /**
   * As {@link #validate(Call)}, and, when the request authenticated as {@code principal} (null: it did not), a
   * SUBSCRIBE whose {@code FrameworkInfo.principal} is set must name that principal, as Mesos'.
   */
  public static Optional<String> validate(Call call, String principal) {
    if (!call.hasType() || call.getType() == Call.Type.UNKNOWN) {
      return Optional.of("Expecting 'type' to be present");
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      if (!call.hasSubscribe()) {
        return Optional.of("Expecting 'subscribe' to be present");
      }
      var info = call.getSubscribe().getFrameworkInfo();
      if (info.hasId() && !(call.hasFrameworkId() && call.getFrameworkId().equals(info.getId()))) {
        return Optional.of("'framework_id' differs from 'subscribe.framework_info.id'");
      }
      if (!info.hasId() && call.hasFrameworkId()) {
        return Optional.of("'framework_id' differs from 'subscribe.framework_info.id'");
      }
      if (principal != null && info.hasPrincipal() && !principal.equals(info.getPrincipal())) {
        return Optional.of("Authenticated principal '" + principal + "' does not match principal '"
            + info.getPrincipal() + "' set in `FrameworkInfo`");
      }
      return Optional.empty();
    }
    if (!call.hasFrameworkId()) {
      return Optional.of("Expecting 'framework_id' to be present");
    }
    switch (call.getType()) {
      case ACCEPT:
        return require(call.hasAccept(), "accept");
      case DECLINE:
        return require(call.hasDecline(), "decline");
      case ACCEPT_INVERSE_OFFERS:
        return require(call.hasAcceptInverseOffers(), "accept_inverse_offers");
      case DECLINE_INVERSE_OFFERS:
        return require(call.hasDeclineInverseOffers(), "decline_inverse_offers");
      case KILL:
        return require(call.hasKill(), "kill");
      case SHUTDOWN:
        return require(call.hasShutdown(), "shutdown");
      case ACKNOWLEDGE:
        if (!call.hasAcknowledge()) {
          return require(false, "acknowledge");
        }
        if (call.getAcknowledge().getUuid().size() != 16) {
          return Optional.of("Not a valid UUID");
        }
        return Optional.empty();
      case RECONCILE:
        return require(call.hasReconcile(), "reconcile");
      case MESSAGE:
        return require(call.hasMessage(), "message");
      case REQUEST:
        return require(call.hasRequest(), "request");
      case UPDATE_FRAMEWORK:
        if (!call.hasUpdateFramework()) {
          return require(false, "update_framework");
        }
        if (!call.getFrameworkId().equals(call.getUpdateFramework().getFrameworkInfo().getId())) {
          return Optional.of("'framework_id' differs from 'update_framework.framework_info.id'");
        }
        return Optional.empty();
      default:
        return Optional.empty();
    }
  }

  private static Optional<String> require(boolean present, String field) {
    return present ? Optional.empty() : Optional.of("Expecting '" + field + "' to be present");
  }
}
