/**
 * {@code bin/mesos}: the operator command line of Mesos' {@code src/python/cli_new} ({@code agent}, {@code
 * framework}, {@code task} and {@code config} plugins) over the master's and the agents' HTTP endpoints.
 */
package io.jmesos.dist.cli;
