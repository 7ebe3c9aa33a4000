package io.jmesos.agent;

import io.jmesos.agent.checkpoint.CheckpointException;
import io.jmesos.agent.checkpoint.MetaPaths;
import io.jmesos.agent.checkpoint.RecoveredState;
import io.jmesos.agent.checkpoint.SlaveCheckpoint;
import io.jmesos.resources.Attributes;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.SlaveInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of an agent's start (Mesos' {@code Slave::recover}): reads the checkpoint under
 * {@code <work_dir>/meta}, tells whether the machine rebooted since (boot id), and decides the agent's identity:
 * the recovered agent id when the checkpointed {@code SlaveInfo} is compatible with the new one under
 * {@code --reconfiguration_policy}; a new agent after a reboot with an incompatible one; otherwise the agent does
 * not start, with Mesos' advice. Pure file reading; runs before the agent's actor has state.
 */
final class CheckpointRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointRecovery.class);

  /** What start-up recovered: the agent's info (with its id when it keeps it) and the state to restore. */
  record Outcome(SlaveInfo info, Optional<SlaveCheckpoint> slave, boolean rebooted, int errors) {}

  private CheckpointRecovery() {}

  /**
   * @throws IllegalStateException when recovery fails (strict errors, an incompatible agent info): the agent
   *     must not start
   */
  static Outcome recover(MetaPaths paths, SlaveInfo fresh, boolean strict, boolean additive) {
    RecoveredState state;
    try {
      state = RecoveredState.recover(paths, strict);
    } catch (CheckpointException e) {
      throw failure(paths, e.getMessage());
    }
    boolean rebooted = state.rebooted();
    if (rebooted) {
      LOG.info("Agent host rebooted since the last checkpoint (boot id {} then)", state.bootId().orElse("?"));
    }
    if (state.slave().isEmpty() || state.slave().get().info().isEmpty()) {
      return new Outcome(fresh, Optional.empty(), rebooted, state.errors());
    }
    SlaveCheckpoint slave = state.slave().get();
    SlaveInfo previous = slave.info().get();
    Optional<String> incompatible = incompatibility(previous, fresh, additive);
    if (incompatible.isPresent()) {
      if (rebooted) {
        LOG.warn("Agent {} starts as a new agent after a reboot: {}", slave.id().getValue(), incompatible.get());
        return new Outcome(fresh, Optional.empty(), true, state.errors());
      }
      throw failure(paths, "Incompatible agent info detected: " + incompatible.get());
    }
    LOG.info("Recovering agent {} ({} frameworks checkpointed, {} errors skipped)", slave.id().getValue(),
        slave.frameworks().size(), state.errors());
    return new Outcome(fresh.toBuilder().setId(slave.id()).build(), Optional.of(slave), rebooted, state.errors());
  }

  /** Why the new agent info cannot take over the old one's id, or empty when it can (Mesos' compatible()). */
  static Optional<String> incompatibility(SlaveInfo previous, SlaveInfo fresh, boolean additive) {
    if (!previous.getHostname().equals(fresh.getHostname())) {
      return Optional.of("hostname changed from " + previous.getHostname() + " to " + fresh.getHostname());
    }
    if (previous.getPort() != fresh.getPort()) {
      return Optional.of("port changed from " + previous.getPort() + " to " + fresh.getPort());
    }
    Resources before = Resources.of(previous.getResourcesList());
    Resources after = Resources.of(fresh.getResourcesList());
    Attributes beforeAttributes = Attributes.of(previous.getAttributesList());
    Attributes afterAttributes = Attributes.of(fresh.getAttributesList());
    if (!additive) {
      if (!before.equals(after)) {
        return Optional.of("resources changed from " + before + " to " + after);
      }
      if (!beforeAttributes.equals(afterAttributes)) {
        return Optional.of("attributes changed from " + beforeAttributes + " to " + afterAttributes);
      }
      return Optional.empty();
    }
    if (!after.contains(before)) {
      return Optional.of("resources " + after + " do not contain the previous " + before);
    }
    for (Attribute attribute : previous.getAttributesList()) {
      if (!afterAttributes.get(attribute.getName()).map(attribute::equals).orElse(false)) {
        return Optional.of("attribute " + attribute.getName() + " was removed or changed");
      }
    }
    return Optional.empty();
  }

  private static IllegalStateException failure(MetaPaths paths, String why) {
    return new IllegalStateException("Failed to perform recovery: " + why + "\n"
        + "If recovery failed due to a change in configuration and you want to keep the current agent id, you "
        + "might want to change the `--reconfiguration_policy` flag to a more permissive value.\n"
        + "To restart this agent with a new agent id instead, do as follows:\n"
        + "rm -f " + paths.latestSlaveLink() + "\n"
        + "This ensures that the agent does not recover old live executors.\n"
        + "Finally, restart the agent.");
  }

  /** Forgets the recovered agent (cleanup done): the next start is a new agent. */
  static void forgetLatest(MetaPaths paths) {
    try {
      Files.deleteIfExists(paths.latestSlaveLink());
    } catch (IOException e) {
      LOG.warn("Failed to remove {}: {}", paths.latestSlaveLink(), e.getMessage());
    }
  }
}
