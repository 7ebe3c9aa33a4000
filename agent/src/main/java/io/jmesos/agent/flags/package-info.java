/**
 * The agent's flags, declared with {@link io.jmesos.flags.Flags} under Mesos' agent flag names and
 * defaults. They are loaded once at start-up into an immutable {@link io.jmesos.agent.flags.AgentFlags};
 * every component reads its settings from there rather than from system properties.
 */
package io.jmesos.agent.flags;
