package io.jmesos.logging;

import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The logging flags both daemons take, as Mesos' {@code logging::Flags}: {@code --quiet}, {@code --logging_level},
 * {@code --log_dir} and {@code --external_log_file}, added to the daemon's own {@link Flags}.
 */
public final class LoggingFlags {
  private final Flags flags;
  private final Flag<Boolean> quiet;
  private final Flag<String> loggingLevel;
  private final Flag<String> logDir;
  private final Flag<String> externalLogFile;

  /** Adds the logging flags to {@code flags}. */
  public LoggingFlags(Flags flags) {
    this.flags = flags;
    this.quiet = flags.add(Flag.bool("quiet").defaultValue(false)
        .help("Disable logging to stderr"));
    this.loggingLevel = flags.add(Flag.string("logging_level").defaultValue("INFO")
        .help("Log messages at or above this level: 'INFO', 'WARNING' or 'ERROR'. With --quiet it only affects the "
            + "file under --log_dir")
        .validator(LogbackLogging::validateLevel));
    this.logDir = flags.add(Flag.string("log_dir")
        .help("Directory to write a log file to (none by default; stderr logging is unaffected). jmesos writes "
            + "DAEMON.log there (mesos-master.log, mesos-agent.log; not glog's DAEMON.INFO names), rolled by size "
            + "to DAEMON.log.1 to .5 at 100 MB, and serves it through /files (see docs/logging.md)"));
    this.externalLogFile = flags.add(Flag.string("external_log_file")
        .help("A log file written by something else (e.g. journald or syslog from this daemon's stderr) to serve "
            + "through /files instead of the --log_dir file; the daemon never writes it"));
  }

  public boolean quiet() {
    return flags.get(quiet);
  }

  public String loggingLevel() {
    return flags.get(loggingLevel);
  }

  /** --log_dir, when given. */
  public Optional<Path> logDir() {
    return flags.find(logDir).map(Path::of);
  }

  /** --external_log_file, when given. */
  public Optional<Path> externalLogFile() {
    return flags.find(externalLogFile).map(Path::of);
  }
}
