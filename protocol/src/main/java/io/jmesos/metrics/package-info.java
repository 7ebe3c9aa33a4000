/**
 * What both daemons' metrics endpoints share: the {@code system/*} gauges Mesos' libprocess reports, and the
 * Prometheus text exposition of a Mesos snapshot (plus JVM and process metrics) behind
 * {@code /metrics/prometheus}.
 */
package io.jmesos.metrics;
