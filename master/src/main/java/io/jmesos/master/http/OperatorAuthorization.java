package io.jmesos.master.http;

import io.jmesos.master.authz.MasterAuthorizer;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.state.Framework;
import io.jmesos.protocol.Evolve;
import io.jmesos.security.authz.Action;
import java.util.Optional;
import org.apache.mesos.v1.Protos.WeightInfo;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;

/**
 * Which operator API calls the caller's principal may make, as Mesos' master asks its authorizer before acting:
 * TEARDOWN (teardown_frameworks, by the framework's principal), UPDATE_WEIGHTS (update_weights, every role),
 * UPDATE_QUOTA, SET_QUOTA and REMOVE_QUOTA (update_quotas, every role), MARK_AGENT_GONE (mark_agents_gone),
 * UPDATE_MAINTENANCE_SCHEDULE, START_MAINTENANCE, STOP_MAINTENANCE, DEACTIVATE_AGENT, REACTIVATE_AGENT, DRAIN_AGENT
 * (their ACLs; a drain with {@code mark_gone} needs mark_agents_gone too) and GET_FLAGS (view_flags). A refusal is answered {@code 403 Forbidden} with an empty body, as Mesos. Reads of state
 * are filtered, not refused. Runs on the master's actor (TEARDOWN looks up the framework).
 */
final class OperatorAuthorization {
  private final MasterContext ctx;

  OperatorAuthorization(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** True when {@code principal} may make {@code call}. */
  @SuppressWarnings("deprecation") // SET_QUOTA and REMOVE_QUOTA are deprecated in Mesos 1.11, and still served.
  boolean allowed(Call call, Optional<String> principal) {
    MasterAuthorizer authz = ctx.authz;
    switch (call.getType()) {
      case TEARDOWN: {
        Framework framework = ctx.state.frameworks.get(Evolve.devolvePartial(call.getTeardown().getFrameworkId(),
            org.apache.mesos.Protos.FrameworkID.parser()));
        // An unknown framework is the handler's 400.
        return framework == null || authz.teardown(principal, framework.info());
      }
      case UPDATE_WEIGHTS:
        for (WeightInfo weight : call.getUpdateWeights().getWeightInfosList()) {
          if (!authz.updateWeight(principal, weight.getRole())) {
            return false;
          }
        }
        return true;
      case UPDATE_QUOTA:
        for (QuotaConfig config : call.getUpdateQuota().getQuotaConfigsList()) {
          if (!authz.updateQuota(principal, config.getRole())) {
            return false;
          }
        }
        return true;
      case SET_QUOTA:
        return authz.updateQuota(principal, call.getSetQuota().getQuotaRequest().getRole());
      case REMOVE_QUOTA:
        return authz.updateQuota(principal, call.getRemoveQuota().getRole());
      case MARK_AGENT_GONE:
        return authz.markAgentGone(principal);
      case UPDATE_MAINTENANCE_SCHEDULE:
        return authz.maintenance(Action.UPDATE_MAINTENANCE_SCHEDULE, principal);
      case START_MAINTENANCE:
        return authz.maintenance(Action.START_MAINTENANCE, principal);
      case STOP_MAINTENANCE:
        return authz.maintenance(Action.STOP_MAINTENANCE, principal);
      case DEACTIVATE_AGENT:
        return authz.maintenance(Action.DEACTIVATE_AGENT, principal);
      case REACTIVATE_AGENT:
        return authz.maintenance(Action.REACTIVATE_AGENT, principal);
      case DRAIN_AGENT:
        return authz.maintenance(Action.DRAIN_AGENT, principal)
            && (!call.getDrainAgent().getMarkGone() || authz.markAgentGone(principal));
      case GET_FLAGS:
        return authz.viewFlags(principal);
      default:
        return true;
    }
  }
}
