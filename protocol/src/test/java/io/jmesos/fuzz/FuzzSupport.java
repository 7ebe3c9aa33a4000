package io.jmesos.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the fuzz tests share. A fuzz test fails on any exception its target does not document as the answer to
 * bad input (each test lists those it accepts), on an unbounded allocation (the heap is what the JVM was given)
 * and on a hang (the class's {@code @Timeout}).
 */
final class FuzzSupport {
  private static Level saved;

  private FuzzSupport() {}

  /** Quiets jmesos' logging (refused input is logged at WARN, once per input: millions while fuzzing). */
  static synchronized void quiet() {
    Logger logger = (Logger) LoggerFactory.getLogger("io.jmesos");
    saved = logger.getLevel();
    logger.setLevel(Level.ERROR);
  }

  static synchronized void restore() {
    ((Logger) LoggerFactory.getLogger("io.jmesos")).setLevel(saved);
  }
}
