package io.jmesos.master;

import io.jmesos.flags.FlagsException;
import io.jmesos.logging.LogbackLogging;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.tls.TlsConfig;
import io.jmesos.tls.TlsContext;
import io.jmesos.tls.TlsException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mesos-master}: parses flags ({@code --help} prints them), starts a {@link Master} and runs until the
 * JVM is asked to stop. The only way out of the process is the injectable exit hook.
 */
public final class MasterMain {
  private static final Logger LOG = LoggerFactory.getLogger(MasterMain.class);

  private MasterMain() {}

  public static void main(String[] args) {
    Master master = run(args, System.getenv(), System.out, System.err, System::exit);
    if (master == null) {
      return;
    }
    // Every thread of the master is a daemon: park the main thread until the shutdown hook closes it.
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs the master; returns once it is started (the caller keeps the JVM alive) or after calling {@code exit}
   * for --help (0) and bad flags or a failed start (1).
   */
  public static Master run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
      IntConsumer exit) {
    MasterFlags flags;
    try {
      flags = MasterFlags.parse(args, env);
    } catch (FlagsException e) {
      err.println(e.getMessage());
      err.println();
      err.print(MasterFlags.usage());
      exit.accept(1);
      return null;
    }
    if (flags.helpRequested()) {
      out.print(MasterFlags.usage());
      exit.accept(0);
      return null;
    }
    try {
      LogbackLogging.configure("mesos-master", flags.logging.loggingLevel(), flags.logging.quiet(),
          flags.logging.logDir());
    } catch (IOException e) {
      err.println("Failed to set up logging to --log_dir: " + e);
      exit.accept(1);
      return null;
    }
    Optional<String> invalid = checkRegistry(flags);
    if (invalid.isPresent()) {
      LOG.error("{}", invalid.get());
      err.println(invalid.get());
      exit.accept(1);
      return null;
    }
    TlsContext tls;
    try {
      tls = TlsContext.create(TlsConfig.fromEnvironment(env));
    } catch (TlsException e) {
      LOG.error("Master failed to start: {}", e.getMessage());
      err.println("Failed to start the master: " + e.getMessage());
      exit.accept(1);
      return null;
    }
    Master master;
    try {
      master = Master.builder().flags(flags).tls(tls).onFatal(failure -> exit.accept(1)).build();
      master.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit.accept(1);
      return null;
    } catch (IllegalArgumentException e) { // a setup error (flags that cannot work together): no stack trace
      LOG.error("Master failed to start: {}", e.getMessage());
      err.println("Failed to start the master: " + e.getMessage());
      exit.accept(1);
      return null;
    } catch (RuntimeException e) {
      LOG.error("Master failed to start", e);
      err.println("Failed to start the master: " + e.getMessage());
      exit.accept(1);
      return null;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(master::close, "master-shutdown"));
    return master;
  }

  /**
   * As {@code mesos-master}: a replicated-log registry shared through ZooKeeper needs {@code --quorum}; with the
   * in-memory registry, {@code --quorum} is ignored.
   */
  static Optional<String> checkRegistry(MasterFlags flags) {
    if (flags.registry().equals("replicated_log") && flags.zk() != null && flags.quorum() == null) {
      return Optional.of("Need to specify --quorum for replicated log based registry when using ZooKeeper");
    }
    return Optional.empty();
  }
}
