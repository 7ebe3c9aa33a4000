/**
 * Sandbox garbage collection, as Mesos' {@code GarbageCollector} and the agent's disk watch: directories
 * of terminated executors and completed frameworks are removed {@code --gc_delay} after they were scheduled,
 * sooner when the disk fills up ({@code --gc_disk_headroom}, checked every {@code --disk_watch_interval}).
 * Timers run on the agent's actor and its clock; deletion runs on the blocking pool.
 */
package io.jmesos.agent.gc;
