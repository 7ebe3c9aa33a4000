package io.jmesos.master.core;

import io.jmesos.actor.Clock;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.resources.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outstanding offers: turns the allocator's allocations into offers (OFFERS events), removes them when used,
 * declined or invalidated, and rescinds them (RESCIND events) when their agent goes away or
 * {@code --offer_timeout} passes. Whoever removes an offer decides whether its resources go back to the
 * allocator. Runs on the master's actor.
 */
public final class OfferManager {
  private static final Logger LOG = LoggerFactory.getLogger(OfferManager.class);

  private final MasterContext ctx;
  private final Map<OfferID, Clock.Timer> timers = new HashMap<>();

  OfferManager(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** The allocator's callback, re-entered on the actor. */
  public void allocated(FrameworkID frameworkId, Map<String, Map<SlaveID, Resources>> byRole) {
    ctx.actor.assertInActorThread();
    Framework framework = ctx.state.frameworks.get(frameworkId);
    List<Offer> made = new ArrayList<>();
    byRole.forEach((role, byAgent) -> byAgent.forEach((slaveId, resources) -> {
      Agent agent = ctx.state.agents.get(slaveId);
      if (framework == null || !framework.active() || !framework.connected() || agent == null || !agent.active()) {
        LOG.debug("Returning allocation of {} on agent {} to the allocator: framework {} cannot be offered it",
            resources, slaveId.getValue(), frameworkId.getValue());
        ctx.allocator.recoverResources(frameworkId, slaveId, resources, null);
        return;
      }
      made.add(create(framework, agent, role, resources));
    }));
    if (!made.isEmpty()) {
      LOG.debug("Sending {} offers to framework {}", made.size(), frameworkId.getValue());
      ctx.send(framework, Events.offers(made));
    }
  }

  private Offer create(Framework framework, Agent agent, String role, Resources resources) {
    Offer.Builder offer = Offer.newBuilder()
        .setId(ctx.state.newOfferId())
        .setFrameworkId(framework.id())
        .setSlaveId(agent.id())
        .setHostname(agent.info.getHostname())
        .addAllResources(resources.toList())
        .addAllAttributes(agent.info.getAttributesList());
    offer.getAllocationInfoBuilder().setRole(role);
    ctx.maintenance.unavailability(agent).ifPresent(offer::setUnavailability);
    for (ExecutorID executorId : agent.executors.getOrDefault(framework.id(), Map.of()).keySet()) {
      offer.addExecutorIds(executorId);
    }
    Offer built = offer.build();
    ctx.state.offers.put(built.getId(), built);
    framework.offers.add(built.getId());
    agent.offers.add(built.getId());
    ctx.flags.offerTimeout().ifPresent(timeout -> timers.put(built.getId(),
        ctx.actor.delay(timeout, () -> expire(built.getId(), timeout))));
    return built;
  }

  private void expire(OfferID offerId, Duration timeout) {
    Offer offer = ctx.state.offers.get(offerId);
    if (offer != null) {
      LOG.info("Rescinding offer {} of framework {} after --offer_timeout={}", offerId.getValue(),
          offer.getFrameworkId().getValue(), timeout);
      rescind(offer);
    }
  }

  public Offer get(OfferID offerId) {
    return ctx.state.offers.get(offerId);
  }

  /** Forgets an offer; its resources are the caller's to recover or use. */
  public void remove(Offer offer) {
    ctx.state.offers.remove(offer.getId());
    Clock.Timer timer = timers.remove(offer.getId());
    if (timer != null) {
      timer.cancel();
    }
    Framework framework = ctx.state.frameworks.get(offer.getFrameworkId());
    if (framework != null) {
      framework.offers.remove(offer.getId());
    }
    Agent agent = ctx.state.agents.get(offer.getSlaveId());
    if (agent != null) {
      agent.offers.remove(offer.getId());
    }
  }

  /** Forgets an offer and gives its resources back to the allocator with {@code filters} (may be null). */
  public void recover(Offer offer, Filters filters) {
    remove(offer);
    ctx.allocator.recoverResources(offer.getFrameworkId(), offer.getSlaveId(),
        Resources.of(offer.getResourcesList()), filters);
  }

  /** Tells the framework the offer is gone (RESCIND) and gives its resources back. */
  public void rescind(Offer offer) {
    Framework framework = ctx.state.frameworks.get(offer.getFrameworkId());
    if (framework != null) {
      ctx.send(framework, Events.rescind(offer.getId()));
    }
    recover(offer, null);
  }

  /** Recovers every offer of a framework without telling it (it disconnected, failed over or left). */
  public void recoverAll(Framework framework) {
    for (OfferID id : List.copyOf(framework.offers)) {
      Offer offer = ctx.state.offers.get(id);
      if (offer != null) {
        recover(offer, null);
      }
    }
  }

  /** Rescinds every offer on an agent (it disconnected or was removed). */
  public void rescindAll(Agent agent) {
    for (OfferID id : List.copyOf(agent.offers)) {
      Offer offer = ctx.state.offers.get(id);
      if (offer != null) {
        rescind(offer);
      }
    }
  }

  public static Resources resources(Iterable<Offer> offers) {
    Resources sum = Resources.empty();
    for (Offer offer : offers) {
      for (Resource r : offer.getResourcesList()) {
        sum = sum.plus(r);
      }
    }
    return sum;
  }

  public Resources offeredTo(Framework framework) {
    return resources(framework.offers.stream().map(ctx.state.offers::get).filter(o -> o != null).toList());
  }

  public Resources offeredOn(Agent agent) {
    return resources(agent.offers.stream().map(ctx.state.offers::get).filter(o -> o != null).toList());
  }
}
