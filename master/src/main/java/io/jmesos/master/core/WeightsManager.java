package io.jmesos.master.core;

import io.jmesos.master.registry.RegistryOperations;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.resources.Roles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.v1.Protos.WeightInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Role weights, as Mesos' master keeps them: set at start from {@code --weights}, changed by the operator
 * ({@code /weights}, {@code UPDATE_WEIGHTS}), always pushed to the allocator. An update that touches a role with
 * subscribed frameworks rescinds every outstanding offer, so that the new weights take effect. Kept in the
 * registry: weights survive restarts and failovers. Runs on the master's actor.
 */
public final class WeightsManager {
  private static final Logger LOG = LoggerFactory.getLogger(WeightsManager.class);

  private final MasterContext ctx;

  WeightsManager(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** Takes the --weights flag and hands the weights to the allocator. */
  public void initialize(Map<String, Double> weights) {
    ctx.actor.assertInActorThread();
    ctx.state.weights.putAll(weights);
    if (!weights.isEmpty()) {
      ctx.allocator.updateWeights(Map.copyOf(weights));
      LOG.info("Role weights from --weights: {}", weights);
    }
  }

  /** The weight of a role: 1 unless set. */
  public double weight(String role) {
    return ctx.state.weights.getOrDefault(role, 1.0);
  }

  /**
   * Validates an update as Mesos' {@code WeightsHandler} (the error is answered 400), stores it in the registry,
   * then applies it; completes on the actor.
   */
  public CompletableFuture<Optional<Rejection>> update(List<WeightInfo> weightInfos) {
    ctx.actor.assertInActorThread();
    Optional<Rejection> notRecovered = ctx.notRecovered();
    if (notRecovered.isPresent()) {
      return CompletableFuture.completedFuture(notRecovered);
    }
    Map<String, Double> validated = new LinkedHashMap<>();
    for (WeightInfo info : weightInfos) {
      String role = info.getRole().trim();
      Optional<String> invalid = Roles.validate(role);
      if (invalid.isPresent()) {
        return CompletableFuture.completedFuture(Optional.of(Rejection.badRequest(
            "Failed to validate update weights request JSON: Invalid role '" + role + "': " + invalid.get())));
      }
      if (!(info.getWeight() > 0)) {
        return CompletableFuture.completedFuture(Optional.of(Rejection.badRequest(
            "Failed to validate update weights request JSON for role '" + role + "': Invalid weight '"
            + number(info.getWeight()) + "': Weights must be positive")));
      }
      validated.put(role, info.getWeight());
    }
    return ctx.registrar.apply(RegistryOperations.updateWeights(validated)).thenApply(stored -> {
      ctx.state.weights.putAll(validated);
      ctx.allocator.updateWeights(Map.copyOf(validated));
      LOG.info("Updated role weights {}", validated);
      rescindOffers(validated);
      return Optional.empty();
    });
  }

  /** Mesos rescinds all outstanding offers when an updated role has frameworks. */
  private void rescindOffers(Map<String, Double> updated) {
    boolean rescind = false;
    for (Framework framework : ctx.state.frameworks.values()) {
      if (framework.roles().stream().anyMatch(updated::containsKey)) {
        rescind = true;
        break;
      }
    }
    if (!rescind) {
      return;
    }
    for (Agent agent : ctx.state.agents.values()) {
      for (OfferID id : List.copyOf(agent.offers)) {
        Offer offer = ctx.state.offers.get(id);
        if (offer != null) {
          ctx.offers.rescind(offer);
        }
      }
    }
  }

  /** A double as C++ streams print one by default: {@code 2}, {@code -1}, {@code 0.5}. */
  static String number(double value) {
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
