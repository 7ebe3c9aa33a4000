/**
 * The pure-Java executor driver over the v1 executor HTTP API. {@link io.jmesos.executor.driver.HttpExecutorDriver}
 * is the thread-safe facade holding the driver status; {@code ExecutorProcess} is its actor, which owns the
 * subscription, the unacknowledged updates and tasks, and the reconnection policy read from the executor
 * environment ({@link io.jmesos.executor.driver.ExecutorEnvironment}). {@code AgentClient} is a tiny blocking
 * HTTP/1.1 client on plain sockets so that executors start without loading Netty; the SUBSCRIBE stream has
 * a reader thread that parses RecordIO-framed events and enqueues them on the actor.
 */
package io.jmesos.executor.driver;
