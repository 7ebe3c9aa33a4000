/**
 * Master contention and detection through ZooKeeper, in Mesos' znode layout, so that Mesos' tools find our
 * leader and ours find Mesos'.
 *
 * <p>Each contending master holds an ephemeral sequential znode {@code <path>/json.info_NNNNNNNNNN} whose data
 * is its {@code MasterInfo} as Mesos JSON; the lowest sequence number leads ({@link ZooKeeperMasterContender}).
 * A {@link ZooKeeperMasterDetector} watches the path and reports the leading {@code MasterInfo}; it also reads
 * the legacy {@code info_} nodes holding a binary {@code MasterInfo}. Curator's leader recipes are not used:
 * their protection prefixes would hide the {@code json.info_} label from other tools.
 *
 * <p>Both components run their ZooKeeper work as Curator background operations whose results re-enter one named
 * thread per component, so neither blocks its caller nor Curator's event thread. This module is apart from
 * {@code protocol} so that protocol stays free of Curator; it compiles for Java 11 because the drivers detect the
 * leader through it: {@link io.jmesos.zookeeper.MasterDetectors} turns a {@code --master} value into the
 * {@link io.jmesos.detector.MasterDetector} the agent and the scheduler driver follow.
 */
package io.jmesos.zookeeper;
