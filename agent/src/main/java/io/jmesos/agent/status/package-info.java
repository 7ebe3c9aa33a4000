/**
 * The status update manager: reliable, ordered delivery of task status updates to the master, one stream
 * per task, retried with a doubling interval on the agent's clock until acknowledged (Mesos'
 * {@code StatusUpdateManager}). Owned by the agent's actor; no threads of its own.
 */
package io.jmesos.agent.status;
