package io.jmesos.testing;

/** Which way an internal message travels between the master and an agent. */
public enum Direction {
  /** From an agent to the master (registration, status updates, pongs, ...). */
  TO_MASTER,
  /** From the master to an agent (registered, run task, acknowledgements, pings, ...). */
  TO_AGENT
}
