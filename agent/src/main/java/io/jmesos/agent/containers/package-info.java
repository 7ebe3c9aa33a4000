/**
 * Containers: the process tree an executor runs in, its sandbox directory in Mesos' layout, and the
 * {@link io.jmesos.agent.containers.Launcher} that starts and signals it. The posix launcher is the only one
 * for now; a cgroups launcher will implement the same interface. Launching (fork/exec) and waiting for exits
 * happen on launcher threads; results re-enter the agent's actor.
 */
package io.jmesos.agent.containers;
