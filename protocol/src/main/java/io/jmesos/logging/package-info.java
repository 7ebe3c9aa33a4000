/**
 * The daemons' logging: Mesos' logging flags applied to logback ({@link io.jmesos.logging.LogbackLogging}),
 * the process' verbosity level with its timed revert ({@link io.jmesos.logging.LoggingLevels}) and libprocess'
 * {@code /logging/toggle} endpoint over it ({@link io.jmesos.logging.LoggingToggle}).
 */
package io.jmesos.logging;
