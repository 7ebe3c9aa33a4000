package io.jmesos.master.core;

import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.allocator.Allocator;
import io.jmesos.master.authz.MasterAuthorizer;
import io.jmesos.master.election.Leadership;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.registry.Registrar;
import io.jmesos.master.state.EncodedEvent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.MasterState;
import io.jmesos.master.state.SchedulerConnection;
import java.util.Objects;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * What every part of the master shares: its actor, clock, flags, state and allocator, plus the managers so
 * that they can call each other. Built once by {@link io.jmesos.master.Master}; used only on the actor.
 */
public final class MasterContext {
  public final Actor actor;
  public final Clock clock;
  public final MasterFlags flags;
  public final MasterState state;
  public final Allocator allocator;
  public final FrameworkManager frameworks;
  public final AgentManager agents;
  public final AgentHealth health;
  public final AgentRemoval removal;
  public final AgentActivation activation;
  /** Maintenance schedules, machine modes and inverse offers. */
  public final MaintenanceManager maintenance;
  /** DRAIN_AGENT. */
  public final AgentDraining draining;
  public final OfferManager offers;
  public final TaskManager tasks;
  public final Reconciler reconciler;
  public final AcceptHandler accept;
  /** Offer operations on agents' resources and their feedback. */
  public final OperationManager operations;
  public final WeightsManager weights;
  public final QuotaManager quotas;
  public final Registrar registrar;
  public final MasterRecovery recovery;
  /** Whether this master acts as the leader, and who leads; changed by the election, read anywhere. */
  public final Leadership leadership;
  /** What --acls allow; asked on the actor (the local authorizer never blocks). */
  public final MasterAuthorizer authz;
  private volatile OperatorEvents operatorEvents = OperatorEvents.NONE;

  public final AgentAuthenticator authentication;
  /** What --rate_limits throttles: the scheduler calls of subscribed frameworks, by principal. */
  public final FrameworkRateLimits rateLimits;

  public MasterContext(Actor actor, MasterFlags flags, MasterState state, Allocator allocator,
      Registrar registrar) {
    this(actor, flags, state, allocator, registrar, java.util.Optional.empty(), MasterAuthorizer.ALLOW_ALL);
  }

  /** {@code credentials}: what agents authenticate against (none: every authentication fails). */
  public MasterContext(Actor actor, MasterFlags flags, MasterState state, Allocator allocator,
      Registrar registrar, java.util.Optional<io.jmesos.security.CredentialSet> credentials) {
    this(actor, flags, state, allocator, registrar, credentials, MasterAuthorizer.ALLOW_ALL);
  }

  public MasterContext(Actor actor, MasterFlags flags, MasterState state, Allocator allocator,
      Registrar registrar, MasterAuthorizer authz) {
    this(actor, flags, state, allocator, registrar, java.util.Optional.empty(), authz);
  }

  /**
   * {@code credentials}: what agents authenticate against (none: every authentication fails); {@code authz}: what
   * --acls allow.
   */
  public MasterContext(Actor actor, MasterFlags flags, MasterState state, Allocator allocator,
      Registrar registrar, java.util.Optional<io.jmesos.security.CredentialSet> credentials,
      MasterAuthorizer authz) {
    this.authz = Objects.requireNonNull(authz, "authz");
    this.actor = Objects.requireNonNull(actor, "actor");
    this.clock = actor.clock();
    this.flags = Objects.requireNonNull(flags, "flags");
    this.state = Objects.requireNonNull(state, "state");
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.registrar = Objects.requireNonNull(registrar, "registrar");
    this.leadership = new Leadership(state.info);
    this.offers = new OfferManager(this);
    this.tasks = new TaskManager(this);
    this.operations = new OperationManager(this);
    this.frameworks = new FrameworkManager(this);
    this.authentication = new AgentAuthenticator(this, credentials);
    this.agents = new AgentManager(this);
    this.health = new AgentHealth(this);
    this.removal = new AgentRemoval(this);
    this.activation = new AgentActivation(this);
    this.maintenance = new MaintenanceManager(this);
    this.draining = new AgentDraining(this);
    this.reconciler = new Reconciler(this);
    this.accept = new AcceptHandler(this);
    this.weights = new WeightsManager(this);
    this.quotas = new QuotaManager(this);
    this.recovery = new MasterRecovery(this);
    this.rateLimits = new FrameworkRateLimits(this, flags.rateLimits());
  }

  /** Where the managers report what the operator event stream shows; {@link OperatorEvents#NONE} until set. */
  public OperatorEvents operatorEvents() {
    return operatorEvents;
  }

  /** Installs the operator event stream's listener (once, before the master serves). */
  public void operatorEvents(OperatorEvents listener) {
    this.operatorEvents = Objects.requireNonNull(listener, "listener");
  }

  /** The answer to an operator call that changes state before this master recovered the registry. */
  public java.util.Optional<Rejection> notRecovered() {
    return state.recovered ? java.util.Optional.empty()
        : java.util.Optional.of(new Rejection(503, "Master has not finished recovery"));
  }

  public double now() {
    return clock.currentTimeSeconds();
  }

  /** Sends an event to a framework if it is connected; dropped otherwise (as Mesos does). */
  public void send(Framework framework, Event event) {
    SchedulerConnection connection = framework.connection();
    if (connection != null) {
      connection.send(event);
    }
  }

  /** {@link #send(Framework, Event)} for an event in its wire form. */
  public void send(Framework framework, EncodedEvent event) {
    SchedulerConnection connection = framework.connection();
    if (connection != null) {
      connection.send(event);
    }
  }

  /** A status update generated by the master: SOURCE_MASTER, timestamped, no uuid. */
  public TaskStatus masterStatus(TaskID taskId, SlaveID slaveId, TaskState state, TaskStatus.Reason reason,
      String message) {
    TaskStatus.Builder status = TaskStatus.newBuilder()
        .setTaskId(taskId)
        .setState(state)
        .setSource(TaskStatus.Source.SOURCE_MASTER)
        .setTimestamp(now());
    if (slaveId != null) {
      status.setSlaveId(slaveId);
    }
    if (reason != null) {
      status.setReason(reason);
    }
    if (message != null) {
      status.setMessage(message);
    }
    return status.build();
  }
}
