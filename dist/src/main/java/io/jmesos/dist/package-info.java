/**
 * Command-line entry points that are not daemons of their own: {@code mesos-local} (a master and agents in
 * one process, through {@link io.jmesos.dist.LocalCluster}; with {@code --zk} an {@link
 * io.jmesos.dist.EmbeddedZooKeeper} and three contending masters) and {@code mesos-execute} (a one-task
 * framework). The {@code bin/} scripts run these, and the daemons' own mains, from this module's class path.
 */
package io.jmesos.dist;
