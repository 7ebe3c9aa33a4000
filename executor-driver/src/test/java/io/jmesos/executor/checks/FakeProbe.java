package io.jmesos.executor.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.CheckStatusInfo;

/** A probe whose attempts the test completes by hand; it records when each attempt started (clock nanos). */
final class FakeProbe implements Probe {
  final List<CompletableFuture<CheckStatusInfo>> attempts = new ArrayList<>();
  final List<Long> startedAt = new ArrayList<>();
  private final io.jmesos.actor.Clock clock;

  FakeProbe(io.jmesos.actor.Clock clock) {
    this.clock = clock;
  }

  @Override
  public CompletableFuture<CheckStatusInfo> start() {
    CompletableFuture<CheckStatusInfo> attempt = new CompletableFuture<>();
    attempts.add(attempt);
    startedAt.add(clock.nanoTime());
    return attempt;
  }

  @Override
  public String subject() {
    return "Command";
  }

  CompletableFuture<CheckStatusInfo> last() {
    return attempts.get(attempts.size() - 1);
  }

  void exit(int code) {
    last().complete(exitCode(code));
  }

  void fail(String message) {
    last().completeExceptionally(new ProbeException(message));
  }

  static CheckStatusInfo exitCode(int code) {
    return CheckStatusInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckStatusInfo.Command.newBuilder().setExitCode(code)).build();
  }
}
