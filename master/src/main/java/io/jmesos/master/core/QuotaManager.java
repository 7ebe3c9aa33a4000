package io.jmesos.master.core;

import io.jmesos.allocator.Quota;
import io.jmesos.master.registry.RegistryOperations;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.Quantities;
import io.jmesos.master.validation.QuotaValidator;
import io.jmesos.protocol.Evolve;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Roles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.Value.Scalar;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;
import org.apache.mesos.v1.quota.Protos.QuotaRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Role quotas as Mesos 1.11's {@code QuotaHandler} manages them: {@code UPDATE_QUOTA} (guarantees and limits,
 * checked against current consumption and cluster capacity unless forced), the deprecated {@code SET_QUOTA} /
 * {@code REMOVE_QUOTA} and the {@code /quota} endpoint. Every change goes to the allocator, then outstanding
 * offers are rescinded (best effort, as in Mesos) so that guarantees and limits take effect. Kept in the
 * registry: quotas survive restarts and failovers. Runs on the master's actor.
 */
public final class QuotaManager {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaManager.class);

  private final MasterContext ctx;

  QuotaManager(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** A role's quota; {@link Quota#NONE} when it has none. */
  public Quota quota(String role) {
    return ctx.state.quotas.getOrDefault(role, Quota.NONE);
  }

  /**
   * {@code UPDATE_QUOTA}: validates every config (the error is answered 400), stores them all in the registry,
   * then applies them; completes on the actor.
   */
  public CompletableFuture<Optional<Rejection>> update(List<QuotaConfig> configs, boolean force) {
    ctx.actor.assertInActorThread();
    Optional<Rejection> rejected = ctx.notRecovered().or(() -> validateUpdate(configs, force));
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected);
    }
    Map<String, Quota> quotas = new LinkedHashMap<>();
    configs.forEach(config -> quotas.put(config.getRole(), QuotaValidator.quota(config)));
    return store(quotas).thenApply(stored -> {
      quotas.forEach((role, quota) -> {
        apply(role, quota);
        rescindForQuota(role, quota);
      });
      return Optional.empty();
    });
  }

  private Optional<Rejection> validateUpdate(List<QuotaConfig> configs, boolean force) {
    for (QuotaConfig config : configs) {
      if (config.getRole().contains("/")) {
        return bad("Updating quota on nested role '" + config.getRole() + "' is not supported yet");
      }
      Optional<String> invalid = QuotaValidator.validate(config);
      if (invalid.isPresent()) {
        return bad("Invalid QuotaConfig: " + invalid.get());
      }
    }
    for (QuotaConfig config : configs) {
      Quota quota = QuotaValidator.quota(config);
      SortedMap<String, Double> consumed = new RoleBreakdown(ctx, config.getRole()).consumedQuota();
      if (!Quantities.withinLimits(quota.limits(), consumed)) {
        String limits = Quantities.format(quota.limits());
        if (!force) {
          return bad("Invalid QuotaConfig: Role '" + config.getRole() + "' is already consuming '"
              + Quantities.format(consumed) + "'; this is more than the requested limits '" + limits
              + "' (use 'force' flag to bypass this check)");
        }
        LOG.info("Updating '{}' quota limit to '{}', below its current quota consumption '{}', as forced",
            config.getRole(), limits, Quantities.format(consumed));
      }
    }
    Map<String, Quota> updated = new TreeMap<>(ctx.state.quotas);
    for (QuotaConfig config : configs) {
      updated.put(config.getRole(), QuotaValidator.quota(config));
    }
    Optional<String> tree = QuotaValidator.validateTree(updated);
    if (tree.isPresent()) {
      return bad("Invalid QuotaConfig: " + tree.get());
    }
    SortedMap<String, Double> guarantees = QuotaValidator.totalGuarantees(updated);
    SortedMap<String, Double> capacity = capacity();
    if (!Quantities.contains(capacity, guarantees)) {
      if (!force) {
        return bad("Invalid QuotaConfig: total quota guarantees '" + Quantities.format(guarantees)
            + "' exceed cluster capacity '" + Quantities.format(capacity)
            + "' (use 'force' flag to bypass this check)");
      }
      LOG.info("Using force flag to override quota overcommit check");
    }
    return Optional.empty();
  }

  /** Stores the roles' new quotas (a role at {@link Quota#NONE} has none stored); completes on the actor. */
  private CompletableFuture<Void> store(Map<String, Quota> quotas) {
    List<CompletableFuture<Boolean>> stores = new java.util.ArrayList<>();
    quotas.forEach((role, quota) -> stores.add(ctx.registrar.apply(RegistryOperations.updateQuota(
        config(role, quota)))));
    return CompletableFuture.allOf(stores.toArray(new CompletableFuture<?>[0]));
  }

  /** A quota as Mesos stores it in the registry. */
  static QuotaConfig config(String role, Quota quota) {
    QuotaConfig.Builder config = QuotaConfig.newBuilder().setRole(role);
    quota.guarantees().forEach((name, value) -> config.putGuarantees(name, Scalar.newBuilder().setValue(value)
        .build()));
    quota.limits().forEach((name, value) -> config.putLimits(name, Scalar.newBuilder().setValue(value).build()));
    return config.build();
  }

  /**
   * The deprecated {@code SET_QUOTA} / {@code POST /quota}: a new quota whose guarantee is also its limit; stored
   * in the registry, then applied.
   */
  public CompletableFuture<Optional<Rejection>> set(QuotaRequest request) {
    ctx.actor.assertInActorThread();
    Optional<Rejection> rejected = ctx.notRecovered().or(() -> validateSet(request));
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected);
    }
    String role = request.getRole();
    Quota quota = QuotaValidator.quota(request);
    return store(Map.of(role, quota)).thenApply(stored -> {
      apply(role, quota);
      rescindForGuarantee(role, quota.guarantees());
      return Optional.empty();
    });
  }

  private Optional<Rejection> validateSet(QuotaRequest request) {
    Optional<String> resources = Resources.validate(
        Evolve.devolveAllPartial(request.getGuaranteeList(), org.apache.mesos.Protos.Resource.parser()));
    if (resources.isPresent()) {
      return bad("Failed to validate set quota request: QuotaInfo with invalid resource: " + resources.get());
    }
    Optional<String> invalid = QuotaValidator.validate(request);
    if (invalid.isPresent()) {
      return bad("Failed to validate set quota request: " + invalid.get());
    }
    String role = request.getRole();
    if (ctx.state.quotas.containsKey(role)) {
      return bad("Failed to validate set quota request: Cannot set quota for role '" + role
          + "' which already has quota");
    }
    Quota quota = QuotaValidator.quota(request);
    Map<String, Quota> updated = new TreeMap<>(ctx.state.quotas);
    updated.put(role, quota);
    Optional<String> tree = QuotaValidator.validateTree(updated);
    if (tree.isPresent()) {
      return bad("Failed to validate set quota request: " + tree.get());
    }
    if (role.contains("/")) {
      return bad("Setting quota on nested role '" + role + "' is not supported yet");
    }
    if (!request.getForce()) {
      SortedMap<String, Double> guarantees = QuotaValidator.totalGuarantees(updated);
      SortedMap<String, Double> capacity = capacity();
      if (!Quantities.contains(capacity, guarantees)) {
        return Optional.of(Rejection.conflict("Quota guarantees overcommit the cluster (use 'force' to bypass "
            + "this check): Total quota guarantees '" + Quantities.format(guarantees)
            + "' exceed cluster capacity '" + Quantities.format(capacity) + "'"));
      }
    }
    return Optional.empty();
  }

  /**
   * The deprecated {@code REMOVE_QUOTA}; {@code path} is the {@code /quota/<role>} request path, or null for the
   * v1 call (whose messages do not name a path and which skips the hierarchy check, as in Mesos).
   */
  public CompletableFuture<Optional<Rejection>> remove(String role, String path) {
    ctx.actor.assertInActorThread();
    Optional<Rejection> rejected = ctx.notRecovered().or(() -> validateRemove(role, path));
    if (rejected.isPresent()) {
      return CompletableFuture.completedFuture(rejected);
    }
    return store(Map.of(role, Quota.NONE)).thenApply(stored -> {
      apply(role, Quota.NONE);
      return Optional.empty();
    });
  }

  private Optional<Rejection> validateRemove(String role, String path) {
    if (!ctx.state.quotas.containsKey(role)) {
      return bad(path == null ? "Failed to remove quota: Role '" + role + "' has no quota set"
          : "Failed to remove quota for path '" + path + "': Role '" + role + "' has no quota set");
    }
    if (path != null) {
      Map<String, Quota> remaining = new TreeMap<>(ctx.state.quotas);
      remaining.remove(role);
      Optional<String> tree = QuotaValidator.validateTree(remaining);
      if (tree.isPresent()) {
        return bad("Failed to remove quota for path '" + path + "': " + tree.get());
      }
    }
    return Optional.empty();
  }

  private void apply(String role, Quota quota) {
    if (quota.isNone()) {
      ctx.state.quotas.remove(role);
    } else {
      ctx.state.quotas.put(role, quota);
    }
    ctx.allocator.updateQuota(role, quota);
    LOG.info("Set quota of role '{}': guarantees '{}', limits '{}'", role, Quantities.format(quota.guarantees()),
        Quantities.format(quota.limits()));
  }

  /** Non-revocable scalar totals of every registered agent, connected or not (as Mesos counts capacity). */
  private SortedMap<String, Double> capacity() {
    SortedMap<String, Double> capacity = new TreeMap<>();
    for (Agent agent : ctx.state.agents.values()) {
      capacity = Quantities.plus(capacity, Quantities.of(agent.total().nonRevocable()));
    }
    return capacity;
  }

  /**
   * Mesos' best-effort rescind after UPDATE_QUOTA: first offers to the role's subtree until what it consumes and
   * is offered fits its limits, then offers to other roles until the guarantees could be met.
   */
  private void rescindForQuota(String role, Quota quota) {
    RoleBreakdown breakdown = new RoleBreakdown(ctx, role);
    SortedMap<String, Double> consumedAndOffered = Quantities.plus(breakdown.consumedQuota(), breakdown.offered());
    outer:
    for (Framework framework : List.copyOf(ctx.state.frameworks.values())) {
      for (Offer offer : offers(framework.offers)) {
        if (Quantities.withinLimits(quota.limits(), consumedAndOffered)) {
          break outer;
        }
        if (inSubtree(offer, role)) {
          consumedAndOffered = Quantities.minus(consumedAndOffered, quantities(offer));
          ctx.offers.rescind(offer);
        }
      }
    }
    SortedMap<String, Double> rescinded = new TreeMap<>();
    outer:
    for (Agent agent : List.copyOf(ctx.state.agents.values())) {
      for (Offer offer : offers(agent.offers)) {
        if (Quantities.contains(Quantities.plus(rescinded, consumedAndOffered), quota.guarantees())) {
          break outer;
        }
        if (!inSubtree(offer, role)) {
          rescinded = Quantities.plus(rescinded, quantities(offer));
          ctx.offers.rescind(offer);
        }
      }
    }
  }

  /**
   * Mesos' rescind after the deprecated SET_QUOTA: all offers of one agent at a time, until at least the
   * guarantee is rescinded from at least as many agents as the role has active frameworks.
   */
  private void rescindForGuarantee(String role, Map<String, Double> guarantee) {
    long frameworksInRole = ctx.state.frameworks.values().stream()
        .filter(f -> f.roles().contains(role) && f.connected() && f.active()).count();
    SortedMap<String, Double> rescinded = new TreeMap<>();
    int visitedAgents = 0;
    for (Agent agent : List.copyOf(ctx.state.agents.values())) {
      if (Quantities.contains(rescinded, guarantee) && visitedAgents >= frameworksInRole) {
        break;
      }
      if (!agent.active()) {
        continue;
      }
      List<Offer> offers = offers(agent.offers);
      for (Offer offer : offers) {
        rescinded = Quantities.plus(rescinded, quantities(offer));
        ctx.offers.rescind(offer);
      }
      if (!offers.isEmpty()) {
        visitedAgents++;
      }
    }
  }

  private List<Offer> offers(Iterable<OfferID> ids) {
    List<Offer> offers = new java.util.ArrayList<>();
    for (OfferID id : ids) {
      Offer offer = ctx.state.offers.get(id);
      if (offer != null) {
        offers.add(offer);
      }
    }
    return offers;
  }

  private static SortedMap<String, Double> quantities(Offer offer) {
    return Quantities.of(Resources.of(offer.getResourcesList()));
  }

  private static boolean inSubtree(Offer offer, String role) {
    String allocated = offer.getAllocationInfo().getRole();
    return allocated.equals(role) || Roles.isStrictSubroleOf(allocated, role);
  }

  private static Optional<Rejection> bad(String message) {
    return Optional.of(Rejection.badRequest(message));
  }
}
