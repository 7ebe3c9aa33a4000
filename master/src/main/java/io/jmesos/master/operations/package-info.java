/**
 * Offer operations on an agent's own resources (RESERVE, UNRESERVE, CREATE, DESTROY, GROW_VOLUME,
 * SHRINK_VOLUME): {@link io.jmesos.master.operations.Conversions} turns an operation into the resources it
 * consumes and produces and applies them (Mesos' {@code getResourceConversions} and {@code
 * Resources::apply}), {@link io.jmesos.master.operations.OperationStore} keeps the operations the master
 * tracks per agent and per framework. Pure bookkeeping: no threads, no I/O; the master's actor owns them.
 */
package io.jmesos.master.operations;
