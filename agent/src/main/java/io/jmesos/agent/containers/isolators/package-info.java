/**
 * The isolators of {@code --isolation}: {@code cgroups/cpu}, {@code cgroups/mem}, {@code cgroups/pids},
 * {@code posix/cpu} and {@code posix/mem}. Each turns a container's resources into cgroup limits, reads its
 * usage, and detects the limitation it may hit. Stateless.
 */
package io.jmesos.agent.containers.isolators;
