package org.apache.mesos.state;

import java.util.Iterator;
import java.util.concurrent.Future;

/**
 * Versioned key/value state shared by the instances of a framework, as in Mesos: a {@link Variable} fetched
 * from the state can be stored back only while no other store (or expunge) has happened to it since, so a
 * successful store means no write was lost.
 *
 * <p>Implementations: {@link ZooKeeperState} (shared, compatible with Mesos' znodes), {@link InMemoryState}
 * (tests), {@link LevelDBState} (a local directory), and {@link LogState} (not available in jmesos).
 */
public interface State {
  /**
   * The variable called {@code name}: its stored value, or an empty value if there is none (storing it then
   * creates it).
   */
  Future<Variable> fetch(String name);

  /**
   * Stores {@code variable}'s value if the variable is not stale (nothing was stored in, or expunged from, its
   * name since it was fetched); the future's value is then the variable as stored (to store again), else
   * {@code null}.
   */
  Future<Variable> store(Variable variable);

  /** Removes {@code variable} unless it is stale; the future's value says whether it was removed. */
  Future<Boolean> expunge(Variable variable);

  /** The names of the variables in the state. */
  Future<Iterator<String>> names();
}
