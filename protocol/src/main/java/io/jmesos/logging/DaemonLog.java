package io.jmesos.logging;

import io.jmesos.files.AttachedFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exposes a daemon's log through {@code /files} as Mesos does ({@code /master/log}, {@code /slave/log}): the
 * {@code --external_log_file} when given, else the file under {@code --log_dir}, else nothing.
 */
public final class DaemonLog {
  private static final Logger LOG = LoggerFactory.getLogger(DaemonLog.class);

  private DaemonLog() {}

  /**
   * Attaches the log as {@code virtualPath}; returns the attached file. A file that cannot be attached is
   * logged and left out, as Mesos does.
   */
  public static Optional<Path> attach(AttachedFiles files, String virtualPath, String daemon,
      Optional<Path> logDir, Optional<Path> externalLogFile) {
    return attach(files, virtualPath, daemon, logDir, externalLogFile, null);
  }

  /**
   * As {@link #attach(AttachedFiles, String, String, Optional, Optional)}, readable only by the principals
   * {@code authorized} accepts (Mesos' access_mesos_logs; null: by everyone).
   */
  public static Optional<Path> attach(AttachedFiles files, String virtualPath, String daemon,
      Optional<Path> logDir, Optional<Path> externalLogFile, Predicate<Optional<String>> authorized) {
    Optional<Path> log = externalLogFile.or(() -> logDir.map(dir -> LogbackLogging.logFile(dir, daemon)));
    if (log.isEmpty()) {
      return log;
    }
    try {
      files.attach(log.get(), virtualPath, authorized);
      return log;
    } catch (IOException e) {
      LOG.error("Failed to attach log file '{}' as {}: {}", log.get(), virtualPath, e.toString());
      return Optional.empty();
    }
  }
}
