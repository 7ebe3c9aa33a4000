/**
 * The built-in command executor ({@link io.jmesos.executor.CommandExecutor}, Mesos' {@code mesos-executor}):
 * an ordinary executor on top of {@link io.jmesos.executor.driver.HttpExecutorDriver} that runs one task's
 * shell command, reports its states, and signals its whole process tree when the task is killed. It is a
 * separate JVM launched by the agent per command task, so it keeps its start-up light (no Netty, no JSON).
 */
package io.jmesos.executor;
