package io.jmesos.master.core;

import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.protocol.Evolve;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.InverseOffer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Unavailability;
import org.apache.mesos.v1.allocator.Protos.InverseOfferStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inverse offers, as Mesos 1.11's hierarchical allocator makes them ({@code generateInverseOffers},
 * {@code updateInverseOffer}) and its master sends them: an agent on a DRAINING machine gets one outstanding
 * inverse offer per active framework with resources offered or allocated there, unless that framework's
 * response filter (its {@code refuse_seconds}, default 5s) still holds; the framework's ACCEPT or DECLINE is
 * kept per agent as an {@link InverseOfferStatus} for GET_MAINTENANCE_STATUS (until the master fails over or the
 * agent's unavailability changes). Generation runs every {@code --allocation_interval} while a machine drains,
 * and right after a schedule change. Runs on the master's actor.
 */
public final class InverseOffers {
  private static final Logger LOG = LoggerFactory.getLogger(InverseOffers.class);
  private static final double DEFAULT_REFUSE_SECONDS = 5;
  private static final double MAX_REFUSE_SECONDS = 365 * 24 * 3600.0;

  private final MasterContext ctx;
  private final Map<OfferID, InverseOffer> outstanding = new LinkedHashMap<>();
  private final Map<SlaveID, Map<FrameworkID, InverseOfferStatus>> statuses = new HashMap<>();
  /** Per agent, per framework: until when (seconds) no inverse offer is made after a response. */
  private final Map<SlaveID, Map<FrameworkID, Double>> filters = new HashMap<>();
  private long nextId;

  InverseOffers(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** Sends the inverse offers due now (see the class comment). */
  void generate() {
    ctx.actor.assertInActorThread();
    forgetVanished();
    double now = ctx.now();
    Map<Framework, List<InverseOffer>> made = new LinkedHashMap<>();
    for (Agent agent : ctx.state.agents.values()) {
      Optional<Unavailability> unavailability = ctx.maintenance.unavailability(agent);
      if (unavailability.isEmpty() || !agent.connected()) {
        continue;
      }
      for (Framework framework : usersOf(agent)) {
        if (!framework.active() || !framework.connected() || hasOutstanding(agent.id(), framework.id())
            || filters.getOrDefault(agent.id(), Map.of()).getOrDefault(framework.id(), 0.0) > now) {
          continue;
        }
        InverseOffer offer = InverseOffer.newBuilder()
            .setId(OfferID.newBuilder().setValue(ctx.state.info.getId() + "-IO" + nextId++))
            .setFrameworkId(framework.id())
            .setSlaveId(agent.id())
            .setUnavailability(unavailability.get())
            .build();
        outstanding.put(offer.getId(), offer);
        made.computeIfAbsent(framework, f -> new ArrayList<>()).add(offer);
      }
    }
    made.forEach((framework, offers) -> {
      LOG.info("Sending {} inverse offers to framework {}", offers.size(), framework);
      Event.InverseOffers.Builder event = Event.InverseOffers.newBuilder();
      offers.forEach(o -> event.addInverseOffers(
          Evolve.evolvePartial(o, org.apache.mesos.v1.Protos.InverseOffer.parser())));
      ctx.send(framework, Event.newBuilder().setType(Event.Type.INVERSE_OFFERS).setInverseOffers(event).build());
    });
  }

  /** The agent's unavailability changed (or ended): its inverse offers are rescinded, its responses forgotten. */
  void unavailabilityChanged(SlaveID agentId) {
    for (InverseOffer offer : List.copyOf(outstanding.values())) {
      if (offer.getSlaveId().equals(agentId)) {
        rescind(offer);
      }
    }
    statuses.remove(agentId);
    filters.remove(agentId);
  }

  /** ACCEPT_INVERSE_OFFERS or DECLINE_INVERSE_OFFERS of {@code framework}. */
  public void respond(Framework framework, List<org.apache.mesos.v1.Protos.OfferID> ids,
      org.apache.mesos.v1.Protos.Filters filters, boolean accept) {
    for (org.apache.mesos.v1.Protos.OfferID v1 : ids) {
      OfferID id = OfferID.newBuilder().setValue(v1.getValue()).build();
      InverseOffer offer = outstanding.get(id);
      if (offer == null || !offer.getFrameworkId().equals(framework.id())) {
        LOG.warn("Ignoring {} of inverse offer {} of framework {}: it is no longer valid",
            accept ? "accept" : "decline", id.getValue(), framework);
        continue;
      }
      outstanding.remove(id);
      InverseOfferStatus status = InverseOfferStatus.newBuilder()
          .setStatus(accept ? InverseOfferStatus.Status.ACCEPT : InverseOfferStatus.Status.DECLINE)
          .setFrameworkId(Evolve.evolvePartial(framework.id(), org.apache.mesos.v1.Protos.FrameworkID.parser()))
          .setTimestamp(org.apache.mesos.v1.Protos.TimeInfo.newBuilder().setNanoseconds((long) (ctx.now() * 1e9)))
          .build();
      statuses.computeIfAbsent(offer.getSlaveId(), a -> new LinkedHashMap<>()).put(framework.id(), status);
      double refuse = filters.hasRefuseSeconds() ? filters.getRefuseSeconds() : DEFAULT_REFUSE_SECONDS;
      if (refuse < 0) {
        refuse = DEFAULT_REFUSE_SECONDS;
      }
      this.filters.computeIfAbsent(offer.getSlaveId(), a -> new HashMap<>())
          .put(framework.id(), ctx.now() + Math.min(refuse, MAX_REFUSE_SECONDS));
      LOG.info("Framework {} {} inverse offer {} for agent {}", framework, accept ? "accepted" : "declined",
          id.getValue(), offer.getSlaveId().getValue());
    }
  }

  /** The responses recorded for an agent, by framework. */
  public List<InverseOfferStatus> statuses(SlaveID agentId) {
    return List.copyOf(statuses.getOrDefault(agentId, Map.of()).values());
  }

  /** The inverse offers outstanding for a framework (for /state). */
  public List<InverseOffer> outstandingOf(FrameworkID frameworkId) {
    return outstanding.values().stream().filter(o -> o.getFrameworkId().equals(frameworkId)).toList();
  }

  /** Handles the call types of {@code call} that answer inverse offers; for {@link SchedulerCalls}. */
  public void call(Framework framework, Call call) {
    if (call.getType() == Call.Type.ACCEPT_INVERSE_OFFERS) {
      respond(framework, call.getAcceptInverseOffers().getInverseOfferIdsList(),
          call.getAcceptInverseOffers().getFilters(), true);
    } else {
      respond(framework, call.getDeclineInverseOffers().getInverseOfferIdsList(),
          call.getDeclineInverseOffers().getFilters(), false);
    }
  }

  private boolean hasOutstanding(SlaveID agentId, FrameworkID frameworkId) {
    return outstanding.values().stream()
        .anyMatch(o -> o.getSlaveId().equals(agentId) && o.getFrameworkId().equals(frameworkId));
  }

  private void rescind(InverseOffer offer) {
    outstanding.remove(offer.getId());
    Framework framework = ctx.state.frameworks.get(offer.getFrameworkId());
    if (framework != null) {
      LOG.info("Rescinding inverse offer {} of framework {} for agent {}", offer.getId().getValue(), framework,
          offer.getSlaveId().getValue());
      ctx.send(framework, Event.newBuilder().setType(Event.Type.RESCIND_INVERSE_OFFER)
          .setRescindInverseOffer(Event.RescindInverseOffer.newBuilder().setInverseOfferId(
              org.apache.mesos.v1.Protos.OfferID.newBuilder().setValue(offer.getId().getValue())))
          .build());
    }
  }

  /** Inverse offers whose agent left or whose framework left or disconnected are dropped, as Mesos does. */
  private void forgetVanished() {
    outstanding.values().removeIf(o -> {
      Agent agent = ctx.state.agents.get(o.getSlaveId());
      Framework framework = ctx.state.frameworks.get(o.getFrameworkId());
      return agent == null || !agent.connected() || framework == null || !framework.connected();
    });
    statuses.keySet().removeIf(id -> !ctx.state.agents.containsKey(id));
    filters.keySet().removeIf(id -> !ctx.state.agents.containsKey(id));
  }

  /** Frameworks with resources offered or allocated on the agent. */
  private Set<Framework> usersOf(Agent agent) {
    Set<Framework> users = new LinkedHashSet<>();
    for (Framework framework : ctx.state.frameworks.values()) {
      if (agent.executors.containsKey(framework.id()) || !framework.tasks.onAgent(agent.id()).isEmpty()) {
        users.add(framework);
      }
    }
    for (OfferID id : agent.offers) {
      org.apache.mesos.Protos.Offer offer = ctx.state.offers.get(id);
      Framework framework = offer == null ? null : ctx.state.frameworks.get(offer.getFrameworkId());
      if (framework != null) {
        users.add(framework);
      }
    }
    return users;
  }
}
