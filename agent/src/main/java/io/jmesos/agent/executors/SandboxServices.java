package io.jmesos.agent.executors;

import io.jmesos.agent.fetcher.Fetcher;
import io.jmesos.agent.gc.GarbageCollector;
import io.jmesos.files.AttachedFiles;
import io.jmesos.security.authz.Authorizer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;

/**
 * What the executor bookkeeping does around containers besides running them: fetch the URIs into their
 * sandboxes, attach those to {@code /files}, collect them as garbage {@code --gc_delay} after their
 * executor or framework is done, and keep the command executor's class data archive in the work directory.
 * Immutable wiring.
 */
public final class SandboxServices {
  final Fetcher fetcher;
  final AttachedFiles files;
  final GarbageCollector gc;
  final Duration gcDelay;
  final CommandExecutorArchive archive;
  /** Who may read a sandbox through /files (access_sandboxes ACLs). */
  final Authorizer authorizer;

  public SandboxServices(Fetcher fetcher, AttachedFiles files, GarbageCollector gc, Duration gcDelay,
      CommandExecutorArchive archive) {
    this(fetcher, files, gc, gcDelay, archive, Authorizer.ALLOW_ALL);
  }

  public SandboxServices(Fetcher fetcher, AttachedFiles files, GarbageCollector gc, Duration gcDelay,
      CommandExecutorArchive archive, Authorizer authorizer) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.files = Objects.requireNonNull(files, "files");
    this.gc = Objects.requireNonNull(gc, "gc");
    this.gcDelay = Objects.requireNonNull(gcDelay, "gcDelay");
    this.archive = Objects.requireNonNull(archive, "archive");
  }

  /** Mesos' executor virtual path: {@code /frameworks/<fid>/executors/<eid>/runs/latest}. */
  public static String latestRunPath(FrameworkID frameworkId, ExecutorID executorId) {
    return "/frameworks/" + frameworkId.getValue() + "/executors/" + executorId.getValue() + "/runs/latest";
  }

  /**
   * The virtual path of a run directory ({@code .../frameworks/<fid>/executors/<eid>/runs/<cid>}), or null
   * for any other path.
   */
  static String latestRunPath(Path runDir) {
    Path runs = runDir.getParent();
    if (runs == null || !runs.getFileName().toString().equals("runs") || runs.getNameCount() < 4) {
      return null;
    }
    Path executor = runs.getParent();
    Path framework = executor.getParent().getParent();
    return "/frameworks/" + framework.getFileName() + "/executors/" + executor.getFileName() + "/runs/latest";
  }

  /** Detaches a removed directory from {@code /files} (runs on the actor, from the garbage collector). */
  public static void detachRemoved(AttachedFiles files, Path removed) {
    String latest = latestRunPath(removed);
    if (latest != null) {
      files.detachWithAlias(removed.toString(), latest);
    } else {
      files.detach(removed.toString());
    }
  }
}
