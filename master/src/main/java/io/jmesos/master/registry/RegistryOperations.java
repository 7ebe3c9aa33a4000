package io.jmesos.master.registry;

import io.jmesos.internal.RegistryProtos.Registry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.TimeInfo;
import org.apache.mesos.Protos.WeightInfo;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;

/**
 * The registry operations the master performs, as Mesos 1.11's master registrar operations
 * ({@code AdmitSlave}, {@code MarkSlaveUnreachable}, {@code MarkSlaveReachable}, {@code RemoveSlave},
 * {@code MarkSlaveGone}, {@code UpdateWeights}, {@code UpdateQuota}, {@code Prune}).
 */
public final class RegistryOperations {
  private RegistryOperations() {}

  /** A new agent joins: it is added to the admitted agents. */
  public static RegistryOperation admit(SlaveInfo info) {
    return indexed("Admit agent " + info.getId().getValue(), (registry, admitted) -> {
      if (admitted.contains(info.getId())) {
        return false;
      }
      registry.getSlavesBuilder().addSlaves(Registry.Slave.newBuilder().setInfo(info));
      admitted.added(info.getId());
      return true;
    });
  }

  /** An admitted agent failed its health checks (or did not come back in time after a failover). */
  public static RegistryOperation markUnreachable(SlaveID id, double seconds) {
    return operation("Mark agent " + id.getValue() + " unreachable", registry -> {
      int admitted = indexOfAdmitted(registry, id);
      if (admitted < 0) {
        return false;
      }
      Registry.Slave slave = registry.getSlaves().getSlaves(admitted);
      registry.getSlavesBuilder().removeSlaves(admitted);
      Registry.UnreachableSlave.Builder unreachable = Registry.UnreachableSlave.newBuilder()
          .setId(id).setTimestamp(time(seconds));
      if (slave.getDeactivated()) {
        unreachable.setDeactivated(true);
      }
      if (slave.hasDrainInfo()) {
        unreachable.setDrainInfo(slave.getDrainInfo());
      }
      registry.getUnreachableBuilder().addSlaves(unreachable);
      return true;
    });
  }

  /**
   * An agent re-registers: it leaves the unreachable list (if there) and is admitted with its current info. As
   * in Mesos since 1.5, an agent the registry does not know at all is admitted too.
   */
  public static RegistryOperation markReachable(SlaveInfo info) {
    return indexed("Mark agent " + info.getId().getValue() + " reachable", (registry, index) -> {
      Registry.UnreachableSlave was = registry.getUnreachable().getSlavesList().stream()
          .filter(s -> s.getId().equals(info.getId())).findFirst().orElse(null);
      boolean changed = removeIf(registry.getUnreachableBuilder().getSlavesList(),
          s -> s.getId().equals(info.getId()), i -> registry.getUnreachableBuilder().removeSlaves(i));
      int admitted = index.indexOf(info.getId());
      if (admitted < 0) {
        Registry.Slave.Builder slave = Registry.Slave.newBuilder().setInfo(info);
        if (was != null && was.getDeactivated()) {
          slave.setDeactivated(true);
        }
        if (was != null && was.hasDrainInfo()) {
          slave.setDrainInfo(was.getDrainInfo());
        }
        registry.getSlavesBuilder().addSlaves(slave);
        index.added(info.getId());
        return true;
      }
      Registry.Slave old = registry.getSlaves().getSlaves(admitted);
      if (!old.getInfo().equals(info)) {
        registry.getSlavesBuilder().setSlaves(admitted, old.toBuilder().setInfo(info));
        return true;
      }
      return changed;
    });
  }

  /**
   * The operator's DEACTIVATE_AGENT ({@code true}) or REACTIVATE_AGENT ({@code false}): the admitted or
   * unreachable agent's {@code deactivated} flag, kept across failovers, partitions and re-registrations. A
   * reactivation also ends a drain (clears {@code drain_info}), as Mesos' {@code ReactivateAgent}.
   */
  public static RegistryOperation deactivated(SlaveID id, boolean deactivated) {
    return operation((deactivated ? "Deactivate" : "Reactivate") + " agent " + id.getValue(), registry -> {
      int admitted = indexOfAdmitted(registry, id);
      if (admitted >= 0) {
        Registry.Slave slave = registry.getSlaves().getSlaves(admitted);
        Registry.Slave.Builder updated = slave.toBuilder().setDeactivated(deactivated);
        if (!deactivated) {
          updated.clearDrainInfo();
        }
        registry.getSlavesBuilder().setSlaves(admitted, updated);
        return slave.getDeactivated() != deactivated || slave.hasDrainInfo() && !deactivated;
      }
      List<Registry.UnreachableSlave> unreachable = registry.getUnreachable().getSlavesList();
      for (int i = 0; i < unreachable.size(); i++) {
        if (unreachable.get(i).getId().equals(id)) {
          Registry.UnreachableSlave.Builder updated = unreachable.get(i).toBuilder().setDeactivated(deactivated);
          if (!deactivated) {
            updated.clearDrainInfo();
          }
          registry.getUnreachableBuilder().setSlaves(i, updated);
          return unreachable.get(i).getDeactivated() != deactivated
              || unreachable.get(i).hasDrainInfo() && !deactivated;
        }
      }
      return false;
    });
  }

  /** An agent unregistered itself (clean shutdown): forgotten. */
  public static RegistryOperation remove(SlaveID id) {
    return operation("Remove agent " + id.getValue(), registry -> {
      int admitted = indexOfAdmitted(registry, id);
      if (admitted < 0) {
        return false;
      }
      registry.getSlavesBuilder().removeSlaves(admitted);
      return true;
    });
  }

  /** The operator marked an agent gone: it leaves the admitted and unreachable lists, never to return. */
  public static RegistryOperation markGone(SlaveID id, double seconds) {
    return operation("Mark agent " + id.getValue() + " gone", registry -> {
      int admitted = indexOfAdmitted(registry, id);
      if (admitted >= 0) {
        registry.getSlavesBuilder().removeSlaves(admitted);
      }
      removeIf(registry.getUnreachableBuilder().getSlavesList(), s -> s.getId().equals(id),
          i -> registry.getUnreachableBuilder().removeSlaves(i));
      for (Registry.GoneSlave gone : registry.getGone().getSlavesList()) {
        if (gone.getId().equals(id)) {
          return admitted >= 0;
        }
      }
      registry.getGoneBuilder().addSlaves(Registry.GoneSlave.newBuilder().setId(id).setTimestamp(time(seconds)));
      return true;
    });
  }

  /** Role weights set by the operator (or from {@code --weights} on a fresh registry). */
  public static RegistryOperation updateWeights(Map<String, Double> weights) {
    return operation("Update weights " + weights, registry -> {
      boolean changed = false;
      for (Map.Entry<String, Double> e : weights.entrySet()) {
        Registry.Weight weight = Registry.Weight.newBuilder()
            .setInfo(WeightInfo.newBuilder().setRole(e.getKey()).setWeight(e.getValue())).build();
        int at = -1;
        for (int i = 0; i < registry.getWeightsCount(); i++) {
          if (registry.getWeights(i).getInfo().getRole().equals(e.getKey())) {
            at = i;
          }
        }
        if (at < 0) {
          registry.addWeights(weight);
          changed = true;
        } else if (!registry.getWeights(at).equals(weight)) {
          registry.setWeights(at, weight);
          changed = true;
        }
      }
      return changed;
    });
  }

  /**
   * A role's quota: set (replacing any), or removed when {@code config} has neither guarantees nor limits (Mesos
   * stores no config for a role at the default quota).
   */
  public static RegistryOperation updateQuota(QuotaConfig config) {
    return operation("Update quota of role '" + config.getRole() + "'", registry -> {
      boolean none = config.getGuaranteesCount() == 0 && config.getLimitsCount() == 0;
      for (int i = 0; i < registry.getQuotaConfigsCount(); i++) {
        if (registry.getQuotaConfigs(i).getRole().equals(config.getRole())) {
          if (none) {
            registry.removeQuotaConfigs(i);
            return true;
          }
          if (registry.getQuotaConfigs(i).equals(config)) {
            return false;
          }
          registry.setQuotaConfigs(i, config);
          return true;
        }
      }
      if (none) {
        return false;
      }
      registry.addQuotaConfigs(config);
      return true;
    });
  }

  /** Forgets unreachable and gone agents (garbage collection by age and count, Mesos' {@code Prune}). */
  public static RegistryOperation prune(Set<SlaveID> unreachable, Set<SlaveID> gone) {
    return operation("Prune " + unreachable.size() + " unreachable and " + gone.size() + " gone agents", registry -> {
      boolean a = removeIf(registry.getUnreachableBuilder().getSlavesList(), s -> unreachable.contains(s.getId()),
          i -> registry.getUnreachableBuilder().removeSlaves(i));
      boolean b = removeIf(registry.getGoneBuilder().getSlavesList(), s -> gone.contains(s.getId()),
          i -> registry.getGoneBuilder().removeSlaves(i));
      return a || b;
    });
  }

  /** Records the master that leads now (done by every newly elected master, as Mesos' registrar recovery). */
  public static RegistryOperation master(org.apache.mesos.Protos.MasterInfo info) {
    return operation("Record leading master " + info.getId(), registry -> {
      registry.setMaster(Registry.Master.newBuilder().setInfo(info));
      return true;
    });
  }

  static int indexOfAdmitted(Registry.Builder registry, SlaveID id) {
    List<Registry.Slave> slaves = registry.getSlaves().getSlavesList();
    for (int i = 0; i < slaves.size(); i++) {
      if (slaves.get(i).getInfo().getId().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  /** Removes (through {@code remover}, by index, from the end) the elements {@code matches} selects. */
  private static <T> boolean removeIf(List<T> list, Predicate<T> matches, java.util.function.IntConsumer remover) {
    boolean removed = false;
    for (int i = list.size() - 1; i >= 0; i--) {
      if (matches.test(list.get(i))) {
        remover.accept(i);
        removed = true;
      }
    }
    return removed;
  }

  static TimeInfo time(double seconds) {
    return TimeInfo.newBuilder().setNanoseconds((long) (seconds * 1e9)).build();
  }

  /** An operation that uses (and keeps up to date) the batch's index of admitted agents. */
  private static RegistryOperation indexed(String description,
      java.util.function.BiPredicate<Registry.Builder, AdmittedAgents> f) {
    return new RegistryOperation() {
      @Override
      public boolean apply(Registry.Builder registry) {
        return f.test(registry, new AdmittedAgents(registry));
      }

      @Override
      public boolean apply(Registry.Builder registry, AdmittedAgents admitted) {
        return f.test(registry, admitted);
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  static RegistryOperation operation(String description, java.util.function.Predicate<Registry.Builder> f) {
    return new RegistryOperation() {
      @Override
      public boolean apply(Registry.Builder registry) {
        return f.test(registry);
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }
}
