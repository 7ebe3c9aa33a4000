package io.jmesos.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.slf4j.LoggerFactory;

/**
 * The daemons' logging flags ({@code --logging_level}, {@code --quiet}, {@code --log_dir}) applied to logback,
 * which the daemons log through: the root level, no console appender when quiet, and a size-rolled file
 * {@code <log_dir>/<daemon>.log} (rolled to {@code <daemon>.log.1} .. {@code .5} at 100 MB; glog's
 * {@code <daemon>.INFO} names are not used). When logback is not the slf4j binding nothing is configured.
 */
public final class LogbackLogging implements AutoCloseable {
  /** The loggers {@code /logging/toggle} makes verbose: jmesos' own (libprocess' and Mesos' VLOGs in Mesos). */
  public static final String VERBOSE_LOGGER = "io.jmesos";
  static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";
  static final FileSize MAX_FILE_SIZE = FileSize.valueOf("100MB");
  static final int MAX_ROLLED_FILES = 5;

  private static volatile LogbackLogging current;

  private final Logger root;
  private final Level rootLevel;
  private final List<Appender<ILoggingEvent>> detached;
  private final RollingFileAppender<ILoggingEvent> file;

  private LogbackLogging(Logger root, Level rootLevel, List<Appender<ILoggingEvent>> detached,
      RollingFileAppender<ILoggingEvent> file) {
    this.root = root;
    this.rootLevel = rootLevel;
    this.detached = detached;
    this.file = file;
  }

  /** logback's level for Mesos' {@code --logging_level} ({@code INFO}, {@code WARNING}, {@code ERROR}). */
  public static Level level(String loggingLevel) {
    switch (loggingLevel.toUpperCase(Locale.ROOT)) {
      case "INFO":
        return Level.INFO;
      case "WARNING":
        return Level.WARN;
      case "ERROR":
        return Level.ERROR;
      default:
        throw new IllegalArgumentException("'" + loggingLevel + "' is not a valid logging level. Possible values"
            + " for 'logging_level' flag are: 'INFO', 'WARNING', 'ERROR'.");
    }
  }

  /** Validates a {@code --logging_level} value: empty when valid, else why not. */
  public static Optional<String> validateLevel(String loggingLevel) {
    try {
      level(loggingLevel);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Applies the flags of daemon {@code daemon} ({@code mesos-master}, {@code mesos-agent}); returns what to
   * {@link #close()} to undo it (tests), or empty when logback is not in use.
   *
   * @throws IOException when {@code logDir} cannot be created
   */
  public static Optional<LogbackLogging> configure(String daemon, String loggingLevel, boolean quiet,
      Optional<Path> logDir) throws IOException {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
      return Optional.empty();
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    Level wanted = level(loggingLevel);
    // The default INFO leaves a more verbose level of the logback configuration (JMESOS_LOG_LEVEL=DEBUG) alone.
    boolean keepVerbose = wanted == Level.INFO && before != null && before.levelInt < Level.INFO.levelInt;
    if (!keepVerbose) {
      root.setLevel(wanted);
    }
    List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    if (quiet) {
      for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
        Appender<ILoggingEvent> appender = it.next();
        if (appender instanceof ConsoleAppender) {
          detached.add(appender);
        }
      }
      detached.forEach(root::detachAppender);
    }
    RollingFileAppender<ILoggingEvent> file = null;
    if (logDir.isPresent()) {
      Files.createDirectories(logDir.get());
      file = rollingFile(context, logFile(logDir.get(), daemon));
      root.addAppender(file);
    }
    LogbackLogging applied = new LogbackLogging(root, before, detached, file);
    current = applied;
    return Optional.of(applied);
  }

  /** The configuration {@link #configure} applied last and not closed yet (tests undo it). */
  public static Optional<LogbackLogging> current() {
    return Optional.ofNullable(current);
  }

  /** The file a daemon logs to under {@code --log_dir}. */
  public static Path logFile(Path logDir, String daemon) {
    return logDir.resolve(daemon + ".log");
  }

  private static RollingFileAppender<ILoggingEvent> rollingFile(LoggerContext context, Path path) {
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(context);
    appender.setName("LOG_DIR");
    appender.setFile(path.toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(path + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(MAX_ROLLED_FILES);
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(MAX_FILE_SIZE);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    appender.setEncoder(encoder);
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    rolling.start();
    trigger.start();
    appender.start();
    return appender;
  }

  /**
   * Applies a verbosity level to logback: 0 leaves jmesos' loggers at the root's level (from {@code
   * --logging_level}), 1 sets them to DEBUG, 2 and more to TRACE. A no-op without logback.
   */
  public static IntConsumer verbositySink() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
      return level -> { };
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    return level -> context.getLogger(VERBOSE_LOGGER).setLevel(verbosity(level));
  }

  /** logback's level for a glog verbosity level; null (inherit) for 0. */
  public static Level verbosity(int level) {
    return level <= 0 ? null : level == 1 ? Level.DEBUG : Level.TRACE;
  }

  /** Undoes {@link #configure}: the file appender stops, the console appenders and the root level come back. */
  @Override
  public synchronized void close() {
    if (current == this) {
      current = null;
    }
    if (file != null) {
      root.detachAppender(file);
      file.stop();
    }
    detached.forEach(root::addAppender);
    root.setLevel(rootLevel);
  }
}
