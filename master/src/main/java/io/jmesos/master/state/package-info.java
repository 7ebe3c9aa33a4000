/**
 * The master's bookkeeping: frameworks with their tasks, agents with their executors, outstanding offers and
 * metrics counters. Plain mutable records with no logic beyond derived views; they are owned by the master's
 * actor and never touched from another thread, so they need no locks. Tasks live in their framework only; an
 * agent's tasks are derived from the frameworks (a scaling TODO once agents number in the tens of thousands).
 */
package io.jmesos.master.state;
