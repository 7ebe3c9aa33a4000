/** Benchmarks that run against a real local cluster; run through {@code bin/mesos-bench}, never as tests. */
package io.jmesos.dist.bench;
