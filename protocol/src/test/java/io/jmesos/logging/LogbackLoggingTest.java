package io.jmesos.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Mesos' logging flags applied to logback: {@code --logging_level} sets the root level, {@code --quiet} detaches
 * the console, {@code --log_dir} adds {@code <log_dir>/<daemon>.log} rolled at 100 MB into five files; closing
 * undoes all of it.
 */
@Timeout(30)
class LogbackLoggingTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @Test
  void levelQuietAndLogDirAreAppliedAndUndone(@TempDir Path dir) throws Exception {
    Level before = root.getLevel();
    Path logDir = dir.resolve("logs");
    LogbackLogging applied = LogbackLogging.configure("mesos-master", "ERROR", true, Optional.of(logDir))
        .orElseThrow();
    try {
      assertThat(root.getLevel()).isEqualTo(Level.ERROR);
      assertThat(appenders()).noneMatch(a -> a instanceof ConsoleAppender);
      RollingFileAppender<ILoggingEvent> file = (RollingFileAppender<ILoggingEvent>) root.getAppender("LOG_DIR");
      assertThat(file.getFile()).isEqualTo(logDir.resolve("mesos-master.log").toString());
      FixedWindowRollingPolicy rolling = (FixedWindowRollingPolicy) file.getRollingPolicy();
      assertThat(rolling.getFileNamePattern()).isEqualTo(logDir.resolve("mesos-master.log") + ".%i");
      assertThat(rolling.getMinIndex()).isEqualTo(1);
      assertThat(rolling.getMaxIndex()).isEqualTo(5);
      assertThat(((SizeBasedTriggeringPolicy<ILoggingEvent>) file.getTriggeringPolicy()).getMaxFileSize()
          .getSize()).isEqualTo(100L * 1024 * 1024);

      org.slf4j.Logger log = LoggerFactory.getLogger("io.jmesos.logging.test");
      log.warn("a warning below --logging_level=ERROR");
      log.error("an error at --logging_level=ERROR");
      String written = Files.readString(logDir.resolve("mesos-master.log"), StandardCharsets.UTF_8);
      assertThat(written).contains("an error at --logging_level=ERROR")
          .doesNotContain("a warning below --logging_level=ERROR");
    } finally {
      applied.close();
    }
    assertThat(root.getLevel()).isEqualTo(before);
    assertThat(root.getAppender("LOG_DIR")).isNull();
    assertThat(appenders()).anyMatch(a -> a instanceof ConsoleAppender);
  }

  @Test
  void warningIsLogbacksWarnAndOtherLevelsAreMesosError() {
    assertThat(LogbackLogging.level("WARNING")).isEqualTo(Level.WARN);
    assertThat(LogbackLogging.level("info")).isEqualTo(Level.INFO);
    assertThatThrownBy(() -> LogbackLogging.level("DEBUG")).hasMessage("'DEBUG' is not a valid logging level."
        + " Possible values for 'logging_level' flag are: 'INFO', 'WARNING', 'ERROR'.");
  }

  private List<Appender<ILoggingEvent>> appenders() {
    List<Appender<ILoggingEvent>> all = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(all::add);
    return all;
  }
}
