/**
 * A fault-injection test cluster (Mesos' {@code FUTURE_PROTOBUF} / {@code DROP_PROTOBUF} in Java), published
 * in the dist test-jar. {@link io.jmesos.testing.FaultCluster} runs a real master, real agents and real
 * scheduler drivers in one JVM over loopback sockets, all on one {@link io.jmesos.actor.ManualClock}. It is
 * built on two seams and no fakes: a {@link io.jmesos.transport.MessageTap} on both ends of every
 * master/agent connection, through which {@link io.jmesos.testing.MessageFaults} waits for, drops, delays
 * or repeats internal messages and counts those in flight, and the master's {@link
 * io.jmesos.master.http.SchedulerTap}, through which {@link io.jmesos.testing.EventFaults} does the same
 * with v1 scheduler events and cuts subscription streams. {@code settle()} waits until every actor is idle
 * and no internal message is in flight; {@code advance()} moves the clock from one due timer to the next,
 * settling after each. {@link io.jmesos.testing.RecordingScheduler} records a framework's callbacks for a
 * test to wait on.
 */
package io.jmesos.testing;
