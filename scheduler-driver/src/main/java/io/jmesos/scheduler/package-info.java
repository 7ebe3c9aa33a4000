/**
 * The machinery behind {@link org.apache.mesos.MesosSchedulerDriver}. One actor, the driver thread, owns
 * everything ({@link io.jmesos.scheduler.SchedulerProcess}): it follows the leading master a
 * {@link io.jmesos.detector.MasterDetector} reports (standalone for {@code host:port}, ZooKeeper for
 * {@code zk://}) and hears only its subscription with that master; a {@link io.jmesos.scheduler.Subscription} is
 * one SUBSCRIBE stream, decoded on the HTTP client's I/O thread and handed to the actor event by event;
 * {@link io.jmesos.scheduler.EventHandlers} is the dispatch table from event type to scheduler callback;
 * {@link io.jmesos.scheduler.DriverCalls} maps driver methods to calls built by
 * {@link io.jmesos.scheduler.Calls}, sent in order by a {@link io.jmesos.scheduler.CallQueue} with the
 * stream id. The subscription is watched: a broken stream or five silent heartbeat intervals make the
 * driver call {@code disconnected} and subscribe again with backoff, as the same framework. Time comes
 * from the {@link io.jmesos.scheduler.DriverOptions#clock() clock}, so tests pause it. {@code Subscription},
 * {@code CallQueue}, {@code Authorization} and {@code DriverOptions} also serve the v1 library
 * ({@code io.jmesos.scheduler.v1}).
 */
package io.jmesos.scheduler;
