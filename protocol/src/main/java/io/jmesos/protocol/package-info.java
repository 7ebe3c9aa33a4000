/**
 * Helpers about the Mesos protobufs themselves. {@link io.jmesos.protocol.Evolve} converts
 * between the v0 and v1 message families by serializing and parsing, which is exact because the
 * two are wire compatible; {@code MesosDescriptorCompatibilityTest} proves that ours are wire
 * compatible with the official Mesos 1.11 jar. {@link io.jmesos.protocol.TaskStates} holds the
 * one definition of a terminal task state that the master, the agent and the tools share.
 */
package io.jmesos.protocol;
