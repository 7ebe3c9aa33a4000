/**
 * The master's behaviour, split by responsibility as Mesos' master is split by concern: {@link
 * io.jmesos.master.core.FrameworkManager} (subscription, failover, removal, heartbeats), {@link
 * io.jmesos.master.core.AgentManager} (the internal protocol: registration, pings, agent loss), {@link
 * io.jmesos.master.core.OfferManager} (turning allocations into offers, rescinding them), {@link
 * io.jmesos.master.core.TaskManager} (launching, status updates, acknowledgements, kills), {@link
 * io.jmesos.master.core.AcceptHandler} (the ACCEPT call), {@link io.jmesos.master.core.Reconciler} and the
 * {@link io.jmesos.master.core.SchedulerCalls} dispatch table. All of them run on the master's single actor
 * and share one {@link io.jmesos.master.core.MasterContext}; none of them block. Master state uses Mesos' v0
 * protobufs (as the internal protocol does); v1 types appear only at the scheduler API edge and are converted
 * through their identical wire bytes ({@link io.jmesos.protocol.Evolve}).
 */
package io.jmesos.master.core;
