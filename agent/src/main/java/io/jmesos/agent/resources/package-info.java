/**
 * Reservations and persistent volumes on the agent, as Mesos' agent keeps them: the master's offer operations on
 * the agent's own resources are applied to its total ({@link io.jmesos.agent.resources.OperationApplier}),
 * checkpointed in Mesos' files under {@code meta/resources} ({@link io.jmesos.agent.resources.ResourcesCheckpoint}),
 * made real on disk ({@link io.jmesos.agent.resources.PersistentVolumes}) and answered with operation status updates
 * retried until acknowledged ({@link io.jmesos.agent.resources.AgentResources}, owned by the agent's actor).
 */
package io.jmesos.agent.resources;
