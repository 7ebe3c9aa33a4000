package io.jmesos.master.core;

import io.jmesos.http.HttpResponse;
import io.jmesos.internal.Messages.FrameworkToExecutorMessage;
import io.jmesos.internal.Messages.ShutdownExecutorMessage;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.protocol.Evolve;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.KillPolicy;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler calls other than SUBSCRIBE, behind an explicit dispatch table keyed by call type, as Mesos'
 * {@code Master::Http::scheduler}: the framework must exist (400), be subscribed (403) and name its current
 * stream in {@code Mesos-Stream-Id} (400); then the call is applied and answered: 202 for most calls, 200 or
 * 400 for UPDATE_FRAMEWORK. Runs on the actor.
 */
public final class SchedulerCalls {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerCalls.class);

  private final MasterContext ctx;
  private final Map<Call.Type, BiFunction<Framework, Call, HttpResponse>> handlers = new EnumMap<>(Call.Type.class);

  public SchedulerCalls(MasterContext ctx) {
    this.ctx = ctx;
    accepted(Call.Type.TEARDOWN, (f, c) -> ctx.frameworks.teardown(f));
    accepted(Call.Type.ACCEPT, this::accept);
    accepted(Call.Type.DECLINE, this::decline);
    accepted(Call.Type.ACCEPT_INVERSE_OFFERS, ctx.maintenance.inverseOffers::call);
    accepted(Call.Type.DECLINE_INVERSE_OFFERS, ctx.maintenance.inverseOffers::call);
    accepted(Call.Type.REVIVE, this::revive);
    accepted(Call.Type.SUPPRESS, this::suppress);
    accepted(Call.Type.KILL, this::kill);
    accepted(Call.Type.SHUTDOWN, this::shutdown);
    accepted(Call.Type.ACKNOWLEDGE, this::acknowledge);
    accepted(Call.Type.RECONCILE, this::reconcile);
    accepted(Call.Type.MESSAGE, this::message);
    accepted(Call.Type.ACKNOWLEDGE_OPERATION_STATUS,
        (f, c) -> ctx.operations.acknowledge(f, c.getAcknowledgeOperationStatus()));
    accepted(Call.Type.RECONCILE_OPERATIONS, (f, c) -> ctx.operations.reconcile(f, c.getReconcileOperations()));
    accepted(Call.Type.REQUEST, (f, c) -> LOG.debug("Ignoring REQUEST of framework {}", f));
    handlers.put(Call.Type.UPDATE_FRAMEWORK, this::updateFramework);
  }

  /** Handles a validated non-SUBSCRIBE call; {@code streamId} is the request's header (may be null). */
  public HttpResponse handle(Call call, String streamId) {
    return handle(call, streamId, null);
  }

  /**
   * Handles a validated non-SUBSCRIBE call of a request that authenticated as {@code principal} (null: it did
   * not), which must then be the framework's principal, as Mesos checks it (400).
   */
  public HttpResponse handle(Call call, String streamId, String principal) {
    ctx.actor.assertInActorThread();
    FrameworkID id = Evolve.devolve(call.getFrameworkId());
    Framework framework = ctx.state.frameworks.get(id);
    if (framework == null) {
      return HttpResponse.text(400, "Framework cannot be found");
    }
    if (principal != null && !principal.equals(framework.info().getPrincipal())) {
      return HttpResponse.text(400, "Authenticated principal '" + principal + "' does not match principal '"
          + framework.info().getPrincipal() + "' set in `FrameworkInfo`");
    }
    if (framework.connection() == null) {
      return HttpResponse.text(403, "Framework is not subscribed");
    }
    if (streamId == null) {
      return HttpResponse.text(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    }
    if (!streamId.equals(framework.connection().streamId())) {
      return HttpResponse.text(400, "The stream ID '" + streamId + "' included in this request didn't match the"
          + " stream ID currently associated with framework ID " + id.getValue());
    }
    BiFunction<Framework, Call, HttpResponse> handler = handlers.get(call.getType());
    if (handler == null) {
      return HttpResponse.text(501, "Call type " + call.getType() + " is not implemented yet");
    }
    ctx.state.metrics.messages.schedulerCall(call);
    return handler.apply(framework, call);
  }

  /** Installs a handler for a call that is answered 202 Accepted once applied. */
  private void accepted(Call.Type type, BiConsumer<Framework, Call> handler) {
    handlers.put(type, (framework, call) -> {
      handler.accept(framework, call);
      return HttpResponse.accepted();
    });
  }

  /** UPDATE_FRAMEWORK: 200 OK, or 400 with the reason; offer constraints are not supported and ignored. */
  private HttpResponse updateFramework(Framework framework, Call call) {
    Call.UpdateFramework update = call.getUpdateFramework();
    LOG.info("Processing UPDATE_FRAMEWORK call for framework {}", framework);
    Optional<String> invalid = ctx.frameworks.update(framework,
        Evolve.devolvePartial(update.getFrameworkInfo(), FrameworkInfo.parser()),
        new LinkedHashSet<>(update.getSuppressedRolesList()));
    if (invalid.isPresent()) {
      LOG.warn("Refusing UPDATE_FRAMEWORK of framework {}: {}", framework, invalid.get());
      return HttpResponse.text(400, invalid.get());
    }
    return HttpResponse.ok();
  }

  private void accept(Framework framework, Call call) {
    Call.Accept accept = call.getAccept();
    List<OfferID> offerIds = accept.getOfferIdsList().stream().map(Evolve::devolve).toList();
    List<Offer.Operation> operations = Evolve.devolveAllPartial(accept.getOperationsList(), Offer.Operation.parser());
    Filters filters = Evolve.devolvePartial(accept.getFilters(), Filters.parser());
    ctx.accept.accept(framework, offerIds, operations, filters);
  }

  private void decline(Framework framework, Call call) {
    Filters filters = Evolve.devolvePartial(call.getDecline().getFilters(), Filters.parser());
    for (var v1 : call.getDecline().getOfferIdsList()) {
      Offer offer = ctx.offers.get(Evolve.devolve(v1));
      if (offer == null || !offer.getFrameworkId().equals(framework.id())) {
        LOG.warn("Ignoring decline of offer {} by framework {}: no such offer", v1.getValue(), framework);
        continue;
      }
      ctx.offers.recover(offer, filters);
    }
  }

  private void revive(Framework framework, Call call) {
    var roles = new LinkedHashSet<>(call.getRevive().getRolesList());
    if (roles.isEmpty()) {
      framework.suppressedRoles.clear();
    } else {
      framework.suppressedRoles.removeAll(roles);
    }
    ctx.allocator.reviveOffers(framework.id(), roles);
  }

  private void suppress(Framework framework, Call call) {
    var roles = new LinkedHashSet<>(call.getSuppress().getRolesList());
    framework.suppressedRoles.addAll(roles.isEmpty() ? framework.roles() : roles);
    ctx.allocator.suppressOffers(framework.id(), roles);
  }

  private void kill(Framework framework, Call call) {
    Call.Kill kill = call.getKill();
    ctx.tasks.kill(framework, Evolve.devolve(kill.getTaskId()),
        kill.hasAgentId() ? Evolve.devolve(kill.getAgentId()) : null,
        kill.hasKillPolicy() ? Evolve.devolvePartial(kill.getKillPolicy(), KillPolicy.parser()) : null);
  }

  private void shutdown(Framework framework, Call call) {
    SlaveID slaveId = Evolve.devolve(call.getShutdown().getAgentId());
    Agent agent = ctx.state.agents.get(slaveId);
    if (agent == null || !agent.connected()) {
      LOG.warn("Cannot shut down executor of framework {}: agent {} is not connected", framework,
          slaveId.getValue());
      return;
    }
    agent.send(ShutdownExecutorMessage.newBuilder()
        .setExecutorId(Evolve.devolvePartial(call.getShutdown().getExecutorId(), ExecutorID.parser()))
        .setFrameworkId(framework.id())
        .build());
  }

  private void acknowledge(Framework framework, Call call) {
    Call.Acknowledge ack = call.getAcknowledge();
    Agent agent = ctx.state.agents.get(Evolve.devolve(ack.getAgentId()));
    if (agent == null || !agent.connected()) { // as Mesos: not relayed to an unknown or disconnected agent
      ctx.state.metrics.invalidStatusUpdateAcknowledgements++;
    } else {
      ctx.state.metrics.validStatusUpdateAcknowledgements++;
    }
    ctx.tasks.acknowledge(framework, Evolve.devolve(ack.getAgentId()),
        Evolve.devolve(ack.getTaskId()), ack.getUuid());
  }

  private void reconcile(Framework framework, Call call) {
    List<Reconciler.Query> queries = new ArrayList<>();
    for (Call.Reconcile.Task task : call.getReconcile().getTasksList()) {
      queries.add(new Reconciler.Query(Evolve.devolve(task.getTaskId()),
          task.hasAgentId() ? Evolve.devolve(task.getAgentId()) : null));
    }
    if (queries.isEmpty()) {
      ctx.reconciler.implicit(framework);
    } else {
      ctx.reconciler.explicit(framework, queries);
    }
  }

  private void message(Framework framework, Call call) {
    Call.Message message = call.getMessage();
    SlaveID slaveId = Evolve.devolve(message.getAgentId());
    Agent agent = ctx.state.agents.get(slaveId);
    if (agent == null || !agent.connected()) {
      ctx.state.metrics.invalidFrameworkToExecutorMessages++;
      LOG.warn("Dropping message of framework {} for agent {}: agent is not connected", framework,
          slaveId.getValue());
      return;
    }
    ctx.state.metrics.validFrameworkToExecutorMessages++;
    agent.send(FrameworkToExecutorMessage.newBuilder()
        .setSlaveId(slaveId)
        .setFrameworkId(framework.id())
        .setExecutorId(Evolve.devolvePartial(message.getExecutorId(), ExecutorID.parser()))
        .setData(message.getData())
        .build());
  }
}
