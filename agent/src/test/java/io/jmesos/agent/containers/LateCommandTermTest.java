package io.jmesos.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A SIGTERM that reached only a container's supervisor, before it started its command, still reaches the
 * command once it starts ({@link PosixLauncher#termLateCommand}).
 */
class LateCommandTermTest {
  /** The command: exits 7 on SIGTERM once its trap is set, else runs for a minute. */
  private static final String COMMAND =
      "trap 'exit 7' TERM; i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done";

  @Test
  void theCommandStartedAfterTheTermGetsOne() throws Exception {
    // A supervisor that starts its command only after a while, without forking anything before it.
    Process supervisor = new ProcessBuilder("sh", "-c",
        "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; sh -c \"$0\"; exit $?", COMMAND).start();
    try {
      assertThat(supervisor.toHandle().children().findAny()).isEmpty();

      List<ProcessHandle> sent = PosixLauncher.termLateCommand(supervisor.toHandle(),
          p -> p.pid() == supervisor.pid());

      assertThat(sent).isNotEmpty();
      // Without the TERM the command runs for a minute. With it: 7 from its trap, or 128 + 15 when the TERM came
      // before the command's shell had set the trap (it is sent as soon as the command's process exists).
      assertThat(supervisor.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(supervisor.exitValue()).isIn(7, 128 + 15);
    } finally {
      supervisor.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      supervisor.destroyForcibly();
    }
  }

  @Test
  void aCommandAlreadySignalledIsNotSignalledAgain() throws Exception {
    Process supervisor = new ProcessBuilder("sh", "-c", "sh -c \"$0\"; exit $?", COMMAND).start();
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> supervisor.toHandle().children().findAny().isPresent());

      List<ProcessHandle> sent = PosixLauncher.termLateCommand(supervisor.toHandle(), p -> true);

      assertThat(sent).isEmpty();
      assertThat(supervisor.isAlive()).isTrue();
    } finally {
      supervisor.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      supervisor.destroyForcibly();
    }
  }

  @Test
  void aSupervisorThatEndsWithoutCommandEndsTheWait() throws Exception {
    Process supervisor = new ProcessBuilder("sh", "-c", "exit 3").start();
    assertThat(supervisor.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertThat(PosixLauncher.termLateCommand(supervisor.toHandle(), p -> false)).isEmpty();
  }
}
