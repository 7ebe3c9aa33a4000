/**
 * Who leads: Mesos' master contention and detection, as the master sees them.
 *
 * <p>{@link io.jmesos.master.election.Election} is where the master hears about leadership: alone (no {@code
 * --zk}) it is elected at start; with {@code --zk} it contends through ZooKeeper ({@link
 * io.jmesos.master.election.ZooKeeperElection}) and watches who leads. Every report re-enters the master's actor,
 * where {@link io.jmesos.master.election.Candidacy} decides (lead once, stop acting while suspended, exit through
 * the fatal hook when leadership is lost) and {@link io.jmesos.master.election.Leadership} keeps the bookkeeping
 * that the HTTP edge, {@code /state} and {@code /metrics/snapshot} read: whether this master acts as the leader,
 * and which master leads. {@link io.jmesos.master.election.Advertised} builds the {@code MasterInfo} a master
 * publishes ({@code --advertise_ip}, {@code --advertise_port}, {@code --hostname}).
 */
package io.jmesos.master.election;
