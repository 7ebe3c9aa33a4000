/**
 * Containers: the process tree an executor runs in, its sandbox directory in Mesos' layout, and the
 * {@link io.jmesos.agent.containers.Containerizer} that launches it with the isolators of {@code --isolation}
 * (cgroups or posix) and reports its usage and limitations. Launching, waiting for exits, destroying cgroups,
 * applying resource changes and watching for limitations happen on containerizer and launcher threads;
 * results re-enter the agent's actor.
 */
package io.jmesos.agent.containers;
