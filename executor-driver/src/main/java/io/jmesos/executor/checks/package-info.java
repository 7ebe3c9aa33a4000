/**
 * Health checks and checks of command tasks, as Mesos' {@code src/checks}: a {@link
 * io.jmesos.executor.checks.Probe} performs one COMMAND, HTTP or TCP check ({@link
 * io.jmesos.executor.checks.LocalProbes}); a loop runs it on the check's delay, interval and timeout on an
 * injectable clock; a {@link io.jmesos.executor.checks.HealthChecker} judges results (grace period,
 * consecutive failures, when to kill) and a {@link io.jmesos.executor.checks.Checker} reports the check's
 * status whenever it changes. Both command executors (the JVM one and the agent's embedded one) use them and
 * send what they report as status updates.
 */
package io.jmesos.executor.checks;
