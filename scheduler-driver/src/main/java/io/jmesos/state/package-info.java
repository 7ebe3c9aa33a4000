/**
 * The storages behind {@link org.apache.mesos.state.AbstractState}, after Mesos' {@code mesos::state::Storage}:
 * {@link io.jmesos.state.ZooKeeperStorage} (entries as znodes, in Mesos' exact layout and encoding) and
 * {@link io.jmesos.state.FileStorage} (one file per entry, for {@code LevelDBState}). Each storage runs its
 * operations one at a time on its own daemon thread, as Mesos runs them in one libprocess process; callers get
 * {@link java.util.concurrent.CompletableFuture}s, which {@link io.jmesos.state.StateFuture} adapts to the
 * {@link java.util.concurrent.Future} semantics of Mesos' JNI futures. Internal: frameworks use
 * {@code org.apache.mesos.state}.
 */
package io.jmesos.state;
