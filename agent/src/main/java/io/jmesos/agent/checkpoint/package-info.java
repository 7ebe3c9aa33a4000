/**
 * The agent's checkpoint store, in Mesos' on-disk layout under {@code <work_dir>/meta} ({@link MetaPaths}):
 * atomic, fsync'ed writers ({@link Checkpoints}, {@link AgentCheckpoint}), the append-only status update
 * streams ({@link UpdatesFile}) and the reader that recovers the whole tree at start-up
 * ({@link RecoveredState#recover}, Mesos' {@code state::recover}). Files are byte-compatible with Mesos'.
 * Blocking file I/O; the agent's actor calls it synchronously.
 */
package io.jmesos.agent.checkpoint;
