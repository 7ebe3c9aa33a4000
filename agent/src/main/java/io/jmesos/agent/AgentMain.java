package io.jmesos.agent;

import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.flags.FlagsException;
import io.jmesos.logging.LogbackLogging;
import io.jmesos.tls.TlsConfig;
import io.jmesos.tls.TlsContext;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * {@code mesos-agent}: parses flags, starts an {@link Agent} and runs until it stops (a shutdown hook
 * closes it on SIGTERM). The only place that ends the JVM, through one replaceable exit hook.
 */
public final class AgentMain {
  private static volatile IntConsumer exitHook = System::exit;

  private AgentMain() {}

  public static void main(String[] args) {
    exitHook.accept(run(Arrays.asList(args), System.getenv(), System.out, System.err));
  }

  /** Replaces {@link System#exit} (tests). */
  public static void setExitHook(IntConsumer hook) {
    exitHook = Objects.requireNonNull(hook);
  }

  /** Runs the agent to completion; returns the process exit status. */
  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    AgentFlags flags;
    try {
      flags = AgentFlags.parse(args, env);
      if (flags.helpRequested()) {
        out.print(AgentFlags.usage());
        return 0;
      }
    } catch (FlagsException e) {
      err.println(e.getMessage());
      err.println();
      err.print(AgentFlags.usage());
      return 1;
    }
    try {
      LogbackLogging.configure("mesos-agent", flags.logging.loggingLevel(), flags.logging.quiet(),
          flags.logging.logDir());
    } catch (IOException e) {
      err.println("Failed to set up logging to --log_dir: " + e);
      return 1;
    }
    Agent agent;
    try {
      agent = Agent.builder(flags).tls(TlsContext.create(TlsConfig.fromEnvironment(env))).build();
    } catch (RuntimeException e) {
      err.println(e.getMessage());
      return 1;
    }
    // SIGTERM (and SIGINT) stop the agent and leave its executors for the next agent to recover, as Mesos';
    // SIGUSR1 kills them and unregisters the agent first.
    Thread hook = new Thread(agent::detach, "agent-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.onUsr1(() -> {
      err.println("Received SIGUSR1: unregistering the agent and killing its executors");
      agent.close();
    });
    try {
      agent.start();
      agent.terminated().join();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      agent.close();
      return 1;
    } catch (java.util.concurrent.CompletionException e) {
      // The agent stopped on its own with an error, e.g. "Master ... refused authentication".
      err.println("Agent failed: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      agent.close();
      return 1;
    } catch (RuntimeException e) {
      err.println("Agent failed: " + e.getMessage());
      agent.close();
      return 1;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook is running.
      }
    }
  }
}
