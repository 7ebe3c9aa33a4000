/**
 * Mesos' Java state abstraction ({@link org.apache.mesos.state.State}, {@link org.apache.mesos.state.Variable})
 * with the names, signatures and semantics of the {@code org.apache.mesos:mesos} jar, in pure Java: frameworks
 * that keep their state through it (Marathon, Chronos) run unchanged. {@link org.apache.mesos.state.ZooKeeperState}
 * stores its variables in ZooKeeper exactly as Mesos does, so the two read each other's state;
 * {@link org.apache.mesos.state.InMemoryState} is Mesos' in-memory state; {@link org.apache.mesos.state.LevelDBState}
 * keeps a local directory in a format of its own (not LevelDB); {@link org.apache.mesos.state.LogState} (the
 * replicated log) is not available. The storages behind them are in {@code io.jmesos.state}.
 */
package org.apache.mesos.state;
