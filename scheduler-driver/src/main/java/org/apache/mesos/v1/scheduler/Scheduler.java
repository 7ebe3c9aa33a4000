package org.apache.mesos.v1.scheduler;

import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The callbacks of a v1 scheduler. A library calls them one at a time, in order, on a thread of its own.
 */
public interface Scheduler {
  /** A connection with the leading master is established, after a master has been (re-)detected. */
  void connected(Mesos mesos);

  /** The connection with the master is gone, or no master is detected any more. */
  void disconnected(Mesos mesos);

  /** An event from the master (or one the library made itself, such as an ERROR). */
  void received(Mesos mesos, Event event);
}
