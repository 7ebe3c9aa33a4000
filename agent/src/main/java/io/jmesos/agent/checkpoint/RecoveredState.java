package io.jmesos.agent.checkpoint;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.Protos.SlaveID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpointed state as recovered at start-up, as Mesos' {@code state::State}: the boot id checkpointed
 * (trimmed), the agent {@code meta/slaves/latest} points to (absent for a fresh agent), the number of errors
 * skipped by a non-strict recovery, and whether the host rebooted since the boot id was checkpointed. Immutable.
 */
public record RecoveredState(Optional<String> bootId, Optional<SlaveCheckpoint> slave, int errors,
    boolean rebooted) {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveredState.class);

  public RecoveredState {
    Objects.requireNonNull(bootId, "bootId");
    Objects.requireNonNull(slave, "slave");
  }

  /** A state of a host that did not reboot. */
  public RecoveredState(Optional<String> bootId, Optional<SlaveCheckpoint> slave, int errors) {
    this(bootId, slave, errors, false);
  }

  /**
   * Mesos' {@code state::recover}: reads everything under {@code paths.metaDir()}, comparing the checkpointed
   * boot id with {@link BootId#current()} (when that cannot be read the host is taken as not rebooted).
   *
   * @see #recover(MetaPaths, boolean, Optional)
   */
  public static RecoveredState recover(MetaPaths paths, boolean strict) throws CheckpointException {
    Optional<String> current;
    try {
      current = Optional.of(BootId.current());
    } catch (IOException e) {
      LOG.warn("Cannot tell whether the host rebooted, its boot id is unknown: {}", e.toString());
      current = Optional.empty();
    }
    return recover(paths, strict, current);
  }

  /**
   * Mesos' {@code state::recover}: reads everything under {@code paths.metaDir()}. An absent meta directory
   * or no {@code meta/slaves/latest} recovers an empty slave (a fresh agent). A file that is missing or empty
   * (the agent died, or the host went down, right after creating it) ends the recovery of its part with a
   * warning and is no error, as in Mesos; see {@link FrameworkCheckpoint} and friends for what is then absent.
   *
   * <p>A file that cannot be read, is truncated or corrupt is an error. With {@code strict} the first one
   * throws; without, its part is recovered as far as it was read (e.g. a framework without its info, a task
   * with the updates before a corrupt record), the error is counted in {@link #errors} and logged in one WARN
   * line, and recovery goes on. As in Mesos, some errors end recovery even when not strict: a dangling
   * {@code meta/slaves/latest}, a directory that cannot be listed, an unparsable
   * {@code executor_generated_for_command_task} or {@code forked.pid}.
   *
   * <p>When the host rebooted ({@code currentBootId} differs from the checkpointed one) the forked pids are
   * obsolete: none is recovered and their files are removed, as Mesos does.
   *
   * @param currentBootId the running kernel's boot id; empty when unknown (taken as not rebooted)
   * @throws CheckpointException naming the file, for an error that ends recovery
   */
  public static RecoveredState recover(MetaPaths paths, boolean strict, Optional<String> currentBootId)
      throws CheckpointException {
    return new Recovery(paths, strict, currentBootId).run();
  }

  /** The agent's id, when there is one to recover. */
  public Optional<SlaveID> slaveId() {
    return slave.map(SlaveCheckpoint::id);
  }
}
