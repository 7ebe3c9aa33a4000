/**
 * The concurrency model shared by every daemon and driver: an {@link io.jmesos.actor.Actor} owns a
 * component's state on one thread and processes one message or timer at a time; a
 * {@link io.jmesos.actor.Clock} supplies time and timers so that tests advance a
 * {@link io.jmesos.actor.ManualClock} instead of sleeping; a {@link io.jmesos.actor.MessageDispatcher} is the
 * explicit table from internal message type to handler.
 */
package io.jmesos.actor;
