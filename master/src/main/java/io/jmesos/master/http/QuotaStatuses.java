package io.jmesos.master.http;

import io.jmesos.allocator.Quota;
import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.MasterContext;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;
import org.apache.mesos.v1.quota.Protos.QuotaInfo;
import org.apache.mesos.v1.quota.Protos.QuotaStatus;

/**
 * The {@code QuotaStatus} GET_QUOTA and {@code GET /quota} answer, as Mesos 1.11 builds it: for each role with
 * quota, a legacy {@code QuotaInfo} (its guarantees as scalar resources) and a {@code QuotaConfig} (guarantees and
 * limits). Used on the master's actor.
 */
@SuppressWarnings("deprecation") // QuotaStatus.infos is deprecated in Mesos, and still filled.
final class QuotaStatuses {
  private QuotaStatuses() {}

  static QuotaStatus status(MasterContext ctx) {
    return status(ctx, StateFilter.ALL);
  }

  /** The quotas of the roles {@code filter}'s reader may get (get_quotas), as Mesos leaves out the others. */
  static QuotaStatus status(MasterContext ctx, StateFilter filter) {
    ctx.actor.assertInActorThread();
    QuotaStatus.Builder status = QuotaStatus.newBuilder();
    ctx.state.quotas.forEach((role, quota) -> {
      if (!filter.quota(role)) {
        return;
      }
      status.addInfos(info(role, quota));
      status.addConfigs(config(role, quota));
    });
    return status.build();
  }

  private static QuotaInfo info(String role, Quota quota) {
    QuotaInfo.Builder info = QuotaInfo.newBuilder().setRole(role);
    quota.guarantees().forEach((name, value) -> info.addGuarantee(Resource.newBuilder().setName(name)
        .setType(Value.Type.SCALAR).setScalar(scalar(value))));
    return info.build();
  }

  private static QuotaConfig config(String role, Quota quota) {
    QuotaConfig.Builder config = QuotaConfig.newBuilder().setRole(role);
    quota.guarantees().forEach((name, value) -> config.putGuarantees(name, scalar(value)));
    quota.limits().forEach((name, value) -> config.putLimits(name, scalar(value)));
    return config.build();
  }

  private static Value.Scalar scalar(double value) {
    return Value.Scalar.newBuilder().setValue(value).build();
  }
}
