package io.jmesos.agent;

import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import io.jmesos.agent.containers.Launcher;
import io.jmesos.agent.executors.CommandExecutors;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.detector.MasterDetector;
import io.jmesos.tls.TlsContext;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MessageTap;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/** Builds an {@link Agent} ({@link Agent#builder}); only the flags are required. */
public final class AgentBuilder {
  private final AgentFlags flags;
  private Clock clock = SystemClock.get();
  private List<String> commandExecutorCommand = CommandExecutors.defaultCommand();
  private Launcher launcher;
  private Limits limits;
  private TlsContext tls = TlsContext.disabled();
  private DoubleSupplier diskUsage;
  private MessageTap messageTap = MessageTap.NONE;
  private MasterDetector detector;

  AgentBuilder(AgentFlags flags) {
    this.flags = Objects.requireNonNull(flags, "flags");
  }

  /** The clock for every timeout; tests pass a ManualClock. */
  public AgentBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Overrides the argv that starts the command executor for command tasks. */
  public AgentBuilder commandExecutorCommand(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("Empty command executor command");
    }
    this.commandExecutorCommand = List.copyOf(argv);
    return this;
  }

  public AgentBuilder launcher(Launcher launcher) {
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    return this;
  }

  public AgentBuilder limits(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * TLS ({@code LIBPROCESS_SSL_*}) for the agent's port, its connection to the master and, through their
   * environment, its executors' connections to it; plain TCP by default.
   */
  public AgentBuilder tls(TlsContext tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return this;
  }

  /** How full the work directory's file system is (0..1); tests pass their own. */
  public AgentBuilder diskUsage(DoubleSupplier diskUsage) {
    this.diskUsage = Objects.requireNonNull(diskUsage, "diskUsage");
    return this;
  }

  /** What every internal message to or from the master passes through; tests inject faults here. */
  public AgentBuilder messageTap(MessageTap tap) {
    this.messageTap = Objects.requireNonNull(tap, "tap");
    return this;
  }

  /**
   * Detects the leading master with {@code detector} instead of one made from {@code --master} (tests appoint
   * masters with a {@link io.jmesos.detector.StandaloneMasterDetector}). The agent closes it when it stops.
   */
  public AgentBuilder detector(MasterDetector detector) {
    this.detector = Objects.requireNonNull(detector, "detector");
    return this;
  }

  public Agent build() {
    return new Agent(this);
  }

  AgentFlags flags() {
    return flags;
  }

  Clock clock() {
    return clock;
  }

  List<String> commandExecutorCommand() {
    return commandExecutorCommand;
  }

  Launcher launcher() {
    return launcher;
  }

  Limits limits() {
    return limits;
  }

  TlsContext tls() {
    return tls;
  }

  DoubleSupplier diskUsage() {
    return diskUsage;
  }

  MessageTap messageTap() {
    return messageTap;
  }

  MasterDetector detector() {
    return detector;
  }
}
