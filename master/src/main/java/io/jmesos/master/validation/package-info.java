/**
 * Validation at the edge, errors as values: each validator returns {@code Optional<String>} with Mesos'
 * wording, and callers answer with it (400, TASK_ERROR, TASK_DROPPED/TASK_LOST) before touching state. {@link
 * io.jmesos.protocol.SchedulerCallValidator} (shared with the scheduler libraries) and {@link
 * io.jmesos.master.validation.OperatorCallValidator} are stateless and run on the I/O thread; {@link
 * io.jmesos.master.validation.FrameworkValidator} is stateless and checks SUBSCRIBE and UPDATE_FRAMEWORK; {@link
 * io.jmesos.master.validation.OfferValidator} and {@link io.jmesos.master.validation.TaskValidator} read master
 * state and run on the master's actor.
 */
package io.jmesos.master.validation;
