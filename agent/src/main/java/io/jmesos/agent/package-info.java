/**
 * The agent daemon ({@code mesos-agent}). {@link io.jmesos.agent.Agent} wires the parts, each in its own
 * sub-package: flags, the master link, executors and their containers, the status update manager and the
 * HTTP endpoints. All mutable state is owned by one actor; Netty threads decode and enqueue, and blocking
 * work (fork/exec, process waits, disk) runs on named pools that re-enter the actor with their results.
 */
package io.jmesos.agent;
