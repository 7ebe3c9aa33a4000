/**
 * Linux cgroups, v1 and v2: detecting the hierarchy, the per-container layout Mesos uses
 * ({@code <hierarchy>/<controller>/<cgroups_root>/<container id>} or the unified equivalent), control files,
 * and the linux-launcher side of a container: killing every process in its cgroups and removing them.
 * Blocking file-system code, called off the agent's actor.
 */
package io.jmesos.agent.containers.cgroups;
