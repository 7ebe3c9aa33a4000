package io.jmesos.executor.checks;

import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.CheckStatusInfo;

/**
 * One kind of check (a command, an HTTP GET, a TCP connection), attempted once per {@link #start()}.
 * Implementations are thread-safe; their blocking work runs on a pool of their own, never on the caller.
 */
public interface Probe {

  /**
   * Starts one attempt. The future completes with the check's result, or exceptionally with a
   * {@link ProbeException} when the check could not be performed (Mesos' non-transient errors). Cancelling
   * the future aborts the attempt: a command's process tree is killed, a connection closed.
   */
  CompletableFuture<CheckStatusInfo> start();

  /** What the probe runs, for the timeout message: {@code "Command"}, {@code "HTTP request"}. */
  String subject();
}
